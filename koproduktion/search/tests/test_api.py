"""The search in the API: the page's rules, JSON reasons for bad input."""

from __future__ import annotations

import pytest

from .world import world

pytestmark = pytest.mark.django_db

URL = "/api/v1/municipalities/musterstadt/search"


def test_the_best_of_every_kind_with_counts(client):
    made = world()

    answer = client.get(URL, {"q": "Radwege"}).json()

    counts = {kind["kind"]: kind["count"] for kind in answer["kinds"]}
    assert counts == {
        "project": 1,
        "idea": 1,
        "comment": 1,
        "decision": 1,
        "event": 1,
        "initiative": 1,
        "organisation": 1,
        "practice_example": 1,
        "support_offer": 1,
    }
    ideas = [hit for hit in answer["results"] if hit["kind"] == "idea"]
    assert ideas[0]["id"] == made.records["idea"].pk
    assert ideas[0]["title_html"] == "<mark>Radweg</mark> Idee"
    assert ideas[0]["url"].startswith("/musterstadt/vorhaben/fluss/ideen/")


def test_one_kind_page_by_page(client):
    world()

    answer = client.get(URL, {"q": "Radweg", "kind": "comment"}).json()

    assert answer["kind"] == "comment"
    assert (answer["page"], answer["pages"]) == (1, 1)
    assert [hit["kind"] for hit in answer["results"]] == ["comment"]
    assert client.get(URL, {"q": "Radweg", "kind": "comment", "page": 2}).status_code == 404


def test_a_session_sees_what_the_person_may_see(client):
    made = world()
    client.force_login(made.people["coordination"])

    answer = client.get(URL, {"q": "Radweg", "kind": "project"}).json()

    assert {hit["id"] for hit in answer["results"]} == {made.public.pk, made.draft.pk}


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"q": ""}, "Bitte geben Sie einen Suchbegriff ein."),
        ({"q": "x" * 201}, "höchstens 200 Zeichen"),
        ({"q": "Radweg", "kind": "gibt-es-nicht"}, "Möglich sind: project, idea, comment"),
        ({"q": "Radweg", "project": "entwurf"}, "Dieses Vorhaben gibt es hier nicht."),
    ],
)
def test_bad_input_is_a_400_with_the_reason(client, query, reason):
    world()

    response = client.get(URL, query)

    assert response.status_code == 400
    assert reason in response.json()["detail"]


@pytest.mark.parametrize("text", ['"', "&", "|", "!", ":*", "(", "'", "\\", "%", "_", "a\x00b"])
def test_syntax_characters_are_an_answer_not_an_error(client, text):
    world()

    response = client.get(URL, {"q": text})

    assert response.status_code in (200, 400)
    assert "detail" in response.json() or response.json()["results"] == []


def test_searches_past_the_limit_are_a_429_with_retry_after(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (None, "1/m")}
    world()
    assert client.get(URL, {"q": "Radweg"}).status_code == 200

    refused = client.get(URL, {"q": "Radweg"})

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "sehr aktiv" in refused.json()["detail"]
