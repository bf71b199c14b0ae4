"""Reads of the routing: who answers, the inboxes, their counts and the response times."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet
from django.utils import timezone

from koproduktion.core.models import Department, Municipality, Topic
from koproduktion.core.roles import ALL_INBOXES_ROLES
from koproduktion.core.rules import (
    is_platform_admin,
    municipality_ids_with_role,
    staff_departments,
)
from koproduktion.core.selectors import Workspace, workspaces_with_counts
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project

from .models import Assignment, AssignmentKind
from .versions import CLOCK_SLOT_SECONDS, cache_key, scope_key, town_versions

# What no department has yet: ``InboxFilters.department`` for the coordination's own list.
UNROUTED = "ohne"


def responsible_department_id(*, idea: Idea) -> int | None:
    """The department that answers ``idea``, by these rules, the first that names one:

    1. the department of the idea's topic (else the project's topic), when the project leads
       or involves that department;
    2. the project's lead department;
    3. the department of the topic, when the project names no department at all;
    4. none: the coordination and the town's admins route it by hand.
    """
    project: Project = idea.project
    topic_id = idea.topic_id or project.topic_id
    topic_department = (
        Topic.objects.filter(pk=topic_id).values_list("department_id", flat=True).first()
        if topic_id
        else None
    )
    if topic_department is not None:
        if topic_department == project.department_id:
            return topic_department
        if project.involved_departments.filter(pk=topic_department).exists():
            return topic_department
    if project.department_id is not None:
        return project.department_id
    return topic_department


def awaiting_answer() -> Q:
    """Open: no official answer yet, and one still owed (not withdrawn, not hidden)."""
    return Q(answered_at__isnull=True, closed_at__isnull=True)


def _scope(user: Any, municipality_ids: set[int] | None = None) -> Q | None:
    """The assignments ``user`` sees in inboxes (of ``municipality_ids`` if given); None: none."""
    everything = municipality_ids_with_role(user, ALL_INBOXES_ROLES)
    departments = [
        department
        for department, town in staff_departments(user).items()
        if town not in everything and (municipality_ids is None or town in municipality_ids)
    ]
    if municipality_ids is not None:
        everything &= municipality_ids
        if is_platform_admin(user):
            everything |= municipality_ids
    if not everything and not departments:
        return None
    return Q(municipality_id__in=everything) | Q(department_id__in=departments)


@dataclass(frozen=True)
class InboxFilters:
    department: Department | str | None = None  # a department, UNROUTED, or None for all
    project: Project | None = None
    kind: AssignmentKind | None = None
    neighbourhood_id: int | None = None
    overdue: bool = False


def inbox_list(
    *,
    municipality: Municipality,
    user: Any,
    filters: InboxFilters | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Assignment]:
    """What awaits an answer in the inboxes ``user`` may see in ``municipality``, oldest first.

    One query for a page of it (with the contribution, its project and neighbourhood), one to
    count; the rules behind the scope are ``routing.can_view_inbox`` and ``routing.can_handle``.
    """
    filters = filters or InboxFilters()
    scope = _scope(user, {municipality.pk})
    if scope is None:
        return Assignment.objects.none()
    items = Assignment.objects.filter(scope, awaiting_answer(), municipality=municipality)
    if filters.department == UNROUTED:
        items = items.filter(department__isnull=True)
    elif filters.department is not None:
        items = items.filter(department=filters.department)
    if filters.project is not None:
        items = items.filter(project=filters.project)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.neighbourhood_id is not None:
        items = items.filter(idea__neighbourhood_id=filters.neighbourhood_id)
    if filters.overdue:
        items = items.filter(received_at__lt=overdue_before(municipality, now=now))
    return items.select_related(
        "idea", "comment", "project", "department", "idea__neighbourhood"
    ).order_by("received_at", "id")


def overdue_before(municipality: Municipality, *, now: datetime.datetime | None = None):
    """Contributions received before this moment are past the promised answer time."""
    return (now or timezone.now()) - datetime.timedelta(days=municipality.answer_within_days)


def inbox_departments(*, municipality: Municipality, user: Any) -> QuerySet[Department]:
    """The departments whose inboxes ``user`` sees in ``municipality`` (for the filter)."""
    departments = Department.objects.filter(municipality=municipality)
    if is_platform_admin(user) or municipality.pk in municipality_ids_with_role(
        user, ALL_INBOXES_ROLES
    ):
        return departments
    return departments.filter(pk__in=list(staff_departments(user)))


def inbox_counts(*, user: Any) -> list[Workspace]:
    """The inboxes ``user`` has, per town, with what awaits an answer there.

    One query for the towns' versions (``versions.town_versions``), and the count from the
    cache under them, else one query to count. Nothing is asked of people without an inbox
    (residents, council members, moderators); platform admins without a role in a town see its
    inbox from the town's page.
    """
    towns = municipality_ids_with_role(user, ALL_INBOXES_ROLES) | set(
        staff_departments(user).values()
    )
    scope = _scope(user)
    if not towns or scope is None:
        return []
    key = cache_key("counts", scope_key(user), sorted(town_versions(user, towns).items()))
    counted = cache.get(key)
    if counted is None:
        counted = _inbox_counts(towns, scope)
        cache.set(key, counted, CLOCK_SLOT_SECONDS)
    return counted


def _inbox_counts(towns: set[int], scope: Q) -> list[Workspace]:
    waiting = (
        Assignment.objects.filter(scope, awaiting_answer(), municipality=OuterRef("pk"))
        .order_by()
        .values("municipality")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return workspaces_with_counts(municipality_ids=towns, waiting=waiting)
