"""Similar practice examples next to a project or an initiative:
``{% similar_to_project project %}``, ``{% similar_to_initiative initiative %}``."""

from __future__ import annotations

from typing import Any

from django import template

from ..similarity import similar_examples, subject_of_initiative, subject_of_project

register = template.Library()


@register.inclusion_tag("practice/_similar.html", takes_context=True)
def similar_to_project(context: template.Context, project: Any) -> dict[str, Any]:
    """Up to three examples like the project (two queries)."""
    return {
        "municipality": context.get("municipality") or project.municipality,
        "similar": similar_examples(subject=subject_of_project(project)),
    }


@register.inclusion_tag("practice/_similar.html", takes_context=True)
def similar_to_initiative(context: template.Context, initiative: Any) -> dict[str, Any]:
    """Up to three examples like the initiative (two queries)."""
    return {
        "municipality": context.get("municipality") or initiative.municipality,
        "similar": similar_examples(subject=subject_of_initiative(initiative)),
    }
