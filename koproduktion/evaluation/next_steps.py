"""The step of an open evaluation survey: answering it (``projects.next_steps``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from koproduktion.projects.capabilities import Capability
from koproduktion.projects.models import Project
from koproduktion.projects.next_steps import Step, open_for, project_args, step_provider
from koproduktion.projects.rules import refusal_reason

from .models import Survey
from .rules import is_open


@step_provider
def survey_steps(projects: Sequence[Project], user: Any) -> Iterator[tuple[int, Step]]:
    """One query for the page (the opened surveys of the projects in evaluation)."""
    evaluating = open_for(projects, Capability.GIVE_FEEDBACK)
    if not evaluating:
        return
    surveys = Survey.objects.filter(project_id__in=evaluating, opened_at__isnull=False).only(
        "project_id", "opened_at", "closes_on"
    )
    for survey in surveys:
        project = evaluating[survey.project_id]
        survey.project = project
        if not is_open(survey):
            continue
        yield (
            project.pk,
            Step(
                capability=Capability.GIVE_FEEDBACK,
                action=_("Sagen, wie es gelaufen ist: die Umfrage zur Auswertung"),
                url=reverse("evaluation:section", args=project_args(project)) + "#umfrage",
                login_action=_("Anmelden, um an der Umfrage teilzunehmen"),
                until=survey.closes_on,
                refusal=refusal_reason(user, project, Capability.GIVE_FEEDBACK),
            ),
        )
