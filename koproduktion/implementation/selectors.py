"""Reads of the implementation. Lists cost a fixed number of queries however long they are."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import rules
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from koproduktion.core.models import Block, Membership
from koproduktion.core.selectors import represented_organisations
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.selectors import project_list

from .models import Commitment, Milestone, MilestoneStatus, Shift, Task, Update


def progress_of(milestones: Iterable[Milestone]) -> int | None:
    """Weighted mean of the milestones' completion in whole percent; None without milestones."""
    total = weighted = 0
    for milestone in milestones:
        total += milestone.weight
        weighted += milestone.weight * milestone.percent_complete
    return None if total == 0 else round(weighted / total)


def milestone_list(*, project: Any) -> QuerySet[Milestone]:
    return (
        Milestone.objects.filter(project=project)
        .select_related("responsible_department", "responsible_organisation")
        .prefetch_related("ideas")
        .order_by("target_date", "pk")
    )


def milestone_get(*, project: Any, pk: int) -> Milestone:
    try:
        return milestone_list(project=project).get(pk=pk)
    except Milestone.DoesNotExist as missing:
        raise Http404 from missing


def my_group_milestone_ids(*, user: Any, project: Any) -> set[int]:
    """Ids of the project's milestones whose resident group ``user`` belongs to, in one query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Milestone.objects.filter(project=project, group_members=user).values_list("pk", flat=True)
    )


def people_named(*, municipality: Any, names: Iterable[str]) -> dict[str, list[Any]]:
    """For each of ``names``: the active people with a role in ``municipality`` of that public name.

    Names compare ignoring case, as sign-up compares them to keep pseudonyms unique, so a list
    normally holds one person; the database decides what "ignoring case" means. One query per
    name: meant for the few lines of a staff form. Each person carries ``is_blocked`` (a block in
    ``municipality`` that is running now).
    """
    now = timezone.now()
    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Exists(Membership.objects.filter(user=OuterRef("pk"), municipality=municipality)))
        .annotate(
            is_blocked=Exists(
                Block.objects.filter(
                    user=OuterRef("pk"), municipality=municipality, lifted_at__isnull=True
                ).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            )
        )
        .order_by("pk")
    )
    return {name: list(people.filter(public_name__iexact=name)) for name in names}


def _visible_tasks(project: Any, user: Any) -> QuerySet[Task]:
    tasks = Task.objects.filter(project=project)
    if not rules.test_rule("implementation.can_manage", user, project):
        tasks = tasks.filter(is_published=True)
    return tasks


def task_list(*, project: Any, user: Any) -> QuerySet[Task]:
    """The project's tasks with their shifts (one more query); drafts only for staff."""
    return (
        _visible_tasks(project, user)
        .select_related("milestone")
        .prefetch_related(Prefetch("shifts", queryset=Shift.objects.order_by("starts_at", "pk")))
        .order_by(F("date").asc(nulls_last=True), "pk")
    )


def task_get(*, project: Any, pk: int, user: Any) -> Task:
    try:
        task = task_list(project=project, user=user).get(pk=pk)
    except Task.DoesNotExist as missing:
        raise Http404 from missing
    task.project = project
    return task


def free_places(task: Task) -> int:
    """Places still open in shifts that have not begun, or on a day that is not over.

    Uses the prefetched shifts of ``task_list``, so a list asks no query per task.
    """
    now = timezone.now()
    shifts = list(task.shifts.all())
    if shifts:
        return sum(shift.free for shift in shifts if shift.starts_at > now)
    if task.date is not None and task.date < timezone.localdate():
        return 0
    return task.capacity - task.taken


def my_commitment_keys(*, user: Any, tasks: Iterable[Task]) -> set[tuple[int, int | None]]:
    """(task id, shift id) of ``user``'s live commitments among ``tasks``, in one query."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Commitment.objects.filter(
            user=user, task__in=[task.pk for task in tasks], cancelled_at__isnull=True
        ).values_list("task_id", "shift_id")
    )


def volunteers(*, task: Task) -> QuerySet[Commitment]:
    """Live commitments to ``task`` for staff; contacts are shown only where people agreed."""
    return (
        Commitment.objects.filter(task=task, cancelled_at__isnull=True)
        .select_related("user", "shift", "organisation", "source_event")
        .order_by(F("shift__starts_at").asc(nulls_first=True), "created_at", "pk")
    )


def _mine(user: Any) -> Q:
    """A person's own commitments, and those of the organisations they represent now (not
    those they once made for one they no longer represent)."""
    return Q(user=user, organisation__isnull=True) | Q(
        organisation__in=represented_organisations(user=user).values("pk")
    )


def my_task_commitments(*, user: Any, task: Task) -> list[Commitment]:
    """What ``user`` (or an organisation they represent) committed to ``task``."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Commitment.objects.filter(_mine(user), task=task, cancelled_at__isnull=True)
        .select_related("shift", "organisation")
        .order_by("pk")
    )


def my_commitment_get(*, user: Any, pk: int) -> Commitment:
    """One of ``user``'s commitments (or their organisations'), else 404."""
    try:
        return Commitment.objects.select_related("task", "shift", "organisation").get(
            _mine(user), pk=pk
        )
    except Commitment.DoesNotExist as missing:
        raise Http404 from missing


def organisations_committed(*, task: Task) -> list[Commitment]:
    """The organisations' live commitments to ``task``: shown publicly with their name and how
    many people they send."""
    return list(
        Commitment.objects.filter(task=task, organisation__isnull=False, cancelled_at__isnull=True)
        .select_related("organisation", "shift")
        .order_by(F("shift__starts_at").asc(nulls_first=True), "pk")
    )


def commitments_of(*, user: Any) -> QuerySet[Commitment]:
    """A person's commitments and those of the organisations they represent, newest date
    first, with everything the page shows."""
    return (
        Commitment.objects.filter(_mine(user), cancelled_at__isnull=True)
        .select_related("task", "shift", "project", "project__municipality", "organisation")
        .order_by(F("shift__starts_at").desc(nulls_last=True), F("task__date").desc(), "-pk")
    )


def hours_of(*, user: Any) -> Decimal:
    total = Commitment.objects.filter(
        user=user, organisation__isnull=True, cancelled_at__isnull=True
    ).aggregate(total=Sum("hours"))["total"]
    return total or Decimal("0")


def update_list(*, project: Any) -> QuerySet[Update]:
    return (
        Update.objects.filter(project=project)
        .select_related("author", "milestone")
        .prefetch_related("photos")
        .order_by("-created_at", "-pk")
    )


def _per_project(aggregate: Any) -> Subquery:
    # A subquery per column: joining milestones next to the phases the project list already
    # aggregates would multiply the sums.
    return Subquery(
        Milestone.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(value=aggregate)
        .values("value")[:1]
    )


def projects_in_implementation(*, municipality: Any, user: Any) -> QuerySet[Project]:
    """The municipality's projects in implementation, with progress and delays in one query.

    ``progress_sum`` / ``weight_sum`` is the weighted completion; the delayed milestones (with
    their reasons) come with one prefetch.
    """
    return (
        project_list(municipality=municipality, user=user)
        .filter(phase=PhaseKind.IMPLEMENTATION)
        .annotate(
            progress_sum=_per_project(Sum(F("weight") * F("percent_complete"))),
            weight_sum=_per_project(Sum("weight")),
            delayed_count=_per_project(Count("pk", filter=Q(status=MilestoneStatus.DELAYED))),
        )
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.filter(status=MilestoneStatus.DELAYED).order_by(
                    "target_date", "pk"
                ),
                to_attr="delayed_milestones",
            )
        )
    )
