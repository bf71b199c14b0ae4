"""Visitors get the town's pages from the page cache, and never a stale copy.

Every write that changes what a page shows is done as people do it (through the services, and
through the admin's own service for what staff edit there); the next visit shows it.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.models import Department, Municipality, Neighbourhood, Topic
from koproduktion.core.roles import Role
from koproduktion.core.services import tenant_record_delete, tenant_record_save
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    TopicFactory,
    person_with_role,
)
from koproduktion.decisions.models import PollKind
from koproduktion.decisions.services import poll_create
from koproduktion.ideas.services import idea_create
from koproduktion.implementation import services as implementation
from koproduktion.opinions.services import opinion_map_ensure
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.services import (
    document_add,
    phase_schedule,
    project_create,
    project_update,
)

pytestmark = pytest.mark.django_db

TOWN_PAGES = ["municipality", "project list", "htmx list", "neighbourhood"]


@pytest.fixture
def town():
    municipality = MunicipalityFactory(name="Musterstadt", slug="musterstadt")
    neighbourhood = NeighbourhoodFactory(municipality=municipality, name="Altstadt")
    topic = TopicFactory(municipality=municipality, name="Mobilität")
    department = DepartmentFactory(municipality=municipality, name="Tiefbauamt")
    project = project_create(
        municipality=municipality,
        title="Fahrradstraße Hafenallee",
        summary="Mehr Platz für Räder.",
        phase=PhaseKind.DIALOGUE,
        topic=topic,
        neighbourhood=neighbourhood,
        department=department,
        is_published=True,
    )
    phase_schedule(project=project, kind=PhaseKind.DIALOGUE, starts_on=datetime.date(2026, 1, 1))
    admin = person_with_role(municipality, Role.ADMIN, is_staff=True)
    return municipality, neighbourhood, project, admin


def _town_url(page: str, town) -> tuple[str, dict]:
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


def _project_url(project: Project) -> str:
    return reverse("projects:detail", args=[project.municipality.slug, project.slug])


def _cached(client: Client, url: str, headers: dict | None = None) -> str:
    """Visit twice; the second visit is served from the cache, unchanged. The page's HTML."""
    first = client.get(url, headers=headers or {})
    second = client.get(url, headers=headers or {})
    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    return first.content.decode()


def _fresh(client: Client, url: str, headers: dict | None = None) -> str:
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200
    assert "X-Page-Cache" not in response, "a stale copy was served"
    return response.content.decode()


# What staff and the services change on the town's pages: each returns the text now shown and
# the text no longer shown (or None).


def _new_project(town):
    municipality, neighbourhood, _project, _admin = town
    project_create(
        municipality=municipality,
        title="Neuer Marktplatz",
        summary="Ein Platz für alle.",
        phase=PhaseKind.DIALOGUE,
        neighbourhood=neighbourhood,
        is_published=True,
    )
    return "Neuer Marktplatz", None


def _renamed_project(town):
    project_update(project=town[2], title="Fahrradstraße Hafenallee Nord")
    return "Fahrradstraße Hafenallee Nord", None


def _published_draft(town):
    municipality, neighbourhood, _project, _admin = town
    draft = project_create(
        municipality=municipality,
        title="Stiller Entwurf",
        summary="Noch nicht öffentlich.",
        phase=PhaseKind.DIALOGUE,
        neighbourhood=neighbourhood,
    )
    project_update(project=draft, is_published=True)
    return "Stiller Entwurf", None


def _costs_estimated(town):
    project_update(project=town[2], cost_estimate_cents=4_200_000_00)
    return "4.200.000 €", None


def _timeline_planned(town):
    phase_schedule(
        project=town[2],
        kind=PhaseKind.DECISION,
        starts_on=datetime.date(2031, 5, 1),
        ends_on=datetime.date(2031, 6, 30),
    )
    return "2031", None


def _topic_renamed_in_the_admin(town):
    municipality, _neighbourhood, _project, admin = town
    topic = Topic.objects.get(municipality=municipality)
    topic.name = "Verkehr"
    tenant_record_save(actor=admin, record=topic)
    return "Verkehr", "Mobilität"


def _department_renamed_in_the_admin(town):
    municipality, _neighbourhood, _project, admin = town
    department = Department.objects.get(municipality=municipality)
    department.name = "Amt für Straßen"
    tenant_record_save(actor=admin, record=department)
    return "Amt für Straßen", "Tiefbauamt"


