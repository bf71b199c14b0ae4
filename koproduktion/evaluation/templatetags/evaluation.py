"""The project page's evaluation section: ``{% evaluation_section project %}``."""

from __future__ import annotations

from typing import Any

from django import template

from koproduktion.projects.capabilities import PhaseKind

from ..models import EvaluationReport, ReportStatus, Survey
from ..rules import is_open

register = template.Library()


@register.inclusion_tag("evaluation/_project_section.html", takes_context=True)
def evaluation_section(context: template.Context, project: Any) -> dict[str, Any]:
    """Shown in the evaluation phase (two small queries); other phases' pages pay nothing."""
    if project.phase != PhaseKind.EVALUATION:
        return {"show": False}
    report = EvaluationReport.objects.filter(
        project=project, status=ReportStatus.PUBLISHED
    ).exists()
    survey = Survey.objects.filter(project=project).only("opened_at", "closes_on").first()
    if survey is not None:
        survey.project = project
    return {
        "show": True,
        "project": project,
        "municipality": context.get("municipality") or project.municipality,
        "report": report,
        "survey_open": survey is not None and is_open(survey),
    }
