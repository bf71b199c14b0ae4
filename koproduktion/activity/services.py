"""Every write of Activity and of the computed funnel."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from koproduktion.core.models import Municipality

from . import funnel
from .models import Activity, FunnelFigure, FunnelRun
from .sources import SOURCES, Source

BATCH = 5000


def _activity(source: Source, row: dict[str, Any]) -> Activity:
    day = timezone.localdate(row["a_at"])
    return Activity(
        municipality_id=row["municipality_id"],
        user_id=row["a_user"],
        kind=source.kind,
        source_id=row["pk"],
        project_id=row["a_project"],
        neighbourhood_id=row["a_neighbourhood"],
        occurred_at=row["a_at"],
        day=day,
        month=day.replace(day=1),
    )


def _store(source: Source, rows: Iterable[dict[str, Any]]) -> int:
    stored, batch = 0, []
    for row in rows:
        batch.append(_activity(source, row))
        if len(batch) >= BATCH:
            stored += len(Activity.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        stored += len(Activity.objects.bulk_create(batch, ignore_conflicts=True))
    return stored


@transaction.atomic
def activities_record(*, source: Source, pks: list[int]) -> int:
    """Record the acts of ``source``'s rows ``pks`` that are acts and not yet recorded."""
    queryset = source.model._default_manager.filter(pk__in=pks)
    return _store(source, source.rows(queryset))


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
            added += _store(source, source.rows(rows).order_by().iterator(chunk_size=BATCH))
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