def _neighbourhood_renamed_in_the_admin(town):
    _municipality, neighbourhood, _project, admin = town
    neighbourhood = Neighbourhood.objects.get(pk=neighbourhood.pk)
    neighbourhood.name = "Hafenviertel"
    tenant_record_save(actor=admin, record=neighbourhood)
    return "Hafenviertel", "Altstadt"


def _project_deleted_in_the_admin(town):
    *_rest, project, admin = town
    tenant_record_delete(actor=admin, record=Project.objects.get(pk=project.pk))
    return "Keine Vorhaben gefunden.", "Fahrradstraße Hafenallee"


TOWN_WRITES = [
    _new_project,
    _renamed_project,
    _published_draft,
    _costs_estimated,
    _timeline_planned,
    _topic_renamed_in_the_admin,
    _department_renamed_in_the_admin,
    _neighbourhood_renamed_in_the_admin,
    _project_deleted_in_the_admin,
]


@pytest.mark.parametrize("page", TOWN_PAGES)
@pytest.mark.parametrize("write", TOWN_WRITES, ids=lambda write: write.__name__.strip("_"))
def test_town_pages_are_cached_and_show_every_change_at_once(client, town, page, write):
    url, headers = _town_url(page, town)
    before = _cached(client, url, headers)
    shown, gone = write(town)
    assert shown not in before
    html = _fresh(client, url, headers)
    assert shown in html
    if gone:
        assert gone not in html
    assert client.get(url, headers=headers)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("page", ["municipality", "project list", "neighbourhood"])
def test_the_towns_name_and_description_from_the_admin_show_at_once(client, town, page):
    municipality, _neighbourhood, _project, admin = town
    url, headers = _town_url(page, town)
    _cached(client, url, headers)
    municipality = Municipality.objects.get(pk=municipality.pk)
    municipality.name = "Musterstadt an der See"
    municipality.description = "Die Stadt am Meer."
    tenant_record_save(actor=admin, record=municipality)
    html = _fresh(client, url, headers)
    assert "Musterstadt an der See" in html
    if page != "neighbourhood":
        assert "Die Stadt am Meer." in html


def test_a_neighbourhood_and_a_department_added_in_the_admin_show_on_the_town_page(client, town):
    municipality, _neighbourhood, _project, admin = town
    url = reverse("projects:municipality", args=[municipality.slug])
    _cached(client, url)
    tenant_record_save(
        actor=admin, record=Neighbourhood(municipality=municipality, name="Südstadt", slug="sued")
    )
    tenant_record_save(
        actor=admin,
        record=Department(municipality=municipality, name="Grünflächenamt", phone="0421 123"),
    )
    html = _fresh(client, url)
    assert "Südstadt" in html
    assert "0421 123" in html


def test_a_form_read_before_a_change_does_not_bring_an_old_page_back(client, town):
    """The admin saves the municipality it read before a project was created meanwhile."""
    municipality, _neighbourhood, _project, admin = town
    url = reverse("projects:municipality", args=[municipality.slug])
    stale = Municipality.objects.get(pk=municipality.pk)
    _cached(client, url)
    _new_project(town)
    assert "Neuer Marktplatz" in _cached(client, url)
    stale.name = "Musterstadt an der See"
    tenant_record_save(actor=admin, record=stale)
    html = _fresh(client, url)
    assert "Musterstadt an der See" in html
    assert "Neuer Marktplatz" in html


# What the services change on a project's page.


def _described(project):
    project_update(project=project, description="Neu: **Tempo 30** auf der ganzen Allee.")
    return "<strong>Tempo 30</strong>"


def _next_phase(project):
    project_update(project=project, phase=PhaseKind.DECISION)
    return 'class="badge phase-decision"'


def _phase_planned(project):
    phase_schedule(project=project, kind=PhaseKind.DECISION, starts_on=datetime.date(2031, 5, 1))
    return "2031"


def _document(project):
    document_add(project=project, title="Verkehrsgutachten", url="https://example.org/g.pdf")
    return "Verkehrsgutachten"


