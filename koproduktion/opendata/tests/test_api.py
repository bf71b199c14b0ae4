"""The API reaches every public record: the data dictionary, each dataset's records, and the
project's phase changes and progress reports, which had no endpoint of their own."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from koproduktion.opendata.datasets import datasets

from .world import SECRETS, build_world

pytestmark = pytest.mark.django_db

API = "/api/v1/municipalities"


def test_the_dictionary_names_every_dataset_with_its_columns_and_addresses(client):
    build_world()
    answer = client.get(f"{API}/lindenau/open-data").json()
    assert answer["licence"]["name"] == "CC-BY-4.0"
    assert answer["zip"] == reverse("opendata:archive", args=["lindenau", "lindenau"])
    assert [d["name"] for d in answer["datasets"]] == [d.name for d in datasets()]
    comments = next(d for d in answer["datasets"] if d["name"] == "comments")
    stance = next(c for c in comments["columns"] if c["name"] == "stance")
    assert stance["type"] == "string"
    assert "pro, contra" in stance["description"]
    assert client.get(comments["csv"]).status_code == 200
    assert client.get(comments["json"]).status_code == 200
    assert client.get(comments["records"]).json()[0]["text"] == "Gute Idee, dafür!"


def test_every_dataset_answers_its_records_without_secrets(client):
    build_world()
    for dataset in datasets():
        response = client.get(f"{API}/lindenau/open-data/{dataset.name}")
        assert response.status_code == 200, dataset.name
        records = response.json()
        assert all(list(record) == dataset.header for record in records)
        text = response.content.decode()
        assert not [secret for secret in SECRETS if secret in text], dataset.name


@pytest.mark.parametrize(
    "path",
    [
        "/lindenau/open-data/unbekannt",
        "/nirgendwo/open-data",
        "/nirgendwo/open-data/projects",
        "/lindenau/projects/unbekannt/phase-changes",
        "/lindenau/projects/unbekannt/updates",
    ],
)
def test_unknown_things_answer_404_with_a_reason(client, path):
    build_world()
    response = client.get(API + path)
    assert response.status_code == 404
    assert response.json()["detail"]


def test_phase_changes_and_updates_of_a_project(client):
    world = build_world()
    base = f"{API}/lindenau/projects/{world.project.slug}"
    changes = client.get(f"{base}/phase-changes").json()["items"]
    assert [(c["from_phase"], c["to_phase"]) for c in changes] == [("information", "dialogue")]
    updates = client.get(f"{base}/updates").json()["items"]
    assert [u["posted_as"] for u in updates] == ["Grünflächenamt"]
    assert "author" not in updates[0]
    # A draft's are not there for visitors.
    draft = f"{API}/lindenau/projects/{world.draft.slug}"
    assert client.get(f"{draft}/phase-changes").status_code == 404
    assert client.get(f"{draft}/updates").status_code == 404


def test_while_the_zip_is_being_built_the_api_says_so_in_json(client):
    world = build_world()
    cache.add(f"opendata:building:{world.town.pk}:de", 1)
    response = client.get(f"{API}/lindenau/open-data/projects")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "gerade zusammengestellt" in response.json()["detail"]


def test_the_dictionary_speaks_the_readers_language(client):
    build_world()
    client.get(f"{API}/lindenau/open-data")  # read in German first
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    projects = client.get(f"{API}/lindenau/open-data").json()["datasets"][0]
    phase = next(c for c in projects["columns"] if c["name"] == "phase")
    assert phase["description"].startswith("Current phase:")
