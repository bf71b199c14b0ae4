"""Visitors get the town's pages from the page cache, and never a stale copy.

Every write that changes what a page shows is done as people do it (through the services, and
through the admin's own service for what staff edit there); the next visit shows it.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    person_with_role,
)
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.services import (
    project_create,
)

from .page_cache_support import TOWN_PAGES, cached, fresh, project_url, town_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", [*TOWN_PAGES, "project"])
def test_a_cached_page_costs_one_query(client, town, page, django_assert_num_queries):
    url, headers = town_url(page, town) if page != "project" else (project_url(town[2]), {})
    cached(client, url, headers)
    with django_assert_num_queries(1):
        assert client.get(url, headers=headers)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("page", ["municipality", "project list", "neighbourhood", "project"])
def test_logged_in_people_never_get_the_visitors_copy(client, town, page):
    municipality, neighbourhood, project, _admin = town
    project_create(
        municipality=municipality,
        title="Stiller Entwurf",
        summary="Noch nicht öffentlich.",
        phase=PhaseKind.DIALOGUE,
        neighbourhood=neighbourhood,
    )
    url, headers = town_url(page, town) if page != "project" else (project_url(project), {})
    visitors_copy = cached(client, url, headers)
    assert "Stiller Entwurf" not in visitors_copy
    staff = Client()
    staff.force_login(person_with_role(municipality, Role.COORDINATION))
    for _ in range(2):
        html = fresh(staff, url, headers)
        assert "Abmelden" in html
        if page != "project":
            assert "Stiller Entwurf" in html
    # What staff saw was not kept for visitors either.
    response = client.get(url, headers=headers)
    assert response["X-Page-Cache"] == "hit"
    assert response.content.decode() == visitors_copy


@pytest.mark.parametrize(
    ("page", "german", "english"),
    [
        ("municipality", "Nächste Entscheidung", "Next decision"),
        ("project list", "Nächste Entscheidung", "Next decision"),
        ("htmx list", "Nächste Entscheidung", "Next decision"),
        ("neighbourhood", "Vorhaben im Quartier", "Projects in this neighbourhood"),
        ("project", "Dokumente und Links", "Documents and links"),
    ],
)
def test_each_language_gets_its_own_cached_copy(client, town, page, german, english):
    url, headers = town_url(page, town) if page != "project" else (project_url(town[2]), {})
    html = cached(client, url, headers)
    assert german in html
    assert english not in html
    visitor = Client()
    visitor.cookies["language"] = "en"
    html = cached(visitor, url, headers)
    assert english in html
    assert german not in html
    for who, language, text in ((client, "de", german), (visitor, "en", english)):
        response = who.get(url, headers=headers)
        assert response["X-Page-Cache"] == "hit"
        assert text in response.content.decode()
        assert response["Content-Language"] == language
        assert "Cookie" in response["Vary"]
        if page != "htmx list":
            assert f'<html lang="{language}">' in response.content.decode()


def test_drafts_and_hidden_towns_are_not_cached(client, town):
    municipality, _neighbourhood, _project, _admin = town
    draft = project_create(municipality=municipality, title="Entwurf", summary="Geheim.")
    hidden = MunicipalityFactory(is_public=False)
    for url in (
        project_url(draft),
        reverse("projects:municipality", args=[hidden.slug]),
    ):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 404
            assert "X-Page-Cache" not in response


def test_a_boosted_htmx_request_gets_the_whole_page_not_the_cached_fragment(client, town):
    url, headers = town_url("htmx list", town)
    assert "<html" not in cached(client, url, headers)
    boosted = client.get(url, headers={**headers, "HX-Boosted": "true"})
    assert "X-Page-Cache" not in boosted
    assert "<html" in boosted.content.decode()
