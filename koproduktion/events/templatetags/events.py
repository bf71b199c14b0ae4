"""The project page's events: ``{% project_events project %}``."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import project_events as upcoming_of_project

register = template.Library()


@register.inclusion_tag("events/_project_section.html", takes_context=True)
def project_events(context: template.Context, project: Any) -> dict[str, Any]:
    """The project's coming events (one query) and the links to all and to the poster."""
    return {
        "project": project,
        "municipality": context.get("municipality") or project.municipality,
        "events": list(upcoming_of_project(project=project)[:5]),
        "can_manage": context.get("can_manage", False),
    }
