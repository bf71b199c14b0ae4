"""The library in the API: a town's view by tag, one example; bad input answers 4xx in JSON."""

from __future__ import annotations

import pytest

from koproduktion.core.tests.factories import MunicipalityFactory

from .factories import example

pytestmark = pytest.mark.django_db


def _list_url(town):
    return f"/api/v1/municipalities/{town.slug}/practice-examples"


def test_list_by_tag_with_other_towns_and_no_drafts(client):
    here, there = MunicipalityFactory(), MunicipalityFactory()
    ours = example(here, title="Unser Garten", tags=["Garten"])
    example(there, title="Deren Garten", tags=["Garten"], year=2020)
    example(there, title="Deren Entwurf", tags=["Garten"], is_published=False)
    example(there, title="Deren Spielplatz", tags=["Spielplatz"])
    body = client.get(_list_url(here), {"tag": "garten"}).json()
    assert [item["title"] for item in body["items"]] == ["Unser Garten", "Deren Garten"]
    assert body["items"][0]["municipality"] == here.slug
    assert body["items"][0]["tags"] == ["garten"]
    assert body["items"][0]["url"] == f"/{here.slug}/praxisbeispiele/{ours.pk}/"
    only = client.get(_list_url(here), {"only_here": "true"}).json()
    assert [item["title"] for item in only["items"]] == ["Unser Garten"]


def test_an_unknown_tag_answers_400_with_the_reason(client):
    response = client.get(_list_url(MunicipalityFactory()), {"tag": "gibt-es-nicht"})
    assert response.status_code == 400
    assert "Schlagwort" in response.json()["detail"]


def test_detail_of_the_towns_own_example_only(client):
    made = example(worked="Gut.", tags=["Garten"])
    other = example(title="Anderswo")
    url = f"{_list_url(made.municipality)}/{made.pk}"
    body = client.get(url).json()
    assert body["worked"] == "Gut."
    assert body["project"] is None
    assert client.get(f"{_list_url(made.municipality)}/{other.pk}").status_code == 404
    draft = example(made.municipality, is_published=False)
    assert client.get(f"{_list_url(made.municipality)}/{draft.pk}").status_code == 404
