"""Who may answer the survey, see its results and write the report.

Answering needs the phase-capability registry's ``GIVE_FEEDBACK`` (the evaluation phase) and a
participant of the town (``projects.can_give_feedback``), and a survey that staff opened and
whose last day has not passed. Questions and the report are written by whoever may manage the
project in the workspace (``projects.can_manage``).
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import can_manage, can_view, capability_rule


@rules.predicate
def survey_is_open(user: Any, survey: Any) -> bool:
    return survey is not None and is_open(survey)


def is_open(survey: Any) -> bool:
    """Opened by staff, in a project whose phase allows feedback, not past its last day."""
    from koproduktion.projects.capabilities import phase_allows  # noqa: PLC0415

    if survey.opened_at is None or not phase_allows(survey.project.phase, Capability.GIVE_FEEDBACK):
        return False
    return survey.closes_on is None or timezone.localdate() <= survey.closes_on


@rules.predicate
def may_give_feedback(user: Any, survey: Any) -> bool:
    return survey is not None and rules.test_rule(
        capability_rule(Capability.GIVE_FEEDBACK), user, survey.project
    )


@rules.predicate
def manages_survey_project(user: Any, obj: Any) -> bool:
    """For a survey, a question or a report: ``projects.can_manage`` of its project."""
    if obj is None:
        return False
    project = obj.survey.project if hasattr(obj, "survey_id") else obj.project
    return can_manage.test(user, project)


@rules.predicate
def report_is_public(user: Any, report: Any) -> bool:
    return report is not None and report.is_published and can_view.test(user, report.project)


rules.add_rule("evaluation.can_answer", survey_is_open & may_give_feedback)
rules.add_rule("evaluation.can_manage", manages_survey_project)
rules.add_rule("evaluation.can_view_report", report_is_public | manages_survey_project)
