"""The phase-capability registry: what a project's phase allows.

Declared once, as enums. Rules combine these with the person's role (see ``rules.py``); nothing
else in the code tests phase names.
"""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhaseKind(models.TextChoices):
    """The stages of the co-production cycle, in their order."""

    INFORMATION = "information", _("Information")
    DIALOGUE = "dialogue", _("Dialog")
    DECISION = "decision", _("Entscheidung")
    IMPLEMENTATION = "implementation", _("Umsetzung")
    EVALUATION = "evaluation", _("Auswertung")

    @property
    def position(self) -> int:
        return list(PhaseKind).index(self) + 1


class Capability(enum.Enum):
    """Something people may do in a project, depending on its phase."""

    # Put ideas forward and argue for and against them.
    CONTRIBUTE = "contribute"
    # Agree or disagree with the statements of an opinion map.
    GIVE_OPINION = "give_opinion"
    # Support an idea.
    SUPPORT = "support"
    # Vote in a poll or fill a budget ballot.
    VOTE = "vote"
    # Take on a task, a shift or a sponsorship.
    TAKE_ON_TASK = "take_on_task"
    # Say how it went, when the work is done: answer the evaluation's survey (evaluation app).
    GIVE_FEEDBACK = "give_feedback"


# What a capability lets people do, in words (the phase screen of the workspace shows them).
CAPABILITY_LABELS: dict[Capability, str] = {
    Capability.CONTRIBUTE: _("Ideen einbringen und diskutieren"),
    Capability.GIVE_OPINION: _("Thesen des Meinungsbilds bewerten"),
    Capability.SUPPORT: _("Ideen unterstützen"),
    Capability.VOTE: _("an Abstimmungen und am Bürgerhaushalt teilnehmen"),
    Capability.TAKE_ON_TASK: _("Aufgaben, Schichten und Patenschaften übernehmen"),
    Capability.GIVE_FEEDBACK: _("Rückmeldung geben, wie es gelaufen ist"),
}


PHASE_CAPABILITIES: dict[PhaseKind, frozenset[Capability]] = {
    PhaseKind.INFORMATION: frozenset(),
    PhaseKind.DIALOGUE: frozenset(
        {Capability.CONTRIBUTE, Capability.GIVE_OPINION, Capability.SUPPORT}
    ),
    PhaseKind.DECISION: frozenset({Capability.VOTE, Capability.SUPPORT}),
    PhaseKind.IMPLEMENTATION: frozenset({Capability.TAKE_ON_TASK}),
    PhaseKind.EVALUATION: frozenset({Capability.GIVE_FEEDBACK}),
}


def phase_allows(phase: PhaseKind | str, capability: Capability) -> bool:
    return capability in PHASE_CAPABILITIES[PhaseKind(phase)]


def allowed_in(phase: PhaseKind | str) -> list[str]:
    """What people may do in ``phase``, in words, in the order of ``Capability``."""
    allowed = PHASE_CAPABILITIES[PhaseKind(phase)]
    return [
        str(CAPABILITY_LABELS[capability]) for capability in Capability if capability in allowed
    ]


def next_phase(phase: PhaseKind | str) -> PhaseKind | None:
    """The phase after ``phase`` in the cycle; None after the last."""
    kinds = list(PhaseKind)
    position = kinds.index(PhaseKind(phase))
    return kinds[position + 1] if position + 1 < len(kinds) else None
