"""Back-dating: the demo is written in a minute but tells a year.

Every write goes through its service, which stamps "now"; ``happened_at`` then moves the
timestamps of what that service wrote — the rows named, plus the notifications and follows it
left — to the moment it happened in the demo's story. Only timestamp fields are touched, so
counters and other derived state stay what the services made of them. The audit log is the
exception on purpose: the database refuses to change it, and it says truthfully when the demo
was seeded.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Model

from koproduktion.notifications.models import Follow, Notification
from koproduktion.routing.models import Assignment

# What nearly every service leaves behind besides its own rows.
TRAILS: tuple[tuple[type[Model], str], ...] = (
    (Notification, "created_at"),
    (Follow, "created_at"),
    (Assignment, "received_at"),
)


def _lasts(models: list[type[Model]]) -> list[int]:
    """The highest id of each of ``models``, in one query (the seed asks thousands of times)."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        # Table and column names from the models, quoted; no value from outside.
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})"  # noqa: S608
        for m in models
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")
        return [last or 0 for last in cursor.fetchone()]


@contextmanager
def happened_at(when: datetime.datetime, *stamps: tuple[type[Model], str]) -> Iterator[None]:
    """Rows of ``stamps`` (model, timestamp field) written inside the block, and the block's
    notifications, follows and routings, get ``when``."""
    tracked = (*TRAILS, *stamps)
    models = [model for model, _field in tracked]
    before = _lasts(models)
    yield
    after = _lasts(models)
    for (model, field), mark, last in zip(tracked, before, after, strict=True):
        if last > mark:
            model.objects.filter(pk__gt=mark, pk__lte=last).update(**{field: when})


def answered_at(answer: Model, when: datetime.datetime) -> None:
    """An official answer given at ``when``: its routing's answer time and response time."""
    for routed in Assignment.objects.filter(answer=answer):
        seconds = max(0, int((when - routed.received_at).total_seconds()))
        Assignment.objects.filter(pk=routed.pk).update(answered_at=when, response_seconds=seconds)
