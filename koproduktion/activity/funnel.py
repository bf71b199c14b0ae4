"""The PIMEV funnel, computed in SQL for the town, each neighbourhood and each project.

A person counts, in a scope (the town, a neighbourhood, a project), for

- **Participation** when they did anything there (any act);
- **Identification** when they follow something there, or came back: acts on two days or more;
- **Motivation** when they were active there in more than one month or in more than one project;
- **Engagement** when they committed: registered for an event, promised a task or a shift,
  applied for a sponsorship, offered help to an initiative;
- **Responsibility** when they completed a task, hold a sponsorship or (co-)initiated an
  initiative.

Each stage has its own test, so a stage need not be a subset of the one before (a co-initiator
who did nothing else): the share that moves on is stage n+1 / stage n and may, rarely, pass 100 %.

Per month, a person counts in a month they were active in, for every stage whose test their acts
up to the end of that month pass: "of those active in March, how many had come back by then".
Over all time (``month`` empty), their whole history counts.

One query for all scopes and months: the acts are grouped per scope, person and month, the
months of each person are summed up in order by window functions (SQLite and PostgreSQL alike),
and the people are counted per scope and month. A project counts for "more than one project" in
the month of the person's first act in it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection

from .models import ENGAGEMENT_KINDS, FOLLOW_KINDS, RESPONSIBILITY_KINDS, Activity, Scope

_SQL = """
WITH base AS (
  SELECT 'town' AS sk, 0 AS sid, user_id, kind, project_id, day, month
    FROM {table} WHERE municipality_id = %s AND id <= %s
  UNION ALL
  SELECT 'neighbourhood', neighbourhood_id, user_id, kind, project_id, day, month
    FROM {table} WHERE municipality_id = %s AND id <= %s AND neighbourhood_id IS NOT NULL
  UNION ALL
  SELECT 'project', project_id, user_id, kind, project_id, day, month
    FROM {table} WHERE municipality_id = %s AND id <= %s AND project_id IS NOT NULL
),
per_month AS (
  SELECT sk, sid, user_id, month,
    COUNT(DISTINCT day) AS days,
    MAX(CASE WHEN kind IN ({follow}) THEN 1 ELSE 0 END) AS follows,
    MAX(CASE WHEN kind IN ({engaged}) THEN 1 ELSE 0 END) AS engaged,
    MAX(CASE WHEN kind IN ({responsible}) THEN 1 ELSE 0 END) AS responsible
  FROM base GROUP BY sk, sid, user_id, month
),
first_in_project AS (
  SELECT sk, sid, user_id, first_month AS month, COUNT(*) AS projects
  FROM (
    SELECT sk, sid, user_id, project_id, MIN(month) AS first_month
    FROM base WHERE project_id IS NOT NULL GROUP BY sk, sid, user_id, project_id
  ) firsts
  GROUP BY sk, sid, user_id, first_month
),
history AS (
  SELECT m.sk, m.sid, m.month,
    SUM(m.days) OVER upto AS days,
    MAX(m.follows) OVER upto AS follows,
    MAX(m.engaged) OVER upto AS engaged,
    MAX(m.responsible) OVER upto AS responsible,
    ROW_NUMBER() OVER upto AS months,
    SUM(COALESCE(p.projects, 0)) OVER upto AS projects,
    ROW_NUMBER() OVER (PARTITION BY m.sk, m.sid, m.user_id ORDER BY m.month DESC) AS latest
  FROM per_month m
  LEFT JOIN first_in_project p
    ON p.sk = m.sk AND p.sid = m.sid AND p.user_id = m.user_id AND p.month = m.month
  WINDOW upto AS (
    PARTITION BY m.sk, m.sid, m.user_id ORDER BY m.month ROWS UNBOUNDED PRECEDING
  )
)
SELECT sk, sid, month, {stages} FROM history GROUP BY sk, sid, month
UNION ALL
SELECT sk, sid, NULL, {stages} FROM history WHERE latest = 1 GROUP BY sk, sid
"""

_STAGES = """COUNT(*),
  SUM(CASE WHEN follows = 1 OR days >= 2 THEN 1 ELSE 0 END),
  SUM(CASE WHEN months >= 2 OR projects >= 2 THEN 1 ELSE 0 END),
  SUM(engaged),
  SUM(responsible)"""

STAGE_FIELDS = ("participation", "identification", "motivation", "engagement", "responsibility")


def _marks(kinds: frozenset[str]) -> tuple[str, list[str]]:
    values = sorted(kinds)
    return ", ".join(["%s"] * len(values)), values


def compute(*, municipality_id: int, up_to_id: int) -> list[dict[str, Any]]:
    """The funnel of every scope of the town, per month and over all time, from the acts up to
    ``up_to_id``: dicts of ``FunnelFigure``'s fields."""
    follow, follow_values = _marks(FOLLOW_KINDS)
    engaged, engaged_values = _marks(ENGAGEMENT_KINDS)
    responsible, responsible_values = _marks(RESPONSIBILITY_KINDS)
    sql = _SQL.format(
        table=Activity._meta.db_table,
        follow=follow,
        engaged=engaged,
        responsible=responsible,
        stages=_STAGES,
    )
    params = [
        *([municipality_id, up_to_id] * 3),
        *follow_values,
        *engaged_values,
        *responsible_values,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        {
            "scope": Scope(scope),
            "scope_id": int(scope_id),
            "month": _month(month),
            **{name: int(value or 0) for name, value in zip(STAGE_FIELDS, counts, strict=True)},
        }
        for scope, scope_id, month, *counts in rows
    ]


def _month(value: object) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    text = str(value)  # SQLite gives text
    return datetime.date(int(text[:4]), int(text[5:7]), 1)
