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


is_participant = has_confirmed_email & has_role(*PARTICIPANT_ROLES)

can_view = is_published | can_administer
can_manage = can_administer

rules.add_rule("projects.can_view", can_view)
rules.add_rule("projects.can_manage", can_manage)
for _capability in Capability:
    rules.add_rule(
        f"projects.can_{_capability.value}",
        is_published & is_participant & phase_permits(_capability),
    )


def capability_rule(capability: Capability) -> str:
    """The name of the rule that guards ``capability``."""
    return f"projects.can_{capability.value}"


# Model permissions for the admin.
rules.add_perm("projects", can_administer)
for _model in ("project", "phase", "document"):
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"projects.{_action}_{_model}", can_administer)
