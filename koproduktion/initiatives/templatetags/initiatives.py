"""The project page's initiative: ``{% project_initiative project %}``."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import project_initiative as initiative_of_project
from ..selectors import review_queue

register = template.Library()


@register.inclusion_tag("initiatives/_project_section.html", takes_context=True)
def project_initiative(context: template.Context, project: Any) -> dict[str, Any]:
    """Whom the project came from: the initiative and its initiators (two queries)."""
    return {
        "municipality": context.get("municipality") or project.municipality,
        "initiative": initiative_of_project(project=project),
    }


@register.simple_tag
def waiting_initiatives(municipality: Any) -> int:
    """How many initiatives wait for a partner department (the workspace's link)."""
    return review_queue(municipality=municipality).count()
