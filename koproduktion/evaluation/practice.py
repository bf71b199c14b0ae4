"""The seam to the good-practice library: a published report becomes a ``PracticeExample``.

``report_as_practice_fields`` maps a report to the fields of the practice library's service
``practice_example_create(*, actor, municipality, project=None, **fields)``. The button "Als
Praxisbeispiel übernehmen" on the report's workspace page is added once that app is installed:
its view calls ``practice_example_create(actor=…, municipality=report.municipality,
**report_as_practice_fields(report))`` and redirects to the new example's page. Nothing here
imports the practice app, so this app does not depend on it.
"""

from __future__ import annotations

from typing import Any

from .models import EvaluationReport


def report_as_practice_fields(report: EvaluationReport) -> dict[str, Any]:
    """The practice example's fields from ``report`` (Markdown sources, not the HTML).

    ``what_worked`` and ``what_did_not`` both start from the lessons: the report keeps them in
    one text, and staff split them on the example's form.
    """
    project = report.project
    year_day = (
        report.kept_end
        or report.planned_end
        or (report.published_at.date() if report.published_at else None)
    )
    department = project.department
    contact = report.contact or (
        f"{department.name}, {department.email}".strip(", ") if department else ""
    )
    return {
        "title": project.title,
        "problem": report.planned,
        "approach": report.outcome,
        "what_worked": report.lessons,
        "what_did_not": report.lessons,
        "contact": contact,
        "project": project,
        "year": year_day.year if year_day else None,
    }
