"""Who may see, keep and link support offers.

The town's coordination and admins (and platform admins) keep every offer of the town; staff
keep the offers of their departments and set up offers for them. Whoever may manage a project
(``projects.can_manage``) links offers to it; the initiators of an initiative link offers to
theirs, while it is not declined or withdrawn.
"""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.roles import Role
from koproduktion.core.rules import has_role, staff_departments, works_in_a_department_of
from koproduktion.initiatives.models import State
from koproduktion.initiatives.rules import acts_as_initiator
from koproduktion.projects.rules import can_manage as can_manage_project
from koproduktion.projects.rules import manages_all_projects

# Initiatives that no longer need help: nothing is linked to them any more.
CLOSED_INITIATIVE_STATES = frozenset({State.DECLINED, State.WITHDRAWN})


@rules.predicate
def works_in_offer_department(user: Any, offer: Any) -> bool:
    return (
        offer is not None
        and offer.department_id is not None
        and offer.department_id in staff_departments(user)
    )


@rules.predicate
def offer_is_public(user: Any, offer: Any) -> bool:
    return offer is not None and offer.is_public and offer.municipality.is_public


@rules.predicate
def initiative_open_for_links(user: Any, initiative: Any) -> bool:
    return initiative is not None and initiative.state not in CLOSED_INITIATIVE_STATES


manages_offer = manages_all_projects | (has_role(Role.STAFF) & works_in_offer_department)
# (user, municipality): may set up offers there (staff for one of their departments).
can_create = manages_all_projects | (has_role(Role.STAFF) & works_in_a_department_of)

rules.add_rule("support.can_view", offer_is_public | manages_offer)
rules.add_rule("support.can_manage", manages_offer)
rules.add_rule("support.can_create", can_create)
# (user, project) and (user, initiative): may link offers to it and unlink them.
rules.add_rule("support.can_link_project", can_manage_project)
rules.add_rule("support.can_link_initiative", acts_as_initiator & initiative_open_for_links)
