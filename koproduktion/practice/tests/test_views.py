"""The library's pages: list with filters and pages, one example, staff forms; the links to them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, TopicFactory, person_with_role
from koproduktion.initiatives.tests.factories import initiative
from koproduktion.practice.models import PracticeExample
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import coordination_of, example

pytestmark = pytest.mark.django_db


def _list(town):
    return reverse("practice:list", args=[town.slug])


def _detail(made):
    return reverse("practice:detail", args=[made.municipality.slug, made.pk])


def _form_data(**changes):
    return {
        "title": "Offene Turnhalle am Sonntag",
        "place": "Nordstadt",
        "setting": "residential",
        "problem": "Jugendliche hatten sonntags keinen Ort.",
        "approach": "Die Turnhalle öffnet mit zwei Trainern.",
        "actors": "Sportverein, Jugendamt",
        "worked": "",
        "not_worked": "",
        "contact_name": "Jugendamt",
        "contact_email": "jugend@example.org",
        "contact_url": "",
        "year": "2024",
        "is_published": "on",
        "project": "",
        "tags": "Jugend, Sport",
        **changes,
    }


def test_the_library_shows_both_towns_labelled_and_filters(client):
    here = MunicipalityFactory(name="Hierstadt")
    there = MunicipalityFactory(name="Dortdorf")
    example(here, title="Unser Garten", tags=["Garten"])
    example(there, title="Deren Spielplatz", tags=["Spielplatz"])
    example(there, title="Deren Entwurf", is_published=False)
    html = client.get(_list(here)).content.decode()
    assert "Unser Garten" in html
    assert "Deren Spielplatz" in html
    assert "aus Dortdorf" in html
    assert "aus Hierstadt" in html
    assert "Deren Entwurf" not in html
    html = client.get(_list(here), {"schlagwort": "spielplatz"}).content.decode()
    assert "Deren Spielplatz" in html
    assert "Unser Garten" not in html
    html = client.get(_list(here), {"herkunft": "hier"}).content.decode()
    assert "Unser Garten" in html
    assert "Deren Spielplatz" not in html


def test_an_unknown_tag_is_named_never_a_server_error(client):
    made = example(title="Unser Garten")
    response = client.get(_list(made.municipality), {"schlagwort": "gibt-es-nicht", "seite": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dieses Schlagwort gibt es in der Bibliothek nicht." in html
    assert "Unser Garten" in html  # the filter is not applied


def test_the_list_costs_the_same_for_one_or_many_and_pages_in_sql(
    client, django_assert_num_queries
):
    town = MunicipalityFactory()
    example(town, title="Erstes", tags=["Eins"])
    with django_assert_num_queries(5):
        client.get(_list(town))
    for number in range(25):
        example(town, title=f"Beispiel {number}", tags=["Eins", f"Tag {number}"])
    with django_assert_num_queries(5):
        html = client.get(_list(town)).content.decode()
    assert "26 Beispiele" in html
    assert "Seite 1 von 2" in html
    assert "Erstes" in client.get(_list(town), {"seite": 2}).content.decode()


def test_the_detail_page_in_few_queries_and_other_towns_ids_are_not_found(
    client, django_assert_num_queries
):
    made = example(
        tags=["Garten", "Nachbarschaft"],
        worked="Viele **kamen**.",
        not_worked="Der Regen.",
        contact_url="https://example.org/garten",
    )
    with django_assert_num_queries(3):
        response = client.get(_detail(made))
    html = response.content.decode()
    assert "Viele <strong>kamen</strong>." in html
    assert "Was nicht funktioniert hat" in html
    assert 'href="https://example.org/garten"' in html
    other = MunicipalityFactory()
    assert client.get(reverse("practice:detail", args=[other.slug, made.pk])).status_code == 404


def test_drafts_are_for_the_coordination(client):
    made = example(is_published=False)
    assert client.get(_detail(made)).status_code == 404
    client.force_login(person_with_role(made.municipality, Role.STAFF))
    assert client.get(_detail(made)).status_code == 404
    client.force_login(coordination_of(made.municipality))
    html = client.get(_detail(made)).content.decode()
    assert "Entwurf: nur für die Verwaltung sichtbar." in html


def test_the_coordination_writes_an_example_with_tags(client):
    town = MunicipalityFactory()
    client.force_login(coordination_of(town))
    assert "Praxisbeispiel anlegen" in client.get(_list(town)).content.decode()
    response = client.post(reverse("practice:create", args=[town.slug]), _form_data())
    made = PracticeExample.objects.get()
    assert response.status_code == 302
    assert response.url == _detail(made)
    assert made.created_by is not None
    assert sorted(made.tags.values_list("name", flat=True)) == ["Jugend", "Sport"]
    html = client.get(_detail(made)).content.decode()
    assert "Sportverein, Jugendamt" in html


def test_a_bad_form_keeps_what_was_typed_and_says_why(client):
    town = MunicipalityFactory()
    client.force_login(coordination_of(town))
    url = reverse("practice:create", args=[town.slug])
    response = client.post(url, _form_data(problem=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Offene Turnhalle am Sonntag"' in html
    assert "Jugend, Sport" in html
    assert "Dieses Feld ist zwingend erforderlich." in html
    response = client.post(url, _form_data(year="1800"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "größer oder gleich 1970" in html  # the year's lower limit, at the field
    assert "Jugendliche hatten sonntags keinen Ort.</textarea>" in html
    many = ", ".join(f"Wort {n}" for n in range(9))
    response = client.post(url, _form_data(tags=many))
    assert response.status_code == 400
    assert "Höchstens 8 Schlagwörter" in response.content.decode()
    assert not PracticeExample.objects.exists()


def test_edit_and_take_offline(client):
    made = example(tags=["Garten"])
    client.force_login(coordination_of(made.municipality))
    edit = reverse("practice:edit", args=[made.municipality.slug, made.pk])
    assert 'value="Garten"' in client.get(edit).content.decode()
    client.post(edit, _form_data(title="Neuer Titel", tags="Garten, Wasser"))
    made.refresh_from_db()
    assert made.title == "Neuer Titel"
    client.post(reverse("practice:unpublish", args=[made.municipality.slug, made.pk]))
    made.refresh_from_db()
    assert not made.is_published
    client.logout()
    assert client.get(_detail(made)).status_code == 404


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.STAFF])
def test_others_may_not_write(client, role):
    made = example()
    client.force_login(person_with_role(made.municipality, role))
    slug = made.municipality.slug
    assert client.get(reverse("practice:create", args=[slug])).status_code == 403
    assert client.post(reverse("practice:unpublish", args=[slug, made.pk])).status_code == 403
    made.refresh_from_db()
    assert made.is_published


def test_a_project_page_shows_similar_examples_in_two_more_queries(client):
    town = MunicipalityFactory()
    topic = TopicFactory(municipality=town, name="Spielplatz", slug="spielplatz")
    project = ProjectFactory(municipality=town, topic=topic, title="Spielplatz im Park")
    example(title="Spielplatz selbst gebaut", tags=["Spielplatz"])
    html = client.get(reverse("projects:detail", args=[town.slug, project.slug])).content.decode()
    section = html[html.index('id="aehnliche-vorhaben-titel"') :]
    assert "Spielplatz selbst gebaut" in section
    assert "gleiches Thema" in section
    assert "So funktioniert Mitmachen hier" in html


def test_an_initiative_page_shows_similar_examples(client):
    made = initiative(title="Gemeinschaftsgarten am Bahnhof")
    example(title="Ein Gemeinschaftsgarten auf der Brache", problem="Brache.", approach="Beete.")
    html = client.get(
        reverse("initiatives:detail", args=[made.municipality.slug, made.slug])
    ).content.decode()
    assert "Ein Gemeinschaftsgarten auf der Brache" in html


def test_the_pages_are_linked_where_people_look(client):
    town = MunicipalityFactory()
    html = client.get(reverse("projects:municipality", args=[town.slug])).content.decode()
    assert _list(town) in html
    assert reverse("learning:participation", args=[town.slug]) in html
    admin = person_with_role(town, Role.ADMIN)
    client.force_login(admin)
    html = client.get(reverse("townadmin:overview", args=[town.slug])).content.decode()
    assert _list(town) in html


def test_a_closed_towns_library_is_not_found(client):
    made = example()
    Municipality.objects.filter(pk=made.municipality_id).update(is_public=False)
    assert client.get(_list(made.municipality)).status_code == 404


def test_similar_examples_cost_the_project_page_the_same_for_one_or_many(client):
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    town = MunicipalityFactory()
    topic = TopicFactory(municipality=town, name="Spielplatz", slug="spielplatz")
    project = ProjectFactory(municipality=town, topic=topic, title="Spielplatz im Park")
    url = reverse("projects:detail", args=[town.slug, project.slug])
    example(title="Spielplatz eins", tags=["Spielplatz"])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(12):
        example(title=f"Spielplatz {number}", tags=["Spielplatz", f"Ort {number}"])
    town.content_version += 1  # past the cached copy
    Municipality.objects.filter(pk=town.pk).update(content_version=town.content_version)
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert "Spielplatz 11" in html  # rendered afresh, with the newest of the many
    assert len(many.captured_queries) == len(one.captured_queries)
