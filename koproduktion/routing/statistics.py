"""Response times in public: how fast the administration answers, per department and month.

Over the contributions received in the last twelve months: the median number of days to the
first official answer (of those answered), and the share answered within the town's promised
time (``Municipality.answer_within_days``) among those that are answered or past that time
(a contribution still within it counts neither way; one withdrawn or hidden without an answer
is owed none). One SQL query per chart; the median comes from window functions, which SQLite
and PostgreSQL share. The figures are kept in the cache for ``CACHE_SECONDS``: they describe a
year, and the page is public.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from koproduktion.core.models import Department, Municipality

from .models import Assignment

CACHE_SECONDS = 600
MONTHS = 12
DAY = 86_400
# ``grp`` of the town's own row in the chart by department, and of contributions without one.
TOWN, UNROUTED = 0, -1

_MEDIAN_SQL = """
WITH base AS ({base}),
grouped AS ({grouped}),
ranked AS (
  SELECT grp, response_seconds,
    ROW_NUMBER() OVER (
      PARTITION BY grp
      ORDER BY CASE WHEN response_seconds IS NULL THEN 1 ELSE 0 END, response_seconds
    ) AS rn,
    COUNT(response_seconds) OVER (PARTITION BY grp) AS answered
  FROM grouped
)
SELECT grp, COUNT(*), MAX(answered),
  AVG(CASE WHEN response_seconds IS NOT NULL AND rn IN ((answered + 1) / 2, (answered + 2) / 2)
      THEN response_seconds END),
  SUM(CASE WHEN response_seconds <= %s THEN 1 ELSE 0 END)
FROM ranked GROUP BY grp
"""


@dataclass(frozen=True)
class ResponseTimes:
    """One row of a chart: a department (or the town) or a month."""

    key: object
    label: str
    counted: int  # answered, or past the promised time without an answer
    answered: int
    in_time: int
    median_days: float | None

    @property
    def share_in_time(self) -> float | None:
        return self.in_time / self.counted if self.counted else None

    @property
    def percent_in_time(self) -> int | None:
        share = self.share_in_time
        return None if share is None else round(share * 100)


def _base(municipality: Municipality, now: datetime.datetime, department_id: int | None):
    since = window_start(now)
    due_before = now - datetime.timedelta(days=municipality.answer_within_days)
    rows = Assignment.objects.filter(municipality=municipality, received_at__gte=since).filter(
        Q(response_seconds__isnull=False) | Q(received_at__lt=due_before, closed_at__isnull=True)
    )
    if department_id is not None:
        rows = rows.filter(department_id=department_id)
    return rows


def _run(base, grouped: str, promised_seconds: int) -> list[tuple]:
    sql, params = base.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_MEDIAN_SQL.format(base=sql, grouped=grouped), [*params, promised_seconds])
        return cursor.fetchall()


def _row(key: object, label: str, found: tuple | None) -> ResponseTimes:
    if found is None:
        return ResponseTimes(key, label, 0, 0, 0, None)
    _grp, counted, answered, median, in_time = found
    return ResponseTimes(
        key=key,
        label=label,
        counted=int(counted),
        answered=int(answered or 0),
        in_time=int(in_time or 0),
        median_days=None if median is None else float(median) / DAY,
    )


def by_department(
    *, municipality: Municipality, now: datetime.datetime | None = None
) -> list[ResponseTimes]:
    """The town first, then each department by name, then what no department had."""
    now = now or timezone.now()
    key = f"routing:by-department:{municipality.pk}:{municipality.answer_within_days}"
    found = cache.get(key)
    if found is None:
        base = _base(municipality, now, None).values("department_id", "response_seconds")
        grouped = (
            "SELECT COALESCE(department_id, -1) AS grp, response_seconds FROM base "
            "UNION ALL SELECT 0 AS grp, response_seconds FROM base"
        )
        found = {row[0]: row for row in _run(base, grouped, municipality.answer_within_days * DAY)}
        cache.set(key, found, CACHE_SECONDS)
    departments = Department.objects.filter(municipality=municipality).values_list("pk", "name")
    rows = [_row(TOWN, municipality.name, found.get(TOWN))]
    rows += [_row(pk, name, found.get(pk)) for pk, name in departments]
    if UNROUTED in found:
        rows.append(_row(UNROUTED, _("ohne Fachbereich"), found[UNROUTED]))
    return rows


def by_month(
    *,
    municipality: Municipality,
    department: Department | None = None,
    now: datetime.datetime | None = None,
) -> list[ResponseTimes]:
    """The last twelve months, oldest first, for the town or one department."""
    now = now or timezone.now()
    department_id = department.pk if department else None
    key = f"routing:by-month:{municipality.pk}:{department_id}:{municipality.answer_within_days}"
    found = cache.get(key)
    if found is None:
        base = (
            _base(municipality, now, department_id)
            .annotate(month=TruncMonth("received_at"))
            .values("month", "response_seconds")
        )
        grouped = "SELECT month AS grp, response_seconds FROM base"
        found = {
            _month_key(row[0]): row
            for row in _run(base, grouped, municipality.answer_within_days * DAY)
        }
        cache.set(key, found, CACHE_SECONDS)
    return [
        _row(month, date_format(month, "M Y"), found.get(month))
        for month in _last_months(timezone.localdate(now))
    ]


def late_contributions(
    *, municipality: Municipality, now: datetime.datetime | None = None, limit: int = 20
) -> list[Assignment]:
    """The contributions of the charts that missed the promised time, newest first: answered
    later, or past it without an answer (the counted ones that are not ``in_time``)."""
    now = now or timezone.now()
    promised = municipality.answer_within_days * DAY
    return list(
        _base(municipality, now, None)
        .filter(Q(response_seconds__gt=promised) | Q(response_seconds__isnull=True))
        .select_related("idea", "comment", "project")
        .order_by("-received_at", "-pk")[:limit]
    )


def window_start(now: datetime.datetime) -> datetime.datetime:
    """The start of the first of the twelve months shown (this month and the eleven before)."""
    first = _last_months(timezone.localdate(now))[0]
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))


def _month_key(value: object) -> datetime.date:
    """The first of the month, from what the database gives (a datetime, or text on SQLite)."""
    if isinstance(value, datetime.datetime | datetime.date):
        return datetime.date(value.year, value.month, 1)
    text = str(value)
    return datetime.date(int(text[:4]), int(text[5:7]), 1)


def _last_months(today: datetime.date) -> list[datetime.date]:
    months = []
    year, month = today.year, today.month
    for _step in range(MONTHS):
        months.append(datetime.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]
