"""The idea form's hints of similar ideas (with and without JavaScript) and the staff's merge
form on an idea's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.ideas.models import Idea, IdeaStatus
from koproduktion.ideas.services import idea_create
from koproduktion.ideas.tests.factories import resident_of
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bikes():
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    return idea_create(
        actor=resident_of(project),
        project=project,
        title="Fahrradbügel am Bahnhof fehlen",
        text="Am Bahnhof gibt es zu wenige Fahrradbügel.",
    )


def _url(name, project, *args):
    return reverse(name, args=[project.municipality.slug, project.slug, *args])


DRAFT = {"title": "Mehr Fahrradbügel am Bahnhof", "text": "Die Räder stehen überall."}


def test_the_fragment_shows_similar_ideas_with_support_instead(client, bikes):
    client.force_login(resident_of(bikes.project))
    response = client.get(_url("ideas:similar", bikes.project), DRAFT, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert "Fahrradbügel am Bahnhof fehlen" in page
    assert f'formaction="{_url("ideas:support", bikes.project, bikes.pk)}"' in page
    nothing = client.get(
        _url("ideas:similar", bikes.project),
        {"title": "Kunstrasen", "text": "Für den Sportverein."},
        HTTP_HX_REQUEST="true",
    )
    assert "Keine ähnlichen Ideen gefunden" in nothing.content.decode()


def test_without_htmx_the_hints_are_a_page_with_their_own_forms(client, bikes):
    client.force_login(resident_of(bikes.project))
    page = client.get(_url("ideas:similar", bikes.project), DRAFT).content.decode()
    assert "<h1>Ähnliche Ideen</h1>" in page
    assert f'action="{_url("ideas:support", bikes.project, bikes.pk)}"' in page


def test_the_form_asks_for_hints_as_people_type(client, bikes):
    client.force_login(resident_of(bikes.project))
    page = client.get(_url("ideas:create", bikes.project)).content.decode()
    assert f'hx-get="{_url("ideas:similar", bikes.project)}"' in page
    assert 'hx-trigger="keyup changed delay:500ms"' in page
    assert 'aria-live="polite"' in page


def test_without_javascript_the_check_button_shows_hints_and_keeps_the_draft(client, bikes):
    client.force_login(resident_of(bikes.project))
    response = client.post(_url("ideas:create", bikes.project), {**DRAFT, "aehnliche": "pruefen"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fahrradbügel am Bahnhof fehlen" in page
    assert 'value="Mehr Fahrradbügel am Bahnhof"' in page
    assert "Die Räder stehen überall." in page
    assert Idea.objects.count() == 1  # nothing published
    # Published anyway with the other button.
    client.post(_url("ideas:create", bikes.project), DRAFT)
    assert Idea.objects.count() == 2


def test_another_towns_project_is_not_there(client, bikes):
    other = ProjectFactory(phase=PhaseKind.DIALOGUE)
    url = reverse("ideas:similar", args=[other.municipality.slug, bikes.project.slug])
    assert client.get(url, DRAFT).status_code == 404


def test_looking_up_as_one_types_is_rate_limited(client, bikes, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "similar_ideas": ("2/m", None)}
    client.force_login(resident_of(bikes.project))
    url = _url("ideas:similar", bikes.project)
    for _ in range(2):
        assert client.get(url, DRAFT, HTTP_HX_REQUEST="true").status_code == 200
    limited = client.get(url, DRAFT, HTTP_HX_REQUEST="true")
    assert limited.status_code == 429
    assert "sehr aktiv" in limited.content.decode()


@pytest.fixture
def duplicate(bikes):
    return idea_create(
        actor=resident_of(bikes.project),
        project=bikes.project,
        title="Mehr Fahrradbügel am Bahnhof",
        text="Die Räder stehen überall herum.",
    )


def test_staff_see_the_merge_form_with_the_similar_ideas(client, bikes, duplicate):
    client.force_login(person_with_role(bikes.municipality, Role.COORDINATION))
    page = client.get(_url("ideas:detail", bikes.project, duplicate.pk)).content.decode()
    assert "Doppelte Idee zusammenführen" in page
    assert f"Nr. {bikes.pk}" in page
    client.force_login(resident_of(bikes.project))
    page = client.get(_url("ideas:detail", bikes.project, duplicate.pk)).content.decode()
    assert "Doppelte Idee zusammenführen" not in page


def test_staff_merge_by_number_and_the_duplicate_links_to_the_original(client, bikes, duplicate):
    client.force_login(person_with_role(bikes.municipality, Role.COORDINATION))
    response = client.post(
        _url("ideas:merge", bikes.project, duplicate.pk),
        {"merge-original": f"#{bikes.pk}", "merge-reason": "Dasselbe Anliegen."},
    )
    assert response.status_code == 302
    assert Idea.objects.get(pk=duplicate.pk).status == IdeaStatus.MERGED
    page = client.get(_url("ideas:detail", bikes.project, duplicate.pk)).content.decode()
    assert "Zusammengeführt mit" in page
    assert f'href="{_url("ideas:detail", bikes.project, bikes.pk)}"' in page
    assert "Dasselbe Anliegen." in page
    listing = client.get(_url("ideas:list", bikes.project)).content.decode()
    assert "zum Original" in listing


def test_a_refused_merge_says_why_at_the_field_and_keeps_what_was_typed(client, bikes, duplicate):
    client.force_login(person_with_role(bikes.municipality, Role.COORDINATION))
    url = _url("ideas:merge", bikes.project, duplicate.pk)
    response = client.post(url, {"merge-original": str(duplicate.pk), "merge-reason": "Doppelt"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "nicht mit sich selbst" in page
    assert 'id="id_merge-original_errors"' in page
    assert "Doppelt</textarea>" in page


def test_another_towns_idea_cannot_be_the_original(client, bikes, duplicate):
    elsewhere = ProjectFactory(phase=PhaseKind.DIALOGUE)
    foreign = idea_create(
        actor=resident_of(elsewhere), project=elsewhere, title="Fahrradbügel", text="Am Bahnhof."
    )
    staff = person_with_role(bikes.municipality, Role.COORDINATION)
    client.force_login(staff)
    response = client.post(
        _url("ideas:merge", bikes.project, duplicate.pk), {"merge-original": str(foreign.pk)}
    )
    assert response.status_code == 400
    assert "keine Idee mit dieser Nummer" in response.content.decode()
    # Nor can staff of one town merge another town's ideas: not there for them.
    url = reverse("ideas:merge", args=[bikes.municipality.slug, elsewhere.slug, foreign.pk])
    assert client.post(url, {"merge-original": str(bikes.pk)}).status_code == 404
    assert Idea.objects.get(pk=foreign.pk).merged_into is None


def test_each_idea_page_shows_its_own_idea_when_versions_are_equal(client, bikes, duplicate):
    """The parts kept per version of an idea are kept per idea too: two new ideas of a project
    have the same versions."""
    client.force_login(resident_of(bikes.project))
    for idea in (bikes, duplicate):
        page = client.get(_url("ideas:detail", bikes.project, idea.pk)).content.decode()
        assert f"<h1>{idea.title}</h1>" in page
