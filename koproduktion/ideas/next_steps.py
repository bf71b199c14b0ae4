"""Steps in a project's ideas: posting one, supporting others (``projects.next_steps``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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

# What the phase alone opens, with no record needed: (address, action, log-in link's text).
PHASE_STEPS = {
    Capability.CONTRIBUTE: (
        "ideas:create",
        _("Eine Idee einreichen"),
        _("Anmelden, um eine Idee einzureichen"),
    ),
    Capability.SUPPORT: (
        "ideas:list",
        _("Ideen unterstützen"),
        _("Anmelden, um Ideen zu unterstützen"),
    ),
}


@step_provider
def idea_steps(projects: Sequence[Project], user: Any) -> Iterator[tuple[int, Step]]:
    """No query: what the phase allows, until its planned end."""
    for capability, (url_name, action, login_action) in PHASE_STEPS.items():
        for project in open_for(projects, capability).values():
            yield (
                project.pk,
                Step(
                    capability=capability,
                    action=str(action),
                    url=reverse(url_name, args=project_args(project)),
                    login_action=str(login_action),
                    until=current_phase_end(project),
                    refusal=refusal_reason(user, project, capability),
                ),
            )