def _idea(project):
    resident = person_with_role(project.municipality, Role.RESIDENT)
    idea_create(actor=resident, project=project, title="Bänke", text="Mehr Bänke am Wasser.")
    return "1 Idee ansehen"


def _poll(project):
    now = timezone.now()
    poll_create(
        actor=person_with_role(project.municipality, Role.STAFF),
        project=project,
        title="Welche Bäume?",
        kind=PollKind.APPROVAL,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=14),
    )
    return "1 Abstimmung"


def _opinion_map(project):
    opinion_map_ensure(project=project)
    return "Meinungsbild"


def _milestone(project):
    staff = person_with_role(project.municipality, Role.STAFF)
    milestone = implementation.milestone_create(
        actor=staff, project=project, title="Markierung", target_date=timezone.localdate()
    )
    implementation.milestone_update(actor=staff, milestone=milestone, percent_complete=40)
    return "Fortschritt: 40 %"


def _progress_report(project):
    implementation.update_post(
        actor=person_with_role(project.municipality, Role.STAFF),
        project=project,
        text="Die Markierung ist fertig.",
    )
    return "Die Markierung ist fertig."


def _department_phone_in_the_admin(project):
    department = Department.objects.get(pk=project.department_id)
    department.phone = "0421 98765"
    admin = person_with_role(project.municipality, Role.ADMIN, is_staff=True)
    tenant_record_save(actor=admin, record=department)
    return "0421 98765"


def _town_renamed_in_the_admin(project):
    municipality = Municipality.objects.get(pk=project.municipality_id)
    municipality.name = "Musterstadt an der See"
    admin = person_with_role(municipality, Role.ADMIN, is_staff=True)
    tenant_record_save(actor=admin, record=municipality)
    return "Musterstadt an der See"


@pytest.mark.parametrize(
    ("phase", "write"),
    [
        (PhaseKind.DIALOGUE, _described),
        (PhaseKind.DIALOGUE, _next_phase),
        (PhaseKind.DIALOGUE, _phase_planned),
        (PhaseKind.DIALOGUE, _document),
        (PhaseKind.DIALOGUE, _idea),
        (PhaseKind.DECISION, _poll),
        (PhaseKind.DIALOGUE, _opinion_map),
        (PhaseKind.IMPLEMENTATION, _milestone),
        (PhaseKind.IMPLEMENTATION, _progress_report),
        (PhaseKind.DIALOGUE, _department_phone_in_the_admin),
        (PhaseKind.DIALOGUE, _town_renamed_in_the_admin),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else str(value),
)
def test_the_project_page_is_cached_and_shows_every_change_at_once(client, town, phase, write):
    project = town[2]
    project_update(project=project, phase=phase)
    url = _project_url(project)
    before = _cached(client, url)
    shown = write(Project.objects.get(pk=project.pk))
    assert shown not in before
    assert shown in _fresh(client, url)
    assert client.get(url)["X-Page-Cache"] == "hit"


@pytest.mark.parametrize("page", [*TOWN_PAGES, "project"])
def test_a_cached_page_costs_one_query(client, town, page, django_assert_num_queries):
    url, headers = _town_url(page, town) if page != "project" else (_project_url(town[2]), {})
    _cached(client, url, headers)
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
    url, headers = _town_url(page, town) if page != "project" else (_project_url(project), {})
    visitors_copy = _cached(client, url, headers)
    assert "Stiller Entwurf" not in visitors_copy
    staff = Client()
    staff.force_login(person_with_role(municipality, Role.STAFF))
    for _ in range(2):
        html = _fresh(staff, url, headers)
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
    url, headers = _town_url(page, town) if page != "project" else (_project_url(town[2]), {})
    html = _cached(client, url, headers)
    assert german in html
    assert english not in html
    visitor = Client()
    visitor.cookies["language"] = "en"
    html = _cached(visitor, url, headers)
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
        _project_url(draft),
        reverse("projects:municipality", args=[hidden.slug]),
    ):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 404
            assert "X-Page-Cache" not in response


def test_a_boosted_htmx_request_gets_the_whole_page_not_the_cached_fragment(client, town):
    url, headers = _town_url("htmx list", town)
    assert "<html" not in _cached(client, url, headers)
    boosted = client.get(url, headers={**headers, "HX-Boosted": "true"})
    assert "X-Page-Cache" not in boosted
    assert "<html" in boosted.content.decode()
