"""iCalendar feeds of tasks and shifts (the writer is ``core.ical``)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import replace

from django.utils.translation import ngettext

from koproduktion.core.ical import Event, calendar, escape, fold, host

from .models import Commitment, Shift, Task
from .services.common import task_url

__all__ = ["Event", "calendar", "commitment_events", "escape", "fold", "task_events"]


def task_events(task: Task, shifts: Iterable[Shift], *, base_url: str) -> list[Event]:
    """One event per shift, or one all-day event for a task on a date.

    ``base_url`` is scheme and host of the events' links (``core.links.site_url``). The events'
    identifiers keep ``SITE_URL``'s host: calendars recognise an event by it, whichever address
    the feed was fetched from.
    """
    url = base_url + task_url(task)
    description = task.description
    if task.skills:
        description = f"{description}\n{task.skills}".strip()
    common = {
        "summary": task.title,
        "location": task.address,
        "description": description,
        "url": url,
    }
    shifts = list(shifts)
    if shifts:
        return [
            Event(
                uid=f"shift-{shift.pk}@{host()}",
                start=shift.starts_at,
                end=shift.ends_at,
                **common,
            )
            for shift in shifts
        ]
    if task.date is None:
        return []
    return [
        Event(
            uid=f"task-{task.pk}@{host()}",
            start=task.date,
            end=task.date + datetime.timedelta(days=1),
            **common,
        )
    ]


def commitment_events(commitments: Iterable[Commitment], *, base_url: str) -> list[Event]:
    """The dates of commitments; an organisation's say whom it sends ("…, 4 Personen")."""
    events = []
    for commitment in commitments:
        task = commitment.task
        task.project = commitment.project
        shifts = [commitment.shift] if commitment.shift_id else []
        found = task_events(task, shifts, base_url=base_url)
        if commitment.organisation_id:
            who = ngettext(
                "%(name)s, %(count)d Person", "%(name)s, %(count)d Personen", commitment.people
            ) % {"name": commitment.organisation.name, "count": commitment.people}
            found = [replace(event, summary=f"{event.summary} ({who})") for event in found]
        events += found
    return events
