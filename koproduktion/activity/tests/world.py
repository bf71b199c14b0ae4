"""A hand-counted town: twelve people and their acts, with the funnel worked out on paper.

Three months: ``m2`` (two months ago), ``m1`` (last month) and ``m0`` (this month); project A
lies in neighbourhood N1 (1,000 residents), project B in N2 (8,000 residents).

| person | acts                                                   | P | I | M | E | R |
|--------|--------------------------------------------------------|---|---|---|---|---|
| p1     | idea A (m2, 3rd)                                       | x |   |   |   |   |
| p2     | comment A (m2, 3rd), support A (m2, 10th)              | x | x |   |   |   |
| p3     | follow A (m2, 5th)                                     | x | x |   |   |   |
| p4     | idea A and idea B (m2, 2nd)                            | x |   | x |   |   |
| p5     | support A (m2, 20th), support A (m1, 2nd)              | x | x | x |   |   |
| p6     | event registration A (m1, 6th)                         | x |   |   | x |   |
| p7     | commitment A (m1, 7th), task done A (m1, 20th)         | x | x |   | x | x |
| p8     | co-initiator, N2, no project (m0, 1st)                 | x |   |   |   | x |
| p9     | sponsorship applied N2 (m2, 12th), held N2 (m0, 3rd)   | x | x | x | x | x |
| p10    | need offer, nowhere (m0, 4th)                          | x |   |   | x |   |
| p11    | poll B and opinion map B (m0, 5th)                     | x |   |   |   |   |
| p12    | idea B, follow B (m1, 1st), commitment B (m0, 10th)    | x | x | x | x |   |
|        | town, over all time                                    |12 | 6 | 4 | 5 | 3 |
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone

from koproduktion.activity.models import Activity, Kind
from koproduktion.activity.selectors import last_months
from koproduktion.core.models import Municipality, Neighbourhood
from koproduktion.core.tests.factories import MunicipalityFactory, NeighbourhoodFactory, UserFactory
from koproduktion.projects.models import Project
from koproduktion.projects.tests.factories import ProjectFactory

_source_ids = itertools.count(1)

# Town over all time, and per month (oldest first): P, I, M, E, R.
TOWN_TOTAL = (12, 6, 4, 5, 3)
TOWN_MONTHS = ((6, 2, 1, 1, 0), (4, 3, 1, 2, 1), (5, 2, 2, 3, 2))
N1_TOTAL = (7, 4, 1, 2, 1)
N2_TOTAL = (5, 2, 2, 2, 2)
PROJECT_B_TOTAL = (3, 1, 1, 1, 0)


@dataclass
class World:
    town: Municipality
    n1: Neighbourhood
    n2: Neighbourhood
    a: Project
    b: Project
    months: list[datetime.date]  # m2, m1, m0


def act(
    town: Municipality,
    person,
    kind: Kind,
    day: datetime.date,
    *,
    project: Project | None = None,
    neighbourhood: Neighbourhood | None = None,
) -> Activity:
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return Activity.objects.create(
        municipality=town,
        user=person,
        kind=kind,
        source_id=next(_source_ids),
        project=project,
        neighbourhood=neighbourhood,
        occurred_at=at,
        day=day,
        month=day.replace(day=1),
    )


def build() -> World:
    town = MunicipalityFactory()
    n1 = NeighbourhoodFactory(municipality=town, population=1000)
    n2 = NeighbourhoodFactory(municipality=town, population=8000)
    a = ProjectFactory(municipality=town, neighbourhood=n1, is_published=True)
    b = ProjectFactory(municipality=town, neighbourhood=n2, is_published=True)
    m2, m1, m0 = last_months(timezone.localdate(), 3)
    p = [UserFactory() for _ in range(13)]  # p[1] … p[12]

    def on(month: datetime.date, day: int) -> datetime.date:
        return month.replace(day=day)

    in_a = {"project": a, "neighbourhood": n1}
    in_b = {"project": b, "neighbourhood": n2}
    act(town, p[1], Kind.IDEA, on(m2, 3), **in_a)
    act(town, p[2], Kind.COMMENT, on(m2, 3), **in_a)
    act(town, p[2], Kind.SUPPORT, on(m2, 10), **in_a)
    act(town, p[3], Kind.FOLLOW, on(m2, 5), **in_a)
    act(town, p[4], Kind.IDEA, on(m2, 2), **in_a)
    act(town, p[4], Kind.IDEA, on(m2, 2), **in_b)
    act(town, p[5], Kind.SUPPORT, on(m2, 20), **in_a)
    act(town, p[5], Kind.SUPPORT, on(m1, 2), **in_a)
    act(town, p[6], Kind.EVENT_REGISTRATION, on(m1, 6), **in_a)
    act(town, p[7], Kind.COMMITMENT, on(m1, 7), **in_a)
    act(town, p[7], Kind.TASK_COMPLETED, on(m1, 20), **in_a)
    act(town, p[8], Kind.CO_INITIATOR, on(m0, 1), neighbourhood=n2)
    act(town, p[9], Kind.SPONSORSHIP_APPLICATION, on(m2, 12), neighbourhood=n2)
    act(town, p[9], Kind.SPONSORSHIP, on(m0, 3), neighbourhood=n2)
    act(town, p[10], Kind.NEED_OFFER, on(m0, 4))
    act(town, p[11], Kind.POLL_PARTICIPATION, on(m0, 5), **in_b)
    act(town, p[11], Kind.STATEMENT_VOTE, on(m0, 5), **in_b)
    act(town, p[12], Kind.IDEA, on(m1, 1), **in_b)
    act(town, p[12], Kind.FOLLOW, on(m1, 1), **in_b)
    act(town, p[12], Kind.COMMITMENT, on(m0, 10), **in_b)
    return World(town, n1, n2, a, b, [m2, m1, m0])
