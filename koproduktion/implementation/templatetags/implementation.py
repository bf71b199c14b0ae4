"""The project page's small implementation section: ``{% implementation_summary project %}``."""

from __future__ import annotations

from typing import Any

from django import template

from koproduktion.projects.capabilities import PhaseKind

from ..models import Milestone, Update
from ..selectors import progress_of

register = template.Library()

SHOWN_IN = {PhaseKind.IMPLEMENTATION, PhaseKind.EVALUATION}


@register.inclusion_tag("implementation/_project_section.html", takes_context=True)
def implementation_summary(context: template.Context, project: Any) -> dict[str, Any]:
    """Progress and the latest update; two small queries, only in the phases that have them."""
    if project.phase not in SHOWN_IN:
        return {"show": False}
    milestones = list(Milestone.objects.filter(project=project).only("weight", "percent_complete"))
    return {
        "show": True,
        "project": project,
        "municipality": context.get("municipality") or project.municipality,
        "progress": progress_of(milestones),
        "latest": Update.objects.filter(project=project).order_by("-created_at", "-pk").first(),
    }
