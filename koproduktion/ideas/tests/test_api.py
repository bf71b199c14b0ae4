from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection

from koproduktion.accounts.services import api_token_create
from koproduktion.core.tests.factories import MunicipalityFactory, TopicFactory
from koproduktion.dialogue.selectors import comment_list
from koproduktion.ideas.models import Idea, Support
from koproduktion.ideas.tests.factories import CommentFactory, IdeaFactory, resident_of
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    town = MunicipalityFactory(area_south=52.0, area_west=9.0, area_north=52.2, area_east=9.5)
    return ProjectFactory(municipality=town, phase=PhaseKind.DIALOGUE)


def _base(project) -> str:
    return f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}/ideas"


def _post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def test_list_filter_and_geojson(client, project):
    topic = TopicFactory(municipality=project.municipality, slug="gruen")
    placed = IdeaFactory(project=project, topic=topic, latitude=52.1, longitude=9.2)
    IdeaFactory(project=project)
    body = client.get(_base(project), {"topic": "gruen"}).json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == placed.pk
    assert body["items"][0]["topic"] == "gruen"
    geo = client.get(_base(project) + ".geojson").json()
    assert geo["type"] == "FeatureCollection"
    (feature,) = geo["features"]
    assert feature["geometry"]["coordinates"] == [9.2, 52.1]
    assert geo["next"] is None


def test_comments_and_hidden_contributions(client, project):
    idea = IdeaFactory(project=project)
    CommentFactory(idea=idea, text="Sichtbar")
    CommentFactory(
        idea=idea, text="Beleidigend", hidden_at="2026-01-01T00:00:00Z", hidden_reason="Regel 1"
    )
    items = client.get(f"{_base(project)}/{idea.pk}/comments").json()["items"]
    assert [c["text"] for c in items] == ["Sichtbar", None]
    assert items[1]["hidden_reason"] == "Regel 1"


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"status": "bogus"}, 422),
        ({"topic": "nix"}, 400),
        ({"order": "zufall"}, 422),
        ({"page": 0}, 422),
    ],
)
def test_bad_parameters(client, project, params, status):
    response = client.get(_base(project), params)
    assert response.status_code == status
    assert "detail" in response.json()


def test_write_with_an_api_key(client, project):
    person = resident_of(project)
    _token, plain = api_token_create(user=person, name="Test")
    auth = {"Authorization": f"Bearer {plain}"}
    response = _post(
        client,
        _base(project),
        {
            "title": "Mehr Bäume",
            "text": "Für Schatten im Sommer.",
            "latitude": 52.1,
            "longitude": 9.3,
        },
        **auth,
    )
    assert response.status_code == 201, response.content
    idea_id = response.json()["id"]
    response = _post(
        client, f"{_base(project)}/{idea_id}/comments", {"text": "Ja!", "stance": "pro"}, **auth
    )
    assert response.status_code == 201
    other = IdeaFactory(project=project)
    assert _post(client, f"{_base(project)}/{other.pk}/support", {}, **auth).status_code == 201
    twice = _post(client, f"{_base(project)}/{other.pk}/support", {}, **auth)
    assert twice.status_code == 400
    assert twice.json()["detail"] == "Sie unterstützen diese Idee bereits."
    assert Support.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        ({"title": "Hallo", "text": "<script>x</script> Text"}, 400, "HTML"),
        (
            {"title": "Hallo Welt", "text": "Text mit Ort", "latitude": 40.0, "longitude": 3.0},
            400,
            "außerhalb",
        ),
        ({"title": "x" * 200, "text": "Text"}, 422, "Ungültige Parameter"),
        ({"text": "ohne Titel"}, 422, "Ungültige Parameter"),
    ],
)
def test_bad_ideas_are_refused_with_a_reason(client, project, data, status, reason):
    client.force_login(resident_of(project))
    response = _post(client, _base(project), data)
    assert response.status_code == status
    assert reason in json.dumps(response.json(), ensure_ascii=False)
    assert not Idea.objects.exists()


