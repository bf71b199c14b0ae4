"""Anonymous reads of ideas and their discussion come from the visitors' cache, never stale."""

from __future__ import annotations

import pytest

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.services import idea_create, idea_support
from koproduktion.moderation.services import contribution_hide
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.projects.tests.page_cache_support import cached_json, fresh_json

from .factories import resident_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea():
    town = MunicipalityFactory(area_south=52.0, area_west=9.0, area_north=52.2, area_east=9.5)
    project = ProjectFactory(municipality=town, phase=PhaseKind.DIALOGUE)
    return idea_create(
        actor=resident_of(project),
        project=project,
        title="Bänke am Hafen",
        text="Mehr Sitzplätze mit Blick aufs Wasser.",
        latitude=52.1,
        longitude=9.2,
    )


def _base(idea) -> str:
    project = idea.project
    return f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}/ideas"


def test_new_ideas_and_supports_show_at_once(client, idea):
    assert cached_json(client, _base(idea))["count"] == 1
    assert cached_json(client, f"{_base(idea)}/{idea.pk}")["supports"] == 0
    assert len(cached_json(client, _base(idea) + ".geojson")["features"]) == 1

    idea_support(actor=resident_of(idea.project), idea=idea)
    assert fresh_json(client, f"{_base(idea)}/{idea.pk}")["supports"] == 1
    idea_create(
        actor=resident_of(idea.project),
        project=idea.project,
        title="Trinkbrunnen",
        text="Am Spielplatz fehlt Wasser.",
        latitude=52.05,
        longitude=9.1,
    )
    assert fresh_json(client, _base(idea))["count"] == 2
    assert len(fresh_json(client, _base(idea) + ".geojson")["features"]) == 2


def test_comments_and_their_moderation_show_at_once(client, idea):
    url = f"{_base(idea)}/{idea.pk}/comments"
    assert cached_json(client, url)["items"] == []
    comment = comment_create(
        actor=resident_of(idea.project), idea=idea, text="Gute Idee, auch für Ältere."
    )
    assert [c["text"] for c in fresh_json(client, url)["items"]] == ["Gute Idee, auch für Ältere."]
    assert client.get(url)["X-Page-Cache"] == "hit"
    moderator = person_with_role(idea.municipality, Role.MODERATOR)
    contribution_hide(moderator=moderator, comment=comment, reason="Regel 3")
    (hidden,) = fresh_json(client, url)["items"]
    assert hidden["text"] is None
    assert hidden["hidden_reason"] == "Regel 3"
