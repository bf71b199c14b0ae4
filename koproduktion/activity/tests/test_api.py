"""The funnel in the API: the public figures of the page, never staff's exact counts."""

from __future__ import annotations

import pytest
from django.test import Client

from . import world as w

pytestmark = pytest.mark.django_db


def _get(made: w.World, **query: str):
    return Client().get(f"/api/v1/municipalities/{made.town.slug}/participation", query)


def test_the_town_funnel_is_rounded_and_hides_fewer_than_five(town):
    answer = _get(town).json()

    assert answer["scope"] == "town"
    assert answer["smallest_shown"] == 5
    assert [stage["count"] for stage in answer["total"]["stages"]] == [10, 5, None, 5, None]
    assert [stage["share_of_previous"] for stage in answer["total"]["stages"]] == [
        None,
        50,
        None,
        None,
        None,
    ]
    assert answer["total"]["stages"][0]["label"] == "Partizipation"
    assert len(answer["months"]) == 12
    assert answer["computed_at"] is not None
    # Staff's exact counts (12, 6, 4, 5, 3) are in no part of the answer.
    assert 12 not in [stage["count"] for row in answer["months"] for stage in row["stages"]]


def test_the_town_shows_whom_it_reaches_per_neighbourhood(town):
    reach = {row["neighbourhood"]: row for row in _get(town).json()["reach"]}

    assert reach[None]["name"] == town.town.name
    assert reach[town.n2.slug]["population"] == 8000
    assert (reach[town.n2.slug]["participants"], reach[town.n2.slug]["per_thousand"]) == (5, 0.6)
    assert (reach[town.n1.slug]["participants"], reach[town.n1.slug]["per_thousand"]) == (5, 5.0)
    # From the rounded figures, as on the public page: 0.6 is not below half the town's 1.1.
    assert reach[None]["per_thousand"] == 1.1
    assert reach[town.n2.slug]["far_below"] is False


def test_a_neighbourhood_or_a_project(town):
    place = _get(town, neighbourhood=town.n1.slug).json()
    project = _get(town, project=town.b.slug).json()

    assert (place["scope"], place["neighbourhood"], place["reach"]) == (
        "neighbourhood",
        town.n1.slug,
        [],
    )
    assert (project["scope"], project["project"]) == ("project", town.b.slug)
    assert project["total"]["stages"][0]["count"] is None  # 3 took part: fewer than 5


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"neighbourhood": "gibt-es-nicht"}, "Dieses Quartier gibt es hier nicht."),
        ({"project": "gibt-es-nicht"}, "Dieses Vorhaben gibt es hier nicht."),
        ({"neighbourhood": "a", "project": "b"}, "nicht beides"),
    ],
)
def test_an_unknown_filter_is_a_400_with_the_reason(town, query, reason):
    response = _get(town, **query)

    assert response.status_code == 400
    assert reason in response.json()["detail"]


def test_a_draft_project_and_a_town_not_public_are_not_found(town):
    town.b.is_published = False
    town.b.save()
    assert _get(town, project=town.b.slug).status_code == 400
    town.town.is_public = False
    town.town.save()
    assert _get(town).status_code == 404
