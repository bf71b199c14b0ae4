"""The step of a project's opinion map: rating its statements (``projects.next_steps``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from koproduktion.projects.capabilities import Capability
from koproduktion.projects.models import Project
from koproduktion.projects.next_steps import (
    Step,
    current_phase_end,
    open_for,
    project_args,
    step_provider,
)
from koproduktion.projects.rules import refusal_reason

from .models import OpinionMap


@step_provider
def opinion_steps(projects: Sequence[Project], user: Any) -> Iterator[tuple[int, Step]]:
    """One query for the page: which of the projects have an opinion map."""
    open_now = open_for(projects, Capability.GIVE_OPINION)
    if not open_now:
        return
    with_map = OpinionMap.objects.filter(project_id__in=open_now).values_list(
        "project_id", flat=True
    )
    for project_id in with_map:
        project = open_now[project_id]
        yield (
            project_id,
            Step(
                capability=Capability.GIVE_OPINION,
                action=_("Thesen im Meinungsbild bewerten"),
                url=reverse("opinions:vote", args=project_args(project)),
                login_action=_("Anmelden, um Thesen zu bewerten"),
                until=current_phase_end(project),
                refusal=refusal_reason(user, project, Capability.GIVE_OPINION),
            ),
        )