def test_rules_and_authentication_apply(client, project):
    url = _base(project)
    data = {"title": "Neue Bänke", "text": "Am Fluss, bitte."}
    assert _post(client, url, data).status_code == 401
    assert _post(client, url, data, Authorization="Bearer falsch").status_code == 401
    project.phase = PhaseKind.DECISION
    project.save()
    client.force_login(resident_of(project))
    response = _post(client, url, data)
    assert response.status_code == 403
    assert "In der Phase" in response.json()["detail"]


def test_rate_limit_answers_429_with_retry_after(client, project, settings):
    settings.RATE_LIMITS = {"idea": ("1/10m", None)}
    client.force_login(resident_of(project))
    assert (
        _post(client, _base(project), {"title": "Erste Idee", "text": "Etwas Gutes."}).status_code
        == 201
    )
    response = _post(client, _base(project), {"title": "Zweite Idee", "text": "Noch etwas."})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "warten" in response.json()["detail"]


# What the reads cost: the same few queries however many ideas and comments there are.


@pytest.mark.parametrize("who", ["visitor", "resident"])
def test_the_comments_of_an_idea_cost_the_same_however_many(
    client, project, django_assert_num_queries, who
):
    quiet, busy = IdeaFactory(project=project), IdeaFactory(project=project)
    CommentFactory(idea=quiet)
    for _ in range(8):
        top = CommentFactory(idea=busy)
        for _ in range(8):
            CommentFactory(idea=busy, parent=top, depth=1)
    if who == "resident":
        client.force_login(resident_of(project))
    # The session and the person, then as for visitors (the answer is the same for everyone):
    # the answer's version, the project's (kept, ``published_project_get``), the idea, the count
    # and the page of comments.
    queries = {"visitor": 5, "resident": 7}[who]
    for idea in (quiet, busy):  # what the process keeps of the project and the idea settles
        client.get(f"{_base(project)}/{idea.pk}/comments")
    for idea in (quiet, busy):
        cache.clear()
        with django_assert_num_queries(queries):
            response = client.get(f"{_base(project)}/{idea.pk}/comments")
        assert response.status_code == 200
    assert response.json()["count"] == 72
    assert len(response.json()["items"]) == 50


def test_the_comments_are_read_in_order_by_an_index_of_their_idea(project):
    """No walk through every comment of the platform, no sort of every comment of the idea."""
    idea = IdeaFactory(project=project)
    CommentFactory.create_batch(3, idea=idea)
    query = comment_list(idea=idea)[:50]
    if connection.vendor == "postgresql":
        # The tiny test table would be read whole, or sorted: ask for the plan a large one gets.
        with connection.cursor() as cursor:
            for method in ("seqscan", "bitmapscan", "sort"):
                cursor.execute(f"SET LOCAL enable_{method} = off")
        plan = query.explain()
        assert "Sort" not in plan
    else:
        plan = query.explain()
        assert "TEMP B-TREE" not in plan
    assert "comment_idea_written" in plan


@pytest.mark.parametrize("who", ["visitor", "resident"])
def test_the_geojson_costs_the_same_however_many_ideas(
    client, project, django_assert_num_queries, who
):
    other = ProjectFactory(municipality=project.municipality, phase=PhaseKind.DIALOGUE)
    IdeaFactory(project=other, latitude=52.1, longitude=9.2)
    IdeaFactory.create_batch(30, project=project, latitude=52.1, longitude=9.2)
    if who == "resident":
        client.force_login(resident_of(project))
    # The session and the person, then as for visitors (the answer is the same for everyone):
    # the answer's version, the project's (kept, ``published_project_get``) and the ideas.
    queries = {"visitor": 3, "resident": 5}[who]
    for place in (other, project):  # what the process keeps of the projects settles
        client.get(f"{_base(place)}.geojson")
    for place in (other, project):
        cache.clear()
        with django_assert_num_queries(queries):
            response = client.get(f"{_base(place)}.geojson")
        assert response.status_code == 200
    assert len(response.json()["features"]) == 30
