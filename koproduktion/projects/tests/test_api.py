from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    TopicFactory,
    person_with_role,
)
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import PhaseFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_municipalities_are_paginated(client):
    MunicipalityFactory.create_batch(3)
    MunicipalityFactory(is_public=False)
    body = client.get("/api/v1/municipalities").json()
    assert body["count"] == 3
    assert {"slug", "name", "description", "website", "url"} <= set(body["items"][0])


def test_neighbourhoods_and_departments_of_a_town(client):
    neighbourhood = NeighbourhoodFactory(name="Altstadt")
    town = neighbourhood.municipality
    NeighbourhoodFactory()  # another town's
    body = client.get(f"/api/v1/municipalities/{town.slug}/neighbourhoods").json()
    assert [item["name"] for item in body["items"]] == ["Altstadt"]
    assert client.get(f"/api/v1/municipalities/{town.slug}/departments").json()["count"] == 0


def test_projects_with_phases_and_filters(client):
    town = MunicipalityFactory()
    topic = TopicFactory(municipality=town, slug="mobilitaet")
    project = ProjectFactory(municipality=town, phase=PhaseKind.DIALOGUE, topic=topic)
    PhaseFactory(project=project, kind=PhaseKind.DIALOGUE)
    ProjectFactory(municipality=town, phase=PhaseKind.DECISION)
    ProjectFactory(municipality=town, is_published=False)
    url = f"/api/v1/municipalities/{town.slug}/projects"
    assert client.get(url).json()["count"] == 2
    body = client.get(url, {"phase": "dialogue", "topic": "mobilitaet"}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["slug"] == project.slug
    assert item["topic"] == "mobilitaet"
    assert item["phases"][0]["kind"] == "dialogue"
    assert item["url"] == f"/{town.slug}/vorhaben/{project.slug}/"


@pytest.mark.parametrize(
    ("params", "status", "reason"),
    [
        ({"phase": "bogus"}, 422, "Ungültige Parameter."),
        ({"page": "0"}, 422, "Ungültige Parameter."),
        ({"page": "eins"}, 422, "Ungültige Parameter."),
        ({"topic": "gibtsnicht"}, 400, "Unbekanntes Thema: gibtsnicht"),
        ({"neighbourhood": "gibtsnicht"}, 400, "Unbekanntes Quartier: gibtsnicht"),
    ],
)
def test_bad_parameters_get_a_reason(client, params, status, reason):
    town = MunicipalityFactory()
    response = client.get(f"/api/v1/municipalities/{town.slug}/projects", params)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == reason


def test_unknown_things_are_404_json(client):
    draft = ProjectFactory(is_published=False)
    for url in (
        "/api/v1/municipalities/gibtsnicht",
        f"/api/v1/municipalities/{draft.municipality.slug}/projects/{draft.slug}",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json() == {"detail": "Nicht gefunden."}


def test_staff_see_their_departments_drafts_through_the_api(client):
    town = MunicipalityFactory()
    lead, involved, other = DepartmentFactory.create_batch(3, municipality=town)
    draft = ProjectFactory(municipality=town, department=lead, is_published=False)
    draft.involved_departments.add(involved)
    url = f"/api/v1/municipalities/{town.slug}/projects/{draft.slug}"
    for department, status in ((lead, 200), (involved, 200), (other, 404)):
        client.force_login(person_with_role(town, Role.STAFF, departments=[department]))
        assert client.get(url).status_code == status, department
        listed = client.get(f"/api/v1/municipalities/{town.slug}/projects").json()
        assert (draft.slug in str(listed)) == (status == 200)


def test_project_list_queries_do_not_grow(client):
    counts = []
    for size in (2, 30):
        town = MunicipalityFactory()
        for project in ProjectFactory.create_batch(size, municipality=town):
            PhaseFactory(project=project, kind=PhaseKind.INFORMATION)
            PhaseFactory(project=project, kind=PhaseKind.DIALOGUE)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/municipalities/{town.slug}/projects").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_openapi_document_lists_the_endpoints(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["version"] == "1"
    assert "/api/v1/municipalities/{slug}/projects" in document["paths"]
