"""Who may do what in a project: the person's role combined with the project's phase.

One rule per capability (``projects.can_contribute``, ``projects.can_vote``, …), generated from
the phase-capability registry so that a new capability is declared in one place. Views, the API
and templates all ask these rules.
"""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.roles import PARTICIPANT_ROLES
from koproduktion.core.rules import (
    can_administer,
    has_confirmed_email,
    has_role,
    is_blocked,
)

from .capabilities import Capability, phase_allows


@rules.predicate
def is_published(user: Any, project: Any) -> bool:
    return project is not None and project.is_published


def phase_permits(capability: Capability) -> rules.Predicate:
    @rules.predicate(f"phase_permits:{capability.value}")
    def predicate(user: Any, project: Any) -> bool:
        return project is not None and phase_allows(project.phase, capability)

    return predicate


# A participant: confirmed address, a role in the municipality, and not blocked there.
is_participant = has_confirmed_email & has_role(*PARTICIPANT_ROLES) & ~is_blocked


@rules.predicate
def in_public_town(user: Any, project: Any) -> bool:
    return project is not None and project.municipality.is_public


can_view = is_published | can_administer
can_manage = can_administer
# What reaches someone by its own address, without the town's pages around it (an uploaded file):
# the town's visibility is asked too, which the pages ask first (``municipality_get``).
can_view_in_town = (is_published & in_public_town) | can_administer


@rules.predicate
def document_visible(user: Any, document: Any) -> bool:
    return can_view_in_town.test(user, document.project)


rules.add_rule("projects.can_view", can_view)
rules.add_rule("projects.can_view_in_town", can_view_in_town)
rules.add_rule("projects.can_view_document", document_visible)
rules.add_rule("projects.can_manage", can_manage)
for _capability in Capability:
    rules.add_rule(
        f"projects.can_{_capability.value}",
        is_published & is_participant & phase_permits(_capability),
    )


def capability_rule(capability: Capability) -> str:
    """The name of the rule that guards ``capability``."""
    return f"projects.can_{capability.value}"


def refusal_reason(user: Any, project: Any, capability: Capability) -> str | None:  # noqa: PLR0911 - one answer per step of the rule
    """Why ``user`` may not use ``capability`` in ``project``, in words; None when they may.

    Mirrors the capability rule step by step, so that a refusal names the step that failed.
    """
    from django.utils.translation import gettext as _  # noqa: PLC0415

    from koproduktion.core.rules import blocked_municipality_ids, roles_by_municipality  # noqa: PLC0415

    from .capabilities import PhaseKind  # noqa: PLC0415

    if rules.test_rule(capability_rule(capability), user, project):
        return None
    if not project.is_published:
        return _("Dieses Vorhaben ist noch nicht veröffentlicht.")
    if not phase_allows(project.phase, capability):
        return _("In der Phase „%(phase)s“ ist das nicht möglich.") % {
            "phase": PhaseKind(project.phase).label
        }
    if not getattr(user, "is_authenticated", False):
        return _("Bitte melden Sie sich an, um mitzumachen.")
    if not getattr(user, "email_confirmed_at", None):
        return _("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse.")
    if project.municipality_id in blocked_municipality_ids(user):
        return _("Ihr Konto ist in dieser Kommune zurzeit gesperrt.")
    if not roles_by_municipality(user).get(project.municipality_id):
        return _("Mitmachen können alle, die in dieser Kommune registriert sind.")
    return _("Das ist Ihnen hier nicht erlaubt.")
