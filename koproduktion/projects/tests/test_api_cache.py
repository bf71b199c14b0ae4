"""Anonymous API reads come from the visitors' cache, and never as a stale copy."""

from __future__ import annotations

import datetime

import pytest

from koproduktion.core.models import Municipality, Neighbourhood
from koproduktion.core.services import tenant_record_save
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.services import phase_schedule, project_create, project_update

from .page_cache_support import cached_json, fresh_json

pytestmark = pytest.mark.django_db

TOWN = "/api/v1/municipalities/musterstadt"


def test_the_project_list_shows_new_projects_and_edits(client, town):
    _municipality, neighbourhood, project, _admin = town
    url = TOWN + "/projects"
    assert [p["title"] for p in cached_json(client, url)["items"]] == ["Fahrradstraße Hafenallee"]
    project_update(project=project, title="Fahrradstraße Hafenallee Nord")
    assert fresh_json(client, url)["items"][0]["title"] == "Fahrradstraße Hafenallee Nord"
    assert client.get(url)["X-Page-Cache"] == "hit"
    project_create(
        municipality=project.municipality,
        title="Spielplatz Altstadt",
        summary="Neue Geräte.",
        neighbourhood=neighbourhood,
        is_published=True,
    )
    assert fresh_json(client, url)["count"] == 2


def test_a_project_shows_its_new_timeline(client, town):
    project = town[2]
    url = f"{TOWN}/projects/{project.slug}"
    assert [p["kind"] for p in cached_json(client, url)["phases"]] == ["dialogue"]
    phase_schedule(project=project, kind=PhaseKind.DECISION, starts_on=datetime.date(2026, 6, 1))
    assert [p["kind"] for p in fresh_json(client, url)["phases"]] == ["dialogue", "decision"]


def test_towns_and_neighbourhoods_renamed_in_the_admin_show_at_once(client, town):
    municipality, neighbourhood, _project, admin = town
    cached_json(client, "/api/v1/municipalities")
    cached_json(client, TOWN + "/neighbourhoods")
    municipality = Municipality.objects.get(pk=municipality.pk)
    municipality.name = "Musterstadt an der See"
    tenant_record_save(actor=admin, record=municipality)
    neighbourhood = Neighbourhood.objects.get(pk=neighbourhood.pk)
    neighbourhood.name = "Altstadt am Hafen"
    tenant_record_save(actor=admin, record=neighbourhood)
    assert fresh_json(client, "/api/v1/municipalities")["items"][0]["name"] == (
        "Musterstadt an der See"
    )
    assert fresh_json(client, TOWN + "/neighbourhoods")["items"][0]["name"] == "Altstadt am Hafen"


def test_logged_in_people_get_their_own_answer(client, town):
    municipality, _neighbourhood, _project, admin = town
    project_create(municipality=municipality, title="Entwurf", summary="Noch geheim.")
    url = TOWN + "/projects"
    cached_json(client, url)
    client.force_login(admin)
    response = client.get(url)
    assert "X-Page-Cache" not in response
    assert "Entwurf" in [p["title"] for p in response.json()["items"]]
    client.logout()
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert "Entwurf" not in [p["title"] for p in response.json()["items"]]


def test_refusals_are_notcached_json(client, town):
    url = TOWN + "/projects?topic=gibt-es-nicht"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 400
        assert "X-Page-Cache" not in response
