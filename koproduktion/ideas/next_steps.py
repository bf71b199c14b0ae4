"""Steps in a project's ideas: posting one, supporting others (``projects.next_steps``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from koproduktion.projects.capabilities import Capability, phase_allows
from koproduktion.projects.models import Project
from koproduktion.projects.next_steps import Step, current_phase_end, project_args, step_provider
from koproduktion.projects.rules import refusal_reason


@step_provider
def idea_steps(projects: Sequence[Project], user: Any) -> Iterator[tuple[int, Step]]:
    """No query: what the phase allows, until its planned end."""
    for project in projects:
        if not project.is_published:
            continue
        args = project_args(project)
        if phase_allows(project.phase, Capability.CONTRIBUTE):
            yield (
                project.pk,
                Step(
                    capability=Capability.CONTRIBUTE,
                    action=_("Eine Idee einreichen"),
                    url=reverse("ideas:create", args=args),
                    login_action=_("Anmelden, um eine Idee einzureichen"),
                    until=current_phase_end(project),
                    refusal=refusal_reason(user, project, Capability.CONTRIBUTE),
                ),
            )
        if phase_allows(project.phase, Capability.SUPPORT):
            yield (
                project.pk,
                Step(
                    capability=Capability.SUPPORT,
                    action=_("Ideen unterstützen"),
                    url=reverse("ideas:list", args=args),
                    login_action=_("Anmelden, um Ideen zu unterstützen"),
                    until=current_phase_end(project),
                    refusal=refusal_reason(user, project, Capability.SUPPORT),
                ),
            )
