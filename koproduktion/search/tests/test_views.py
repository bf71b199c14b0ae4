"""The search page: a GET form that works without JavaScript, in the header of every town page;
bad input answered with the reason at the field."""

from __future__ import annotations

import pytest
from django.db import connection

from koproduktion.core.tests.factories import MunicipalityFactory
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.search import selectors
from koproduktion.search.registry import sources

from .world import world

pytestmark = pytest.mark.django_db

URL = "/musterstadt/suche/"


def test_a_town_page_has_the_search_box_in_its_header(client):
    world()

    page = client.get("/musterstadt/").content.decode()

    assert 'role="search"' in page
    assert 'action="/musterstadt/suche/"' in page
    assert '<label class="visually-hidden" for="kopf-suche">' in page


def test_the_results_are_grouped_by_kind_with_counts_and_marked(client):
    made = world()

    response = client.get(URL, {"q": "Radwege"})
    page = response.content.decode()

    assert response.status_code == 200
    assert "Ideen (1)" in page  # the hidden one and the draft's are not counted
    assert "Kommentare (1)" in page
    assert "<mark>Radweg</mark> Idee" in page
    assert made.records["idea"].title in page.replace("<mark>", "").replace("</mark>", "")
    assert "Entwurf" not in page
    assert "versteckt" not in page


def test_a_kind_shows_its_page_of_hits_and_links_back_to_all(client):
    world()

    page = client.get(URL, {"q": "Radweg", "art": "ideen"}).content.decode()

    assert '<span aria-current="page">Ideen (1)</span>' in page
    assert 'href="?q=Radweg">Alle</a>' in page
    assert "Radweg Werkstatt" not in page.replace("<mark>", "").replace("</mark>", "")


def test_staff_find_the_draft_they_work_on(client):
    made = world()
    client.force_login(made.people["staff of the draft"])

    page = client.get(URL, {"q": "Radweg", "art": "vorhaben"}).content.decode()

    assert "im Entwurf" in page


def test_no_query_asks_for_one(client):
    world()

    response = client.get(URL)

    assert response.status_code == 200
    assert "Geben Sie ein, wonach Sie suchen" in response.content.decode()


def test_an_overlong_query_is_refused_with_the_reason_and_kept(client):
    world()

    response = client.get(URL, {"q": "Radweg " * 40})
    page = response.content.decode()

    assert response.status_code == 400
    assert "höchstens 200 Zeichen" in page
    assert "Radweg Radweg" in page  # what was typed stays in the box


def test_an_unknown_kind_names_the_kinds_there_are(client):
    world()

    response = client.get(URL, {"q": "Radweg", "art": "gibt-es-nicht"})
    page = response.content.decode()

    assert response.status_code == 400
    assert "Diese Art gibt es nicht. Möglich sind: Vorhaben, Ideen, Kommentare" in page
    assert "Ideen (1)" in page  # and searches all kinds


def test_an_unknown_project_says_so(client):
    world()

    response = client.get(URL, {"q": "Radweg", "vorhaben": "entwurf"})

    assert response.status_code == 400
    assert "Dieses Vorhaben gibt es hier nicht." in response.content.decode()


@pytest.mark.parametrize(
    "text", ['"', "&", "|", "!", ":*", "(", "'", "\\", "%", "_", "\x00", "a\x00b", "\u202e"]
)
def test_syntax_characters_answer_with_a_page(client, text):
    world()

    response = client.get(URL, {"q": text})

    assert response.status_code in (200, 400)


def test_a_town_not_public_is_not_found(client):
    MunicipalityFactory(slug="geheim", is_public=False)

    assert client.get("/geheim/suche/", {"q": "Radweg"}).status_code == 404


def test_the_page_costs_the_same_few_queries_however_much_is_found(
    client, django_assert_max_num_queries
):
    world()
    # The town; the count of the rate limit (its counters are in the database without Redis);
    # the ranking, in one query on PostgreSQL (one per kind on SQLite); one read per kind shown
    # (every kind here on the overview, one with a kind chosen). Hits read now are read
    # through the visibility: nothing else checks them.
    kinds = len(sources())
    postgres = connection.vendor == "postgresql"
    ranking = 1 if postgres else kinds
    with django_assert_max_num_queries(2 + ranking + kinds):
        assert client.get(URL, {"q": "Radweg"}).status_code == 200
    with django_assert_max_num_queries(2 + ranking + 1):
        assert client.get(URL, {"q": "Radweg", "art": "kommentare"}).status_code == 200
    # The same search again: on PostgreSQL the ranking and the hits are kept, and only the
    # check of what is still visible reads the database besides the town and the limit.
    with django_assert_max_num_queries(3 if postgres else 2 + ranking + kinds):
        assert client.get(URL, {"q": "Radweg"}).status_code == 200


def test_the_page_is_never_cached_for_someone_else(client):
    made = world()
    client.force_login(made.people["coordination"])
    assert "im Entwurf" in client.get(URL, {"q": "Radweg"}).content.decode()
    client.logout()

    assert "im Entwurf" not in client.get(URL, {"q": "Radweg"}).content.decode()


def test_a_project_filter_names_the_project_and_leads_back_to_all(client):
    world()

    page = client.get(URL, {"q": "Radweg", "vorhaben": "fluss"}).content.decode()

    assert "Nur im Vorhaben „Radweg am Fluss“." in page
    assert 'href="?q=Radweg">In allen Vorhaben suchen</a>' in page
    assert "Organisationen (0)" in page  # organisations belong to no project


def test_searches_past_the_limit_are_refused_with_the_time_to_wait(client, settings):
    """Each search ranks a whole town's texts: one address cannot keep the server busy."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (None, "2/m")}
    world()
    for _ in range(2):
        assert client.get(URL, {"q": "Radwege"}).status_code == 200

    refused = client.get(URL, {"q": "Radwege"})

    page = refused.content.decode()
    assert refused.status_code == 429
    assert "sehr aktiv" in page
    assert 'value="Radwege"' in page  # what was typed stays in the box
    assert "<mark>" not in page  # and nothing was searched
    assert client.get(URL).status_code == 200  # the empty form is no search


@pytest.mark.parametrize(
    ("language", "tab"), [("de", "Ideen (mehr als 1)"), ("en", "Ideas (more than 1)")]
)
def test_the_tabs_say_more_than_the_candidates(client, settings, monkeypatch, language, tab):
    made = world()
    for title in ("Radweg Nord", "Radweg Süd"):
        IdeaFactory(project=made.public, title=title)
    monkeypatch.setattr(selectors, "CANDIDATES", 1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(URL, {"q": "Radweg"}).content.decode()

    assert tab in page
