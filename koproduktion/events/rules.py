"""Who may see, run and register for events.

An event of a project is run by whoever may manage the project (``projects.can_manage``); an
event of the whole town by the coordination and the town's admins (and platform admins).
Registering needs a participant of the town (confirmed address, a role there, not blocked).
"""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.roles import Role
from koproduktion.core.rules import has_role, works_in_a_department_of
from koproduktion.projects.rules import can_manage as can_manage_project
from koproduktion.projects.rules import is_participant, manages_all_projects


@rules.predicate
def manages_event(user: Any, event: Any) -> bool:
    if event is None:
        return False
    if event.project_id:
        return can_manage_project.test(user, event.project)
    return manages_all_projects.test(user, event.municipality)


@rules.predicate
def event_is_public(user: Any, event: Any) -> bool:
    """Published, in a public town, and of no project or of a published one."""
    if event is None or not event.is_published or not event.municipality.is_public:
        return False
    return event.project_id is None or event.project.is_published


@rules.predicate
def registration_is_open(user: Any, event: Any) -> bool:
    return event is not None and event.registration_open


@rules.predicate
def records_on_site(user: Any, event: Any) -> bool:
    """Ideas said at the event are recorded in its project (ideas need one)."""
    return event is not None and event.project_id is not None


can_view = event_is_public | manages_event
# (user, municipality): may set up events there (of a project they manage, or of the town).
can_create = manages_all_projects | (has_role(Role.STAFF) & works_in_a_department_of)

rules.add_rule("events.can_view", can_view)
rules.add_rule("events.can_manage", manages_event)
rules.add_rule("events.can_create", can_create)
rules.add_rule("events.can_register", event_is_public & registration_is_open & is_participant)
rules.add_rule("events.can_record_ideas", manages_event & records_on_site)
