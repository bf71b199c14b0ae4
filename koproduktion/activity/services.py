"""Every write of Activity and of the computed funnel."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import DateField, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from koproduktion.core.models import Municipality

from . import funnel
from .models import Activity, FunnelFigure, FunnelRun
from .sources import SOURCES, Source

BATCH = 5000

# The columns an act is stored in, and the alias of each in ``Source.rows`` (with ``_acts``).
_COLUMNS = (
    ("municipality_id", "municipality_id"),
    ("user_id", "a_user"),
    ("kind", None),  # the source's kind, a parameter
    ("source_id", "pk"),
    ("project_id", "a_project"),
    ("neighbourhood_id", "a_neighbourhood"),
    ("occurred_at", "a_at"),
    ("day", "a_day"),
    ("month", "a_month"),
)
# The compiled statement of each source for the acts of given rows, per time zone and database.
_compiled: dict[tuple[int, str, str], tuple[str, tuple[Any, ...]]] = {}


def _acts(source: Source, queryset: QuerySet | None = None) -> tuple[str, list[Any]]:
    """One ``INSERT … SELECT`` of the acts among ``queryset`` (all of the source's rows) that
    are not recorded yet, with its parameters; it ends in an open ``WHERE`` for the caller.

    The local day and month of each act come from the database, in the current time zone
    (``timezone.localdate``'s), on PostgreSQL and SQLite alike.
    """
    day = TruncDate(source.at, tzinfo=timezone.get_current_timezone())
    rows = source.rows(queryset).annotate(
        a_day=day, a_month=TruncMonth(day, output_field=DateField())
    )
    select, params = rows.query.get_compiler(connection=connection).as_sql()
    quote = connection.ops.quote_name
    picked = ["%s" if alias is None else f"r.{quote(alias)}" for _column, alias in _COLUMNS]
    sql = (
        f"INSERT INTO {quote(Activity._meta.db_table)} "  # noqa: S608 - names from the models
        f"({', '.join(quote(column) for column, _alias in _COLUMNS)}) "
        f"SELECT {', '.join(picked)} FROM ({select}) r WHERE "
    )
    return sql, [source.kind.value, *params]


def _insert(sql: str, params: list[Any]) -> int:
    """Run an ``_acts`` statement, completed; how many acts it recorded."""
    with connection.cursor() as cursor:
        # ``ON CONFLICT`` after a ``WHERE``: SQLite would read it as a join's ``ON`` otherwise.
        cursor.execute(f"{sql} ON CONFLICT DO NOTHING", params)
        return cursor.rowcount


def activities_record(*, source: Source, pks: list[int]) -> int:
    """Record the acts of ``source``'s rows ``pks`` that are acts and not yet recorded.

    The most frequent write beside the act itself (a first vote, a support, a follow), so one
    statement, compiled once per source (so a source's ``when`` must hold no moment, such as
    today's date): recorded twice, an act is kept once (``activity_once_per_act``).
    """
    if not pks:
        return 0
    key = (SOURCES.index(source), timezone.get_current_timezone_name(), connection.vendor)
    if key not in _compiled:
        sql, params = _acts(source)
        _compiled[key] = (sql, tuple(params))
    sql, params = _compiled[key]
    where = f"r.{connection.ops.quote_name('pk')} IN ({', '.join(['%s'] * len(pks))})"
    return _insert(sql + where, [*params, *pks])


def activities_rebuild(*, municipality: Municipality | None = None, fresh: bool = False) -> int:
    """Record every act of the sources' existing rows that is not recorded yet (all towns, or
    one); ``fresh`` forgets the recorded acts first. Returns how many were added.

    Safe to run again: an act already recorded is skipped (``activity_once_per_act``). Acts
    whose record went since (a support taken back) stay: they happened.
    """
    added = 0
    with transaction.atomic():
        if fresh:
            old = Activity.objects.all()
            if municipality is not None:
                old = old.filter(municipality=municipality)
            old.delete()
        for source in SOURCES:
            rows = source.model._default_manager.all()
            if municipality is not None:
                rows = rows.filter(municipality=municipality)
            rows = rows.filter(
                ~Exists(Activity.objects.filter(kind=source.kind, source_id=OuterRef("pk")))
            )
            sql, params = _acts(source, rows.order_by())
            added += _insert(sql + "1 = 1", params)
    return added


@transaction.atomic
def activities_erase(*, user: Any) -> int:
    """Forget every act of ``user`` (account deletion); the funnel loses them at its next
    computation."""
    deleted, _by_model = Activity.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def funnel_compute(*, municipality: Municipality, now: datetime.datetime | None = None) -> int:
    """Compute the town's funnel (``funnel.py``) and keep it in place of the old figures."""
    now = now or timezone.now()
    last = (
        Activity.objects.filter(municipality=municipality)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    ) or 0
    figures = [
        FunnelFigure(municipality=municipality, **figure)
        for figure in funnel.compute(municipality_id=municipality.pk, up_to_id=last)
    ]
    FunnelFigure.objects.filter(municipality=municipality).delete()
    FunnelFigure.objects.bulk_create(figures, batch_size=BATCH)
    FunnelRun.objects.update_or_create(
        municipality=municipality, defaults={"computed_at": now, "last_activity_id": last}
    )
    return len(figures)
