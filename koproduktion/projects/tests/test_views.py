from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koproduktion.core.tests.factories import (
    DepartmentFactory,
    NeighbourhoodFactory,
    TopicFactory,
)
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.services import document_add
from koproduktion.projects.tests.factories import PhaseFactory, ProjectFactory, staff_of

pytestmark = pytest.mark.django_db


def _town_with_projects(count: int, town=None):
    projects = ProjectFactory.create_batch(count, **({"municipality": town} if town else {}))
    town = projects[0].municipality
    topic = TopicFactory(municipality=town)
    neighbourhood = NeighbourhoodFactory(municipality=town)
    department = DepartmentFactory(municipality=town)
    for project in projects:
        project.topic, project.neighbourhood, project.department = topic, neighbourhood, department
        project.save()
        for kind in (PhaseKind.INFORMATION, PhaseKind.DIALOGUE, PhaseKind.DECISION):
            PhaseFactory(project=project, kind=kind)
        document_add(project=project, title="Plan", url="https://example.org/plan.pdf")
    return town, projects


def test_municipality_page_lists_projects_with_what_the_public_needs(client):
    town, (project,) = _town_with_projects(1)
    project.cost_estimate_cents = 123_456_700
    project.save()
    response = client.get(reverse("projects:municipality", args=[town.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        project.title,
        "Dialog",
        project.topic.name,
        project.neighbourhood.name,
        project.department.name,
        "1.234.567 €",
    ):
        assert text in html


def test_filter_by_phase_and_a_wrong_value_is_explained(client):
    town, (dialogue,) = _town_with_projects(1)
    decision = ProjectFactory(municipality=town, phase=PhaseKind.DECISION, title="Marktplatz")
    url = reverse("projects:municipality", args=[town.slug])
    html = client.get(url, {"phase": "decision"}).content.decode()
    assert decision.title in html
    assert dialogue.title not in html
    response = client.get(url, {"phase": "quatsch"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in html
    assert dialogue.title in html
    assert decision.title in html


def test_htmx_gets_only_the_list(client):
    town, (project,) = _town_with_projects(1)
    response = client.get(
        reverse("projects:municipality", args=[town.slug]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert project.title in html
    assert "<html" not in html


@pytest.mark.parametrize("page", ["municipality", "neighbourhood"])
def test_project_list_costs_the_same_with_many_projects(client, page):
    few_town, few_projects = _town_with_projects(2)
    many_town, many_projects = _town_with_projects(25)

    def url(town, projects):
        if page == "neighbourhood":
            return reverse(
                "projects:neighbourhood", args=[town.slug, projects[0].neighbourhood.slug]
            )
        return reverse("projects:municipality", args=[town.slug])

    client.get(url(few_town, few_projects))  # warm-up: caches filled on the first request
    cache.clear()  # the rendering is measured, not the visitors' page cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(few_town, few_projects)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(many_town, many_projects)).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_project_page_costs_the_same_with_many_phases_and_documents(client):
    town, (small,) = _town_with_projects(1)
    big = ProjectFactory(municipality=town)
    for kind in PhaseKind:
        PhaseFactory(project=big, kind=kind)
    for n in range(12):
        document_add(project=big, title=f"Dokument {n}", url=f"https://example.org/{n}.pdf")
    counts = []
    for project in (small, big):
        cache.clear()  # the rendering is measured, not the visitors' page cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("projects:detail", args=[town.slug, project.slug]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_project_page_shows_timeline_documents_and_contact(client):
    town, (project,) = _town_with_projects(1)
    project.description = "Ein **wichtiges** Vorhaben.<script>alert(1)</script>"
    project.phase = PhaseKind.DIALOGUE
    project.save()
    html = client.get(reverse("projects:detail", args=[town.slug, project.slug])).content.decode()
    assert "<strong>wichtiges</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert 'aria-current="step"' in html
    assert "Information" in html
    assert "Entscheidung" in html
    assert 'href="https://example.org/plan.pdf"' in html
    assert project.department.name in html


def test_drafts_are_hidden_from_the_public_and_shown_to_staff(client):
    draft = ProjectFactory(is_published=False)
    url = reverse("projects:detail", args=[draft.municipality.slug, draft.slug])
    response = client.get(url)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
    client.force_login(staff_of(draft))
    response = client.get(url)
    assert response.status_code == 200
    assert "Entwurf" in response.content.decode()


def test_unknown_neighbourhood_is_a_404(client):
    town, _ = _town_with_projects(1)
    assert (
        client.get(reverse("projects:neighbourhood", args=[town.slug, "nirgendwo"])).status_code
        == 404
    )


def test_a_neighbourhood_page_shows_the_projects_for_the_whole_town_marked_as_such(client):
    town, (local,) = _town_with_projects(1)
    whole_town = ProjectFactory(municipality=town, neighbourhood=None, title="Tempo 30")
    elsewhere = ProjectFactory(
        municipality=town, neighbourhood=NeighbourhoodFactory(municipality=town), title="Anderswo"
    )
    url = reverse("projects:neighbourhood", args=[town.slug, local.neighbourhood.slug])
    html = client.get(url).content.decode()
    assert local.title in html
    assert whole_town.title in html
    assert elsewhere.title not in html
    # The neighbourhood's own first, then the town's, which say so.
    assert html.index(local.title) < html.index(whole_town.title)
    row = html[html.index(whole_town.title) :].split("</th>")[0]
    assert "ganze Stadt" in row
    assert "ganze Stadt" not in html[html.index(local.title) :].split("</th>")[0]
