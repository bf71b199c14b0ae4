"""Without JavaScript: the maps show their places drawn by the server and as a list, and an idea
takes its place from the town's gazetteer, found by name."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from koproduktion.core.models import Neighbourhood, Place
from koproduktion.core.roles import Role
from koproduktion.core.services import places_import
from koproduktion.core.tests.factories import person_with_role
from koproduktion.ideas.models import Idea
from koproduktion.ideas.tests.factories import IdeaFactory, resident_of
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

AREA = {"area_south": 52.10, "area_west": 9.30, "area_north": 52.16, "area_east": 9.42}


@pytest.fixture
def project():
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    town = project.municipality
    for name, value in AREA.items():
        setattr(town, name, value)
    town.save()
    Neighbourhood.objects.create(municipality=town, name="Altstadt", slug="altstadt")
    places_import(
        actor=person_with_role(town, Role.STAFF),
        municipality=town,
        data=(
            "Lindenstraße;Straße;52.1290;9.3610;Altstadt\n"
            "Lindenpark;Ort;52.1300;9.3800\n"
            "Marktplatz;Platz;52.1232;9.3521;Altstadt\n"
        ).encode(),
    )
    return project


def _url(name, project, *args):
    return reverse(name, args=[project.municipality.slug, project.slug, *args])


TYPED = {"title": "Bank unter der Linde", "text": "Eine Bank im Schatten, bitte."}


def test_searching_a_place_keeps_what_was_typed_and_offers_the_matches(client, project):
    client.force_login(resident_of(project))
    response = client.post(
        _url("ideas:create", project),
        {**TYPED, "place_search": "Lindenstr", "action": "place-search"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Idea.objects.exists()
    assert 'value="Bank unter der Linde"' in html
    assert "Eine Bank im Schatten, bitte." in html
    assert 'value="Lindenstr"' in html
    assert "1 Ort gefunden für „Lindenstr“" in html
    assert "Lindenstraße (Straße, Altstadt)" in html
    assert "Lindenpark" not in html  # only what the search found is offered
    assert "errorlist" not in html  # nothing was sent yet, so nothing is refused


def test_a_search_that_finds_nothing_says_so(client, project):
    client.force_login(resident_of(project))
    html = client.post(
        _url("ideas:create", project), {**TYPED, "place_search": "Hafen", "action": "place-search"}
    ).content.decode()
    assert "Kein Ort im Verzeichnis passt zu „Hafen“" in html


def test_a_chosen_place_gives_the_idea_its_name_point_and_neighbourhood(client, project):
    linden = _place(project, "Lindenstraße")
    client.force_login(resident_of(project))
    response = client.post(_url("ideas:create", project), {**TYPED, "place": linden.pk})
    idea = Idea.objects.get()
    assert response.status_code == 302
    assert idea.address == "Lindenstraße"
    assert (idea.latitude, idea.longitude) == (linden.latitude, linden.longitude)
    assert idea.neighbourhood.name == "Altstadt"
    page = client.get(_url("ideas:detail", project, idea.pk)).content.decode()
    assert "Lindenstraße" in page


def test_typed_coordinates_are_more_exact_than_the_chosen_place(client, project):
    client.force_login(resident_of(project))
    client.post(
        _url("ideas:create", project),
        {
            **TYPED,
            "place": _place(project, "Marktplatz").pk,
            "latitude": "52.1235",
            "longitude": "9.3525",
        },
    )
    idea = Idea.objects.get()
    assert (idea.address, idea.latitude, idea.longitude) == ("Marktplatz", 52.1235, 9.3525)


def test_a_refused_idea_keeps_the_chosen_place(client, project):
    client.force_login(resident_of(project))
    marktplatz = _place(project, "Marktplatz")
    response = client.post(
        _url("ideas:create", project), {"text": "Ohne Titel.", "place": marktplatz.pk}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(rf'value="{marktplatz.pk}"[^>]*checked', html)
    assert not Idea.objects.exists()


def test_another_towns_place_is_refused(client, project):
    other = ProjectFactory(phase=PhaseKind.DIALOGUE)
    places_import(
        actor=person_with_role(other.municipality, Role.STAFF),
        municipality=other.municipality,
        data=b"Fremdweg;Strasse;52.12;9.35\n",
    )
    client.force_login(resident_of(project))
    foreign = _place(other, "Fremdweg")
    response = client.post(_url("ideas:create", project), {**TYPED, "place": foreign.pk})
    assert response.status_code == 400
    assert not Idea.objects.exists()


def test_the_list_draws_the_ideas_with_places_and_escapes_their_names(client, project):
    altstadt = Neighbourhood.objects.get(municipality=project.municipality)
    IdeaFactory(
        project=project,
        title="<script>alert(1)</script> Bank",
        latitude=52.12,
        longitude=9.35,
        address="Marktplatz",
        neighbourhood=altstadt,
    )
    IdeaFactory(project=project, title="Radweg", latitude=52.14, longitude=9.40)
    IdeaFactory(project=project, title="Ohne Ort")
    html = client.get(_url("ideas:list", project)).content.decode()
    drawing = html[html.index("<svg") : html.index("</svg>")]
    assert drawing.count("<circle") == 2
    assert "<title>1: &lt;script&gt;alert(1)&lt;/script&gt; Bank</title>" in drawing
    assert "<title>2: Radweg</title>" in drawing
    assert "<script>alert(1)" not in html
    assert 'role="img" aria-labelledby="place-map-caption"' in html
    assert "2 Orte, nummeriert wie in der Liste darunter" in html
    listing = html[html.index("data-map-list") : html.index("</details>")]
    # By neighbourhood, those without one last, numbered as on the drawing.
    assert listing.index("Altstadt") < listing.index("ohne Quartier")
    assert '<li value="1"><a href="' in listing
    assert "· Marktplatz" in listing
    assert "Ohne Ort" not in listing


def test_the_picking_map_and_its_hint_wait_for_javascript(client, project):
    client.force_login(resident_of(project))
    html = client.get(_url("ideas:create", project)).content.decode()
    assert re.search(r'<div class="map" data-map hidden', html)
    assert re.search(r"<p class=\"help\" hidden data-map-hint>Oder klicken Sie auf die Karte", html)
    assert "Ort suchen" in html


def _place(project, name):
    return Place.objects.get(municipality=project.municipality, name=name)
