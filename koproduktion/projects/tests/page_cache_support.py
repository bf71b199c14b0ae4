"""What the page-cache tests share: the town's page addresses and two ways to visit a page.

The town itself is the ``town`` fixture (conftest.py)."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from koproduktion.projects.models import Project

TOWN_PAGES = ["municipality", "project list", "htmx list", "neighbourhood"]


def town_url(page: str, town) -> tuple[str, dict]:
    municipality, neighbourhood, _project, _admin = town
    home = reverse("projects:municipality", args=[municipality.slug])
    return {
        "municipality": (home, {}),
        "project list": (home + "?phase=dialogue", {}),
        "htmx list": (home + "?phase=dialogue", {"HX-Request": "true"}),
        "neighbourhood": (
            reverse("projects:neighbourhood", args=[municipality.slug, neighbourhood.slug]),
            {},
        ),
    }[page]


def project_url(project: Project) -> str:
    return reverse("projects:detail", args=[project.municipality.slug, project.slug])


def cached(client: Client, url: str, headers: dict | None = None) -> str:
    """Visit twice; the second visit is served from the cache, unchanged. The page's HTML."""
    first = client.get(url, headers=headers or {})
    second = client.get(url, headers=headers or {})
    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    assert second["X-Page-Cache"] == "hit"
    assert second["Content-Type"] == first["Content-Type"]
    assert second.content == first.content
    return first.content.decode()


def fresh(client: Client, url: str, headers: dict | None = None) -> str:
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    assert "X-Page-Cache" not in response, "a stale copy was served"
    return response.content.decode()


def cached_json(client: Client, url: str) -> dict:
    """``cached`` for the API: the JSON of an answer that the second time came from the cache."""
    return json.loads(cached(client, url))


def fresh_json(client: Client, url: str) -> dict:
    return json.loads(fresh(client, url))
