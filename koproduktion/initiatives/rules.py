"""Who may do what with an initiative.

Residents (any participant of the town: confirmed address, a role there, not blocked) start,
support, join and answer needs; the initiators (the starter and the co-initiators they took in)
edit, move it on and decide on offers; the town's coordination and admins, and staff of any of
its departments, answer a request for a partner department.
"""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.roles import Role
from koproduktion.core.rules import has_role, works_in_a_department_of
from koproduktion.projects.rules import is_participant, manages_all_projects

from .models import EDITABLE_STATES, LOOKING_STATES, OPEN_STATES, Initiative, State

_INITIATORS = "_initiator_ids"


def initiator_ids(initiative: Initiative) -> frozenset[int]:
    """The accepted initiators' user ids, read once per initiative object."""
    cached = getattr(initiative, _INITIATORS, None)
    if cached is None:
        cached = frozenset(
            initiative.initiators.filter(accepted_at__isnull=False).values_list(
                "user_id", flat=True
            )
        )
        setattr(initiative, _INITIATORS, cached)
    return cached


def forget_initiators(initiative: Initiative) -> None:
    if hasattr(initiative, _INITIATORS):
        delattr(initiative, _INITIATORS)


def _initiative(obj: Any) -> Initiative | None:
    """The initiative of ``obj`` (an initiative, a need or an offer)."""
    if obj is None or isinstance(obj, Initiative):
        return obj
    if hasattr(obj, "initiative"):
        return obj.initiative
    return obj.need.initiative


@rules.predicate
def is_initiator(user: Any, obj: Any) -> bool:
    initiative = _initiative(obj)
    return (
        initiative is not None
        and getattr(user, "is_authenticated", False)
        and user.pk in initiator_ids(initiative)
    )


@rules.predicate
def is_public(user: Any, obj: Any) -> bool:
    initiative = _initiative(obj)
    return initiative is not None and initiative.state != State.DRAFT


@rules.predicate
def is_open(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.state in OPEN_STATES


@rules.predicate
def is_editable(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.state in EDITABLE_STATES


@rules.predicate
def is_looking(user: Any, obj: Any) -> bool:
    initiative = _initiative(obj)
    return initiative is not None and initiative.state in LOOKING_STATES


@rules.predicate
def need_is_open(user: Any, need: Any) -> bool:
    return need is not None and need.fulfilled_at is None


@rules.predicate
def is_requested(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.state == State.REQUESTED


@rules.predicate
def is_collecting(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.state == State.COLLECTING


@rules.predicate
def has_enough_support(user: Any, initiative: Any) -> bool:
    return (
        initiative is not None
        and initiative.support_count >= initiative.municipality.initiative_threshold
    )


# (user, municipality or initiative): answers requests for a partner department in the town.
reviews_initiatives = manages_all_projects | (has_role(Role.STAFF) & works_in_a_department_of)


@rules.predicate
def reviews_in_town(user: Any, obj: Any) -> bool:
    return obj is not None and reviews_initiatives.test(
        user, getattr(obj, "municipality", None) or obj
    )


acts_as_initiator = is_initiator & is_participant

rules.add_rule("initiatives.can_view", is_public | is_initiator)
rules.add_rule("initiatives.can_start", is_participant)
rules.add_rule("initiatives.can_edit", acts_as_initiator & is_editable)
rules.add_rule("initiatives.can_publish", acts_as_initiator & is_editable & ~is_public)
rules.add_rule(
    "initiatives.can_request_partner", acts_as_initiator & is_collecting & has_enough_support
)
rules.add_rule("initiatives.can_withdraw", acts_as_initiator & is_editable)
rules.add_rule("initiatives.can_support", is_participant & is_open & ~is_initiator)
rules.add_rule("initiatives.can_join", is_participant & is_open & ~is_initiator)
rules.add_rule("initiatives.can_manage_people", acts_as_initiator)
rules.add_rule("initiatives.can_add_need", acts_as_initiator & is_looking)
rules.add_rule("initiatives.can_offer", is_participant & is_looking & need_is_open & ~is_initiator)
rules.add_rule("initiatives.can_decide_offer", acts_as_initiator)
rules.add_rule("initiatives.can_review", reviews_in_town)
rules.add_rule("initiatives.can_answer_request", reviews_in_town & is_requested)
