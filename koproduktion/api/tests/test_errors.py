"""Answers under /api/v1/ that no operation gives are JSON with a reason too."""

from __future__ import annotations

import pytest

from koproduktion.ideas.tests.factories import resident_of
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_an_unknown_path_is_404_with_a_reason(client):
    response = client.get("/api/v1/gibt-es-nicht")
    assert response.status_code == 404
    assert response.json() == {"detail": "Nicht gefunden."}


def test_a_method_the_path_does_not_take_is_405_with_the_allowed_ones(client):
    response = client.put("/api/v1/municipalities")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {"detail": "Diese Methode ist hier nicht erlaubt. Erlaubt: GET."}


def test_an_address_with_a_nul_character_is_400_with_a_reason(client):
    response = client.get("/api/v1/municipalities/%00")
    assert response.status_code == 400
    assert "fehlerhaft" in response.json()["detail"]


def test_the_reason_speaks_the_chosen_language(client):
    client.cookies["language"] = "en"
    response = client.get("/api/v1/gibt-es-nicht")
    assert response.json() == {"detail": "Not found."}


def test_pages_outside_the_api_keep_their_html(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.fixture
def project():
    return ProjectFactory(phase=PhaseKind.DIALOGUE)


@pytest.fixture
def idea_url(project):
    return f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}/ideas"


def test_a_body_that_is_not_json_is_refused_in_the_persons_language(client, project, idea_url):
    client.force_login(resident_of(project))
    for body, content_type, reason in (
        ("titel=Bänke", "application/x-www-form-urlencoded", "kein gültiges JSON in UTF-8"),
        ('{"title": "B\xe4nke"}'.encode("latin-1"), "application/json", "kein gültiges JSON"),
        ('{"title": "Bänke\\u0000", "text": "Mehr"}', "application/json", "Nullzeichen"),
    ):
        response = client.post(idea_url, body, content_type=content_type)
        assert response.status_code == 400
        assert reason in response.json()["detail"]
    client.cookies["language"] = "en"
    response = client.post(idea_url, "{", content_type="application/json")
    assert response.json() == {"detail": "The body of the request is not valid JSON in UTF-8."}


def test_a_page_number_past_any_list_is_an_invalid_parameter(client, idea_url):
    assert client.get(idea_url, {"page": 1_000_000}).json()["items"] == []
    response = client.get(idea_url, {"page": 10**20})
    assert response.status_code == 422
    assert response.json()["detail"] == "Ungültige Parameter."
