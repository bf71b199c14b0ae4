"""Reads of the workshop screen: what one may sign up for at the event."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from koproduktion.events.models import Event
from koproduktion.implementation.models import Shift, Task


@dataclass(frozen=True)
class Place:
    """A task, or one of its shifts, with room left."""

    key: str  # "task-<id>" or "shift-<id>", the value of the choice
    task: Task
    shift: Shift | None
    free: int


def open_places(*, event: Event) -> list[Place]:
    """The published tasks of the event's project (and their shifts) still ahead with room, in
    two queries. Full ones are left out; the service refuses a place taken meanwhile."""
    if not event.project_id:
        return []
    now = timezone.now()
    tasks = list(
        Task.objects.filter(project_id=event.project_id, is_published=True)
        .filter(Q(date__isnull=True) | Q(date__gte=timezone.localdate()))
        .order_by(F("date").asc(nulls_last=True), "title", "pk")
    )
    shifts: dict[int, list[Shift]] = {}
    for shift in Shift.objects.filter(
        task__in=tasks, starts_at__gt=now, taken__lt=F("capacity")
    ).order_by("starts_at", "pk"):
        shifts.setdefault(shift.task_id, []).append(shift)
    with_shifts = set(
        Shift.objects.filter(task__in=tasks).values_list("task_id", flat=True).distinct()
    )
    places = []
    for task in tasks:
        if task.pk in with_shifts:
            for shift in shifts.get(task.pk, []):
                shift.task = task
                places.append(Place(f"shift-{shift.pk}", task, shift, shift.capacity - shift.taken))
        elif task.taken < task.capacity:
            places.append(Place(f"task-{task.pk}", task, None, task.capacity - task.taken))
    return places
