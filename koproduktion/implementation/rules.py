"""Who may do what in a project's implementation.

Taking on a task is the phase capability ``projects.can_take_on_task`` (published, participant,
implementation phase) plus the task being published; the plan, tasks and volunteers' contacts are
the administration's. Progress updates come from staff or from the people a milestone names as
responsible (representatives of the responsible organisation, members of the resident group).
"""

from __future__ import annotations

from typing import Any

import rules

from koproduktion.core.roles import Role
from koproduktion.core.rules import roles_by_municipality
from koproduktion.projects.capabilities import Capability
from koproduktion.projects.rules import (
    can_view_in_town,
    capability_rule,
    is_participant,
    is_published,
    manages_project_of,
)


@rules.predicate
def task_is_published(user: Any, task: Any) -> bool:
    return task is not None and task.is_published


@rules.predicate
def may_take_on_in_project(user: Any, task: Any) -> bool:
    return task is not None and rules.test_rule(
        capability_rule(Capability.TAKE_ON_TASK), user, task.project
    )


@rules.predicate
def may_view_project(user: Any, obj: Any) -> bool:
    project = getattr(obj, "project", obj)
    return obj is not None and rules.test_rule("projects.can_view", user, project)


@rules.predicate
def photo_visible(user: Any, photo: Any) -> bool:
    # A progress report is part of its project's page: its photos are seen with the project.
    return can_view_in_town.test(user, photo.update.project)


@rules.predicate
def is_responsible_in_project(user: Any, project: Any) -> bool:
    """A representative of an organisation, or a group member, that a milestone names."""
    if project is None or not getattr(user, "is_authenticated", False):
        return False
    from koproduktion.core.models import Membership  # noqa: PLC0415

    from .models import Milestone  # noqa: PLC0415 - predicates load before the app registry

    milestones = Milestone.objects.filter(project_id=project.pk)
    if milestones.filter(group_members=user).exists():
        return True
    if Role.ORGANISATION not in roles_by_municipality(user).get(project.municipality_id, ()):
        return False
    organisations = Membership.objects.filter(
        user=user, municipality_id=project.municipality_id, role=Role.ORGANISATION
    ).values("organisation_id")
    return milestones.filter(responsible_organisation_id__in=organisations).exists()


@rules.predicate
def is_group_member(user: Any, milestone: Any) -> bool:
    """One of the people of the milestone's resident group."""
    if milestone is None or not getattr(user, "is_authenticated", False):
        return False
    return milestone.group_members.filter(pk=user.pk).exists()


can_commit = task_is_published & may_take_on_in_project
can_view_task = may_view_project & (task_is_published | manages_project_of)

rules.add_rule("implementation.can_view_task", can_view_task)
rules.add_rule("implementation.can_view_photo", photo_visible)
rules.add_rule("implementation.can_commit", can_commit)
# The plan, tasks and volunteers are the project's managers' (``projects.can_manage``).
rules.add_rule("implementation.can_manage", manages_project_of)
rules.add_rule("implementation.can_see_volunteers", manages_project_of)
rules.add_rule("implementation.can_leave_group", is_group_member)
rules.add_rule(
    "implementation.can_post_update",
    manages_project_of | (is_published & is_participant & is_responsible_in_project),
)
