"""The Atom feeds of a town and of a project, read as a feed reader reads them."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role

from .world import build_world

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_towns_feed_shows_public_news_newest_first(client, django_assert_max_num_queries):
    world = build_world()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("opendata:feed", args=[world.town.slug]))
    entries = _entries(response)
    titles = [entry["title"] for entry in entries]
    assert "Neues Vorhaben: Spielplatz Lindenpark" in titles
    assert "Spielplatz Lindenpark: von „Information“ zu „Dialog“" in titles
    assert any(t.startswith("Beschluss vom") and "Haushalt beschlossen" in t for t in titles)
    assert "Fortschritt: Spielplatz Lindenpark" in titles
    assert not [t for t in titles if "ENTWURF-GEHEIM" in t or "ANDERE-STADT" in t]
    times = [entry["updated"] for entry in entries]
    assert times == sorted(times, reverse=True)
    assert all(time.tzinfo is not None for time in times)
    new_project = next(e for e in entries if e["title"].startswith("Neues Vorhaben"))
    assert new_project["link"].endswith(
        reverse("projects:detail", args=[world.town.slug, world.project.slug])
    )
    assert abs(new_project["updated"] - world.project.published_at) < datetime.timedelta(seconds=1)
    # Linked from the town's page, for readers and for browsers.
    page = client.get(reverse("projects:municipality", args=[world.town.slug])).content.decode()
    assert (
        f'<link rel="alternate" type="application/atom+xml" '
        f'href="{reverse("opendata:feed", args=[world.town.slug])}"' in page
    )


def test_the_projects_feed_has_only_its_own_news(client):
    world = build_world()
    url = reverse("opendata:project_feed", args=[world.town.slug, world.project.slug])
    titles = [entry["title"] for entry in _entries(client.get(url))]
    assert "Fortschritt: Spielplatz Lindenpark" in titles
    assert not [t for t in titles if "Haushalt beschlossen" in t]
    page = client.get(reverse("projects:detail", args=[world.town.slug, world.project.slug]))
    assert url in page.content.decode()


def test_a_draft_has_no_feed_not_even_for_its_staff(client):
    world = build_world()
    client.force_login(person_with_role(world.town, Role.COORDINATION))
    url = reverse("opendata:project_feed", args=[world.town.slug, world.draft.slug])
    assert client.get(url).status_code == 404
    titles = [e["title"] for e in _entries(client.get(reverse("opendata:feed", args=["lindenau"])))]
    assert not [t for t in titles if "ENTWURF-GEHEIM" in t]


def test_the_feed_speaks_english_to_english_readers(client):
    world = build_world()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("opendata:feed", args=[world.town.slug]))
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    titles = [entry["title"] for entry in _entries(response)]
    assert "New project: Spielplatz Lindenpark" in titles
