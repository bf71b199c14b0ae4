"""What a person can do in a project now: the clear next step on project cards and pages.

Each step says what can be done (post an idea, vote in a poll, sign up for a shift), until when,
which account it needs, and — for the person looking — whether they may do it now or why not.
The phase's capabilities (``capabilities.py``) decide what is open; the apps above ``projects``
know what there is to do in it (the ideas, a poll, a shift) and declare their steps in a module
``next_steps.py`` of their own, with ``@step_provider``. A provider gets the projects of a page
at once and answers with a fixed number of queries, however many projects the page lists.

Pages cached for visitors show the steps of a visitor; what depends on the clock (a poll that
closed a minute ago) is at most the cache's timeout behind (``core.page_cache.TIMEOUT``).
"""

from __future__ import annotations

import datetime
import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Municipality

from .capabilities import PHASE_CAPABILITIES, Capability, PhaseKind, phase_allows
from .models import Phase, Project


class Account(enum.Enum):
    """The account a step needs."""

    # Registered in the town, with a confirmed e-mail address.
    REGISTERED = "registered"
    # Registered and verified by the town (in person or with a code sent by post).
    VERIFIED = "verified"

    @property
    def label(self) -> str:
        if self is Account.VERIFIED:
            return str(_("Dafür brauchen Sie ein Konto, das die Kommune verifiziert hat."))
        return str(_("Dafür brauchen Sie ein Konto mit bestätigter E-Mail-Adresse."))


# The order in which steps are offered: what moves a project on first.
ORDER = (
    Capability.CONTRIBUTE,
    Capability.VOTE,
    Capability.TAKE_ON_TASK,
    Capability.GIVE_OPINION,
    Capability.SUPPORT,
    Capability.GIVE_FEEDBACK,
)


@dataclass(frozen=True)
class Step:
    """One thing to do in a project."""

    capability: Capability
    # What one can do, as a short imperative line: "Eine Idee einreichen".
    action: str
    # Where it is done.
    url: str
    # The text of the log-in link for people without a session: "Anmelden, um …".
    login_action: str
    account: Account = Account.REGISTERED
    # Until when (the phase's or the poll's end); a date or a moment.
    until: datetime.date | datetime.datetime | None = None
    # From when, for a step that has not begun (a poll that opens later).
    starts: datetime.date | datetime.datetime | None = None
    # Why the person looking may not do it (None: they may). Visitors without a session get
    # the log-in link instead of a reason.
    refusal: str | None = None
    # Where to learn how to get the account it needs (the town's verification page).
    account_help_url: str = ""

    @property
    def sort_key(self) -> tuple[int, bool]:
        return ORDER.index(self.capability), self.starts is not None


@dataclass(frozen=True)
class Upcoming:
    """The next phase of the plan, when nothing can be done now."""

    phase: PhaseKind
    starts: datetime.date
    actions: tuple[str, ...]


@dataclass
class NextSteps:
    """A project's steps for one person, and what comes next when there are none."""

    steps: list[Step]
    upcoming: Upcoming | None = None

    @property
    def first(self) -> Step | None:
        return self.steps[0] if self.steps else None


# What a later phase will allow by itself, for the "what comes next" line of a project that
# allows nothing now. Polls, tasks and opinion maps are named once they exist.
UPCOMING_ACTIONS: dict[Capability, Any] = {
    Capability.CONTRIBUTE: _("Ideen einreichen"),
    Capability.SUPPORT: _("Ideen unterstützen"),
}

Provider = Callable[[Sequence[Project], Any], Iterable[tuple[int, Step]]]
_providers: list[Provider] = []


def step_provider(provider: Provider) -> Provider:
    """Register ``provider(projects, user)``, which yields (project id, step) pairs."""
    _providers.append(provider)
    return provider


def providers() -> list[Provider]:
    # Imports every installed app's next_steps.py once (Django remembers imported modules).
    autodiscover_modules("next_steps")
    return _providers


def open_for(projects: Sequence[Project], capability: Capability) -> dict[int, Project]:
    """The published ones of ``projects`` whose phase allows ``capability``, by id."""
    return {
        project.pk: project
        for project in projects
        if project.is_published and phase_allows(project.phase, capability)
    }


def project_args(project: Project) -> list[str]:
    """The arguments of the addresses under a project (``reverse(name, args=…)``)."""
    return [project.municipality.slug, project.slug]


def current_phase_end(project: Project) -> datetime.date | None:
    """The planned end of the project's current phase: from its prefetched phases, else one
    query, whose answer the project keeps (pages without the timeline ask for it per step)."""
    if "phases" in getattr(project, "_prefetched_objects_cache", {}):
        return next(
            (phase.ends_on for phase in project.phases.all() if phase.kind == project.phase), None
        )
    kept = getattr(project, "_current_phase_end", None)
    if kept is None or kept[0] != project.phase:
        ends_on = (
            Phase.objects.filter(project=project, kind=project.phase)
            .values_list("ends_on", flat=True)
            .first()
        )
        kept = project._current_phase_end = (project.phase, ends_on)
    return kept[1]


def _upcoming(project: Project) -> Upcoming | None:
    """The next phase of the plan after the current one, if it has a start."""
    order = list(PhaseKind)
    later = [
        phase
        for phase in project.phases.all()
        if order.index(PhaseKind(phase.kind)) > order.index(project.phase_kind)
    ]
    if not later:
        return None
    phase = min(later, key=lambda phase: order.index(PhaseKind(phase.kind)))
    kind = PhaseKind(phase.kind)
    actions = tuple(
        str(action)
        for capability, action in UPCOMING_ACTIONS.items()
        if capability in PHASE_CAPABILITIES[kind]
    )
    return Upcoming(phase=kind, starts=phase.starts_on, actions=actions)


def next_steps(
    projects: Sequence[Project], *, municipality: Municipality, user: Any
) -> dict[int, NextSteps]:
    """The steps of each of ``projects`` (all of ``municipality``) for ``user``, by project id.

    Reads the projects' phases (prefetched here if they are not) and asks each provider once.
    """
    projects = list(projects)
    if not projects:
        return {}
    for project in projects:
        project.municipality = municipality  # the providers' links name the town
    prefetch_related_objects(
        [project for project in projects if "phases" not in _prefetched(project)], "phases"
    )
    steps: dict[int, list[Step]] = defaultdict(list)
    for provider in providers():
        for project_id, step in provider(projects, user):
            steps[project_id].append(step)
    answer = {}
    for project in projects:
        own = sorted(steps.get(project.pk, []), key=lambda step: step.sort_key)
        answer[project.pk] = NextSteps(steps=own, upcoming=None if own else _upcoming(project))
    return answer


def _prefetched(project: Project) -> dict[str, Any]:
    return getattr(project, "_prefetched_objects_cache", {})
