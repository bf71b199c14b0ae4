"""The step of a project's tasks and shifts: signing up to help (``projects.next_steps``)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koproduktion.projects.capabilities import Capability
from koproduktion.projects.models import Project
from koproduktion.projects.next_steps import Step, open_for, project_args, step_provider
from koproduktion.projects.rules import refusal_reason

from .models import Shift, Task
from .selectors import free_places


def _last_day(task: Task) -> datetime.date | datetime.datetime | None:
    """The last moment one can still sign up: the start of its last shift, or its day."""
    now = timezone.now()
    starts = [shift.starts_at for shift in task.shifts.all() if shift.starts_at > now]
    return max(starts) if starts else task.date


@step_provider
def task_steps(projects: Sequence[Project], user: Any) -> Iterator[tuple[int, Step]]:
    """Two queries for the page (the published tasks, their shifts); one step per project."""
    helping = open_for(projects, Capability.TAKE_ON_TASK)
    if not helping:
        return
    tasks = Task.objects.filter(project_id__in=helping, is_published=True).prefetch_related(
        Prefetch("shifts", queryset=Shift.objects.order_by("starts_at", "pk"))
    )
    open_tasks: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        if free_places(task) > 0:
            open_tasks[task.project_id].append(task)
    for project_id, found in open_tasks.items():
        project = helping[project_id]
        args = project_args(project)
        if len(found) == 1:
            (task,) = found
            url = reverse("implementation:task", args=[*args, task.pk])
            if task.shifts.all():
                action = _("Für eine Schicht eintragen: „%(title)s“") % {"title": task.title}
            else:
                action = _("Mithelfen: „%(title)s“") % {"title": task.title}
        else:
            url = reverse("implementation:tasks", args=args)
            action = ngettext(
                "Mithelfen: %(count)d Aufgabe mit freien Plätzen",
                "Mithelfen: %(count)d Aufgaben mit freien Plätzen",
                len(found),
            ) % {"count": len(found)}
        ends = [day for day in map(_last_day, found) if day is not None]
        yield (
            project_id,
            Step(
                capability=Capability.TAKE_ON_TASK,
                action=action,
                url=url,
                login_action=_("Anmelden, um mitzuhelfen"),
                until=max(ends, key=_comparable) if ends else None,
                refusal=refusal_reason(user, project, Capability.TAKE_ON_TASK),
            ),
        )


def _comparable(moment: datetime.date | datetime.datetime) -> datetime.datetime:
    """Dates and moments compared on one scale (a date counts as its end, local time)."""
    if isinstance(moment, datetime.datetime):
        return moment
    return timezone.make_aware(datetime.datetime.combine(moment, datetime.time.max))
