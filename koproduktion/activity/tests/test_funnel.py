"""The funnel's figures against the hand-counted town (world.py), exact and as the public sees
them."""

from __future__ import annotations

import pytest

from koproduktion.activity.models import Scope
from koproduktion.activity.selectors import funnel_get, funnel_run, reach_list, shown
from koproduktion.activity.services import funnel_compute

from . import world as w

pytestmark = pytest.mark.django_db


def _counts(row) -> tuple[int | None, ...]:
    return tuple(figure.count.value for figure in row.stages)


def _funnel(made: w.World, scope=Scope.TOWN, scope_id=0, *, public=False):
    run = funnel_run(municipality=made.town)
    return funnel_get(
        municipality=made.town, run=run, scope=scope, scope_id=scope_id, public=public
    )


def test_the_town_over_all_time_and_per_month_matches_the_hand_count(town):
    funnel = _funnel(town)
    assert _counts(funnel.total) == w.TOWN_TOTAL
    by_month = {row.month: _counts(row) for row in funnel.months}
    assert [by_month[month] for month in town.months] == list(w.TOWN_MONTHS)
    # The other nine of the twelve months are there, empty.
    assert len(funnel.months) == 12
    assert sum(1 for row in funnel.months if _counts(row) == (0, 0, 0, 0, 0)) == 9


def test_neighbourhoods_and_projects_count_the_acts_that_belong_to_them(town):
    assert _counts(_funnel(town, Scope.NEIGHBOURHOOD, town.n1.pk).total) == w.N1_TOTAL
    assert _counts(_funnel(town, Scope.NEIGHBOURHOOD, town.n2.pk).total) == w.N2_TOTAL
    # Project A's acts are all in N1.
    assert _counts(_funnel(town, Scope.PROJECT, town.a.pk).total) == w.N1_TOTAL
    assert _counts(_funnel(town, Scope.PROJECT, town.b.pk).total) == w.PROJECT_B_TOTAL


def test_the_share_that_moves_on_is_each_stage_over_the_one_before(town):
    shares = [figure.share for figure in _funnel(town).total.stages]
    # 6/12, 4/6, 5/4 (a stage is not a subset of the one before), 3/5.
    assert shares == [None, 50, 67, 125, 60]


def test_the_public_sees_no_count_below_five_and_the_others_rounded(town):
    public = _funnel(town, public=True).total
    # 12 → 10, 6 → 5, 4 hidden, 5 → 5, 3 hidden.
    assert _counts(public) == (10, 5, None, 5, None)
    # Shares from hidden counts are hidden too; the others come from the shown counts.
    assert [figure.share for figure in public.stages] == [None, 50, None, None, None]


def test_differencing_town_and_neighbourhood_names_no_small_group(town):
    # Exactly: town 12, N1 7, N2 5 — the town minus N1 would be 5 people, and the town minus N2's
    # 5 a group of 7; rounded, no difference of two shown figures is an exact head count.
    town_count = _funnel(town, public=True).total.participation.value
    n1_count = _funnel(town, Scope.NEIGHBOURHOOD, town.n1.pk, public=True).total
    assert (town_count, n1_count.participation.value) == (10, 5)
    for exact in range(5, 200):
        assert abs(shown(exact, public=True).value - exact) <= 2
        assert shown(exact, public=True).value % 5 == 0
    assert [shown(n, public=True).value for n in range(5)] == [None] * 5


def test_participants_per_thousand_residents_flags_the_neighbourhood_far_below(town):
    rows = {row.neighbourhood: row for row in reach_list(municipality=town.town, public=False)}
    whole = rows[None]
    assert (whole.population, whole.participants.value, whole.per_thousand) == (9000, 12, 1.3)
    assert (rows[town.n1].participants.value, rows[town.n1].per_thousand) == (7, 7.0)
    assert (rows[town.n2].participants.value, rows[town.n2].per_thousand) == (5, 0.6)
    assert not rows[town.n1].far_below
    assert rows[town.n2].far_below


def test_a_neighbourhood_without_residents_entered_gets_no_rate(town):
    town.n2.population = None
    town.n2.save()
    rows = {row.neighbourhood: row for row in reach_list(municipality=town.town, public=True)}
    assert rows[town.n2].per_thousand is None
    assert not rows[town.n2].far_below
    assert rows[None].population == 1000


def test_computing_again_gives_the_same_figures(town):
    before = _counts(_funnel(town).total)
    funnel_compute(municipality=town.town)
    assert _counts(_funnel(town).total) == before


def test_another_towns_acts_do_not_count(town):
    other = w.build()
    funnel_compute(municipality=other.town)
    funnel_compute(municipality=town.town)
    assert _counts(_funnel(town).total) == w.TOWN_TOTAL
