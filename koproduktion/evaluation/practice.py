"""A published evaluation report becomes a good-practice example in one step.

``report_practice_example`` starts a draft ``PracticeExample`` from what the report and the
project say: the project's title, place, kind of place and topic (``practice_example_draft``),
what was planned as the problem, what came out as the approach, the lessons as what worked, and
the department as the contact. It is a draft of the library (``is_published`` false): staff read
it, split the lessons into what worked and what did not, and publish it on the example's form.
One example per project: a second step leads to the first.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koproduktion.practice.models import PracticeExample
from koproduktion.practice.selectors import practice_example_draft
from koproduktion.practice.services import practice_example_create

from .models import EvaluationReport


def report_as_practice_fields(report: EvaluationReport) -> dict[str, Any]:
    """The practice example's fields from ``report`` and its project (Markdown sources)."""
    project = report.project
    fields = practice_example_draft(project=project)
    year_day = (
        report.kept_end
        or report.planned_end
        or (report.published_at.date() if report.published_at else None)
    )
    department = project.department
    fields.update(
        problem=report.planned or fields["problem"],
        approach=report.outcome or fields["approach"],
        worked=report.lessons,
        contact_name=report.contact or (department.name if department else ""),
        contact_email=department.email if department else "",
        is_published=False,
    )
    if year_day:
        fields["year"] = year_day.year
    return fields


def practice_example_of(*, report: EvaluationReport) -> PracticeExample | None:
    return PracticeExample.objects.filter(project_id=report.project_id).order_by("pk").first()


@transaction.atomic
def report_practice_example(*, actor: Any, report: EvaluationReport) -> PracticeExample:
    """The draft example from ``report`` (published reports only); the practice library's
    ``practice_example_create`` checks who may and logs it."""
    if not report.is_published:
        raise ValidationError(_("Erst der veröffentlichte Bericht wird zum Praxisbeispiel."))
    existing = practice_example_of(report=report)
    if existing is not None:
        return existing
    fields = report_as_practice_fields(report)
    return practice_example_create(
        actor=actor, municipality=report.municipality, project=report.project, **fields
    )
