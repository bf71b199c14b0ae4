"""Reading the computed funnel, for staff in full and for the public with small counts hidden.

Public figures (``public=True``): a count below ``SMALLEST`` shows as "fewer than 5", and every
other count is rounded to the nearest multiple of 5. Rounding is what stops differencing: the
town's figure minus a neighbourhood's, or one stage minus the next, could otherwise name a group
of one to four people even though neither figure is small. Shares are computed from the figures
as shown, and left out where one of them is hidden. Staff see the exact counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from koproduktion.core.models import Municipality, Neighbourhood
from koproduktion.projects.models import Project

from .funnel import STAGE_FIELDS
from .models import Activity, FunnelFigure, FunnelRun, Scope, Stage

SMALLEST = 5
ROUND_TO = 5
MONTHS = 12
# How old the figures may grow while new acts wait; a page finding them older asks for a run.
REFRESH_SECONDS = 600
# A neighbourhood is flagged when it reaches fewer than this share of the town's rate.
FAR_BELOW = 0.5


@dataclass(frozen=True)
class Count:
    """A count as shown: ``value`` None when hidden (fewer than ``SMALLEST``)."""

    value: int | None

    @property
    def hidden(self) -> bool:
        return self.value is None


def shown(count: int, *, public: bool) -> Count:
    if not public:
        return Count(count)
    if count < SMALLEST:
        return Count(None)
    return Count(int(ROUND_TO * ((count + ROUND_TO // 2) // ROUND_TO)))


def share(part: Count, whole: Count) -> int | None:
    """Per cent of ``whole`` that ``part`` is; None where either is hidden or whole is 0."""
    if part.value is None or whole.value is None or not whole.value:
        return None
    return round(100 * part.value / whole.value)


@dataclass(frozen=True)
class StageFigure:
    stage: Stage
    count: Count
    share: int | None  # of the stage before, in per cent; None for the first stage or hidden


@dataclass(frozen=True)
class FunnelRow:
    """The five stages of one scope, over all time or in one month (``month``)."""

    month: datetime.date | None
    stages: list[StageFigure]

    @property
    def participation(self) -> Count:
        return self.stages[0].count


def _row(figure: FunnelFigure | None, month: datetime.date | None, public: bool) -> FunnelRow:
    stages: list[StageFigure] = []
    for stage, name in zip(Stage, STAGE_FIELDS, strict=True):
        count = shown(getattr(figure, name) if figure else 0, public=public)
        before = stages[-1].count if stages else None
        stages.append(StageFigure(stage, count, None if before is None else share(count, before)))
    return FunnelRow(month, stages)


@dataclass(frozen=True)
class Funnel:
    total: FunnelRow
    months: list[FunnelRow]  # the last twelve, oldest first
    computed_at: datetime.datetime | None


def last_months(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    months = []
    year, month = today.year, today.month
    for _step in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def funnel_run(*, municipality: Municipality) -> FunnelRun | None:
    return FunnelRun.objects.filter(municipality=municipality).first()


def funnel_is_stale(*, municipality: Municipality, run: FunnelRun | None) -> bool:
    """Whether acts wait that the figures do not hold, and the figures are old enough to be
    computed again (or were never computed)."""
    if run is not None and run.computed_at > timezone.now() - datetime.timedelta(
        seconds=REFRESH_SECONDS
    ):
        return False
    newer = Activity.objects.filter(municipality=municipality)
    if run is not None:
        newer = newer.filter(id__gt=run.last_activity_id)
    return run is None or newer.exists()


def funnel_get(
    *,
    municipality: Municipality,
    run: FunnelRun | None,
    scope: Scope = Scope.TOWN,
    scope_id: int = 0,
    public: bool,
    today: datetime.date | None = None,
) -> Funnel:
    """The funnel of one scope: over all time, and for each of the last twelve months."""
    months = last_months(today or timezone.localdate())
    figures = {
        figure.month: figure
        for figure in FunnelFigure.objects.filter(
            Q(month__isnull=True) | Q(month__gte=months[0]),
            municipality=municipality,
            scope=scope,
            scope_id=scope_id,
        )
    }
    return Funnel(
        total=_row(figures.get(None), None, public),
        months=[_row(figures.get(month), month, public) for month in months],
        computed_at=run.computed_at if run else None,
    )


@dataclass(frozen=True)
class Reach:
    """One neighbourhood: its residents and the people who took part in it."""

    neighbourhood: Neighbourhood | None  # None: the whole town
    population: int | None
    participants: Count
    per_thousand: float | None
    far_below: bool


def _per_thousand(count: Count, population: int | None) -> float | None:
    if count.value is None or not population:
        return None
    return round(1000 * count.value / population, 1)


def reach_list(
    *,
    municipality: Municipality,
    public: bool,
    neighbourhoods: list[Neighbourhood] | None = None,
) -> list[Reach]:
    """Per neighbourhood: participants (over all time) per 1,000 residents, and whether that is
    far below the town's rate; the town first, with the residents of all neighbourhoods that
    have a number."""
    if neighbourhoods is None:
        neighbourhoods = list(Neighbourhood.objects.filter(municipality=municipality))
    totals = dict(
        FunnelFigure.objects.filter(
            municipality=municipality,
            month__isnull=True,
            scope__in=[Scope.TOWN, Scope.NEIGHBOURHOOD],
        ).values_list("scope_id", "participation")
    )
    known = [n for n in neighbourhoods if n.population]
    population = sum(n.population for n in known) or None
    # The town's rate among the neighbourhoods with a number of residents: people may act in
    # several neighbourhoods, so the town's own total (each person once) is the fairer base.
    town_count = shown(totals.get(0, 0), public=public)
    town_rate = _per_thousand(town_count, population)
    rows = [Reach(None, population, town_count, town_rate, False)]
    for neighbourhood in neighbourhoods:
        count = shown(totals.get(neighbourhood.pk, 0), public=public)
        rate = _per_thousand(count, neighbourhood.population)
        # A hidden count is far below when even the most it can be (4) would be.
        highest = (
            rate
            if count.value is not None
            else _per_thousand(Count(SMALLEST - 1), neighbourhood.population)
        )
        far_below = highest is not None and bool(town_rate) and highest < FAR_BELOW * town_rate
        rows.append(Reach(neighbourhood, neighbourhood.population, count, rate, far_below))
    return rows


def scope_projects(*, municipality: Municipality, public: bool) -> list[Project]:
    """The projects one may filter by: the published ones for the public, all for staff."""
    projects = Project.objects.filter(municipality=municipality).only("pk", "title", "slug")
    if public:
        projects = projects.filter(is_published=True)
    return list(projects.order_by("title", "pk"))


def figures_version(*, municipality: Municipality, run: FunnelRun | None) -> str:
    """What the public page's content is cached by: the run of the figures and the names."""
    stamp = run.computed_at.isoformat() if run else "-"
    return f"{municipality.pk}.{municipality.content_version}.{stamp}"


def refresh_claimed(*, municipality: Municipality) -> bool:
    """Whether this request may ask for a computation (one per town while one is asked for)."""
    return cache.add(f"activity:refresh:{municipality.pk}", 1, REFRESH_SECONDS)
