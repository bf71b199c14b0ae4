"""Writes of tasks and their shifts. Each runs in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.permissions import require
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify
from koproduktion.projects.services import project_content_changed

from ..models import Commitment, Shift, Task
from .common import check_point, overview_url

MANAGE_REFUSAL = "Aufgaben legt die Verwaltung an."


@dataclass(frozen=True)
class ShiftSpec:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None = None  # None: the task's capacity


def _shift(task: Task, spec: ShiftSpec) -> Shift:
    if spec.ends_at <= spec.starts_at:
        raise ValidationError({"shifts": _("Eine Schicht muss nach ihrem Beginn enden.")})
    if spec.starts_at <= timezone.now():
        raise ValidationError(
            {"shifts": _("Eine neue Schicht kann nicht in der Vergangenheit liegen.")}
        )
    shift = Shift(
        municipality_id=task.municipality_id,
        task=task,
        starts_at=spec.starts_at,
        ends_at=spec.ends_at,
        capacity=spec.capacity or task.capacity,
    )
    shift.full_clean()
    return shift


@transaction.atomic
@audited(gettext_lazy("Aufgabe angelegt"))
def task_create(
    *,
    actor: Any,
    project: Any,
    title: str,
    address: str,
    contact_name: str,
    description: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    date: datetime.date | None = None,
    capacity: int = 1,
    skills: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    milestone: Any = None,
    shifts: Iterable[ShiftSpec] = (),
    is_published: bool = False,
) -> Task:
    """A task on ``date``, or in ``shifts``; one of the two is needed."""
    require("implementation.can_manage", actor, project, _(MANAGE_REFUSAL))
    shifts = list(shifts)
    if date is None and not shifts:
        raise ValidationError(
            {"date": _("Bitte geben Sie ein Datum an oder legen Sie Schichten an.")}
        )
    if date is not None and date < timezone.localdate():
        raise ValidationError({"date": _("Das Datum liegt in der Vergangenheit.")})
    check_point(project.municipality, latitude, longitude)
    task = Task(
        municipality_id=project.municipality_id,
        project=project,
        milestone=milestone,
        title=title.strip(),
        description=description.strip(),
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
        date=date,
        capacity=capacity,
        skills=skills.strip(),
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        is_published=is_published,
        created_by=actor,
    )
    task.full_clean()
    task.save()
    Shift.objects.bulk_create([_shift(task, spec) for spec in shifts])
    project_content_changed(project_id=project.pk)
    return task


@transaction.atomic
@audited(gettext_lazy("Schicht hinzugefügt"))
def shift_add(*, actor: Any, task: Task, spec: ShiftSpec) -> Shift:
    require("implementation.can_manage", actor, task.project, _(MANAGE_REFUSAL))
    shift = _shift(task, spec)
    shift.save()
    project_content_changed(project_id=task.project_id)
    return shift


@transaction.atomic
@audited(
    gettext_lazy("Aufgabe veröffentlicht oder zurückgezogen"),
    target="task",
    fields=["is_published"],
)
def task_publish(*, actor: Any, task: Task, published: bool = True) -> Task:
    require("implementation.can_manage", actor, task.project, _(MANAGE_REFUSAL))
    task.is_published = published
    task.save(update_fields=["is_published"])
    project_content_changed(project_id=task.project_id)
    return task


@transaction.atomic
@audited(gettext_lazy("Aufgabe gelöscht"), target="task")
def task_delete(*, actor: Any, task: Task, reason: str = "") -> int:
    """Delete ``task``; everyone still committed to it hears first. Returns how many were told."""
    project = task.project
    require("implementation.can_manage", actor, project, _(MANAGE_REFUSAL))
    people = set(
        Commitment.objects.filter(task=task, cancelled_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    reason = reason.strip()
    title = task.title

    def message() -> str:
        text = _("Die Aufgabe „%(title)s“ in „%(project)s“ fällt aus.") % {
            "title": title,
            "project": project.title,
        }
        return f"{text} {reason}" if reason else text

    notify(
        user_ids=people,
        municipality_id=project.municipality_id,
        kind=Kind.TASK,
        message=message,
        url=overview_url(project),
        exclude=[actor.pk],
    )
    task.delete()
    project_content_changed(project_id=project.pk)
    return len(people - {actor.pk})
