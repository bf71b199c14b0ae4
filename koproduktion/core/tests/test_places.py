"""The town's gazetteer: finding a place by its name as people type it, and staff reading places
in from a CSV file, all or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koproduktion.core.models import AuditEntry, Place
from koproduktion.core.roles import Role
from koproduktion.core.selectors import place_search
from koproduktion.core.services import places_import
from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    NeighbourhoodFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db

AREA = {"area_south": 52.10, "area_west": 9.30, "area_north": 52.16, "area_east": 9.42}
GOOD = """Name;Art;Breitengrad;Längengrad;Quartier
Lindenstraße;Straße;52.1290;9.3610;Altstadt
Mühlenstraße;Straße;52,1220;9,3490;
Marktplatz;Platz;52.1232;9.3521;altstadt
Lindenpark;Ort;52.1300;9.3800
"""


@pytest.fixture
def town():
    municipality = MunicipalityFactory(**AREA)
    NeighbourhoodFactory(municipality=municipality, name="Altstadt", slug="altstadt")
    return municipality


def _import(town, text: str, role: Role = Role.STAFF):
    return places_import(actor=person_with_role(town, role), municipality=town, data=text.encode())


def test_staff_read_a_file_of_places_in_and_the_log_names_it(town):
    imported = _import(town, GOOD)
    assert (imported.created, imported.updated) == (4, 0)
    linden = Place.objects.get(name="Lindenstraße")
    assert (linden.kind, linden.neighbourhood.name) == ("street", "Altstadt")
    assert Place.objects.get(name="Mühlenstraße").latitude == pytest.approx(52.122)
    assert Place.objects.get(name="Lindenpark").neighbourhood is None
    assert AuditEntry.objects.filter(action="core.places_import", municipality=town).count() == 1
    # Read in again with a corrected point: the place moves, nothing is doubled.
    again = _import(town, "Lindenstraße;Straße;52.1300;9.3620;\n")
    assert (again.created, again.updated) == (0, 1)
    assert Place.objects.filter(municipality=town).count() == 4
    assert Place.objects.get(name="Lindenstraße").longitude == pytest.approx(9.362)


def test_a_file_with_wrong_lines_writes_nothing_and_names_each_line(town):
    bad = (
        "Name;Art;Breitengrad;Längengrad\n"
        "Kaistraße;Straße;52.13;9.37\n"
        "Hafen;Hafen;52.13;9.37\n"
        "Am Meer;Platz;54.0;9.37\n"
        ";Straße;52.13;9.37\n"
        "Kaistraße;Straße;52.13;9.38\n"
        "Werftweg;Straße;Nord;9.37\n"
        "Speicher;Ort;52.13;9.37;Hafenviertel\n"
        "zu;wenig\n"
    )
    with pytest.raises(ValidationError) as refused:
        _import(town, bad)
    messages = refused.value.message_dict["data"]
    assert messages[0].startswith("Zeile 3: Unbekannte Art „Hafen“")
    assert "Zeile 4: Der Ort liegt außerhalb von" in messages[1]
    assert messages[2] == "Zeile 5: Der Name fehlt."
    assert messages[3] == "Zeile 6: „Kaistraße“ steht schon in Zeile 2."
    assert messages[4].startswith("Zeile 7: Breiten- und Längengrad müssen Zahlen sein")
    assert messages[5] == "Zeile 8: Unbekanntes Quartier „Hafenviertel“."
    assert messages[6].startswith("Zeile 9: Erwartet werden 4 oder 5 Felder")
    assert not Place.objects.exists()
    assert not AuditEntry.objects.filter(action="core.places_import").exists()


def test_a_file_not_in_utf8_is_refused(town):
    with pytest.raises(ValidationError) as refused:
        places_import(
            actor=person_with_role(town, Role.STAFF),
            municipality=town,
            data="Mühlenweg;Straße;52.12;9.35\n".encode("latin-1"),
        )
    assert "UTF-8" in refused.value.message_dict["data"][0]


def test_residents_do_not_keep_the_gazetteer(town):
    with pytest.raises(PermissionDenied):
        _import(town, GOOD, role=Role.RESIDENT)
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("linden", ["Lindenpark", "Lindenstraße"]),
        ("Lindenstr. 12", ["Lindenstraße"]),
        ("lindenstrasse", ["Lindenstraße"]),
        ("muehlenstr", ["Mühlenstraße"]),
        ("MARKT", ["Marktplatz"]),
        ("platz", ["Marktplatz"]),
        ("Bahnhof", []),
        ("  ", []),
    ],
)
def test_a_place_is_found_by_its_name_as_people_type_it(town, typed, found):
    _import(town, GOOD)
    assert [place.name for place in place_search(municipality=town, text=typed)] == found


def test_names_starting_with_the_search_come_first_and_other_towns_stay_out(town):
    _import(town, GOOD + "Am Lindenplatz;Platz;52.125;9.36\n")
    other = MunicipalityFactory(**AREA)
    _import(other, "Lindenallee;Straße;52.12;9.35\n")
    names = [place.name for place in place_search(municipality=town, text="Linden")]
    assert names == ["Lindenpark", "Lindenstraße", "Am Lindenplatz"]


def test_the_gazetteer_page_reads_a_file_in_and_shows_a_refusal_next_to_the_field(client, town):
    client.force_login(person_with_role(town, Role.STAFF))
    url = reverse("places", args=[town.slug])
    response = client.post(url, {"data": SimpleUploadedFile("orte.csv", b"Kai;Strasse;60;9\n")})
    assert response.status_code == 400
    assert "Zeile 1: Der Ort liegt außerhalb von" in response.content.decode()
    response = client.post(url, {"data": SimpleUploadedFile("orte.csv", GOOD.encode())})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "4 Orte im Verzeichnis" in page
    assert "Lindenstraße" in page


def test_residents_do_not_see_the_gazetteer_page(client, town):
    client.force_login(person_with_role(town, Role.RESIDENT))
    assert client.get(reverse("places", args=[town.slug])).status_code == 403


def test_a_map_without_the_towns_area_is_drawn_around_its_place():
    """An event's page shows its one place without naming the town's area."""
    from django.template import Context, Template  # noqa: PLC0415

    features = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [9.99, 53.55]},
                "properties": {"title": "Stadtteilzentrum"},
            }
        ],
    }
    template = Template(
        "{% load koproduktion %}{% static_map features area as drawn %}"
        "{{ drawn.markers|length }} {{ drawn.outline|default:'none' }}"
    )
    assert template.render(Context({"features": features})) == "1 none"
