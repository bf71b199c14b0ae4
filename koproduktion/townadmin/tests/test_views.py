"""The town's administration pages as its admins use them: the overview from the header, the
settings, and the lists and forms of neighbourhoods, departments, topics and organisations."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koproduktion.core.models import AuditEntry, Department, Neighbourhood, Topic
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    TopicFactory,
    person_with_role,
)
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(name="Lindenau", slug="lindenau")


@pytest.fixture
def admin_client(client, town):
    client.force_login(person_with_role(town, Role.ADMIN))
    return client


def url(name, town, *args):
    return reverse(f"townadmin:{name}", args=[town.slug, *args])


def test_the_header_leads_admins_to_the_overview_which_links_everything(admin_client, town):
    home = admin_client.get(reverse("projects:municipality", args=[town.slug])).content.decode()
    assert f'href="{url("overview", town)}">Verwaltung</a>' in home
    page = admin_client.get(url("overview", town)).content.decode()
    for target in (
        url("settings", town),
        url("neighbourhood_list", town),
        url("department_list", town),
        url("topic_list", town),
        url("organisation_list", town),
        reverse("roles:list", args=[town.slug]),
        reverse("charter:edit", args=[town.slug]),
        reverse("moderation:rules_edit", args=[town.slug]),
        reverse("audit_log", args=[town.slug]),
    ):
        assert f'href="{target}"' in page, target


def test_the_overview_counts_in_one_query(admin_client, town, django_assert_max_num_queries):
    NeighbourhoodFactory.create_batch(3, municipality=town)
    admin_client.get(url("overview", town))
    # session, user, roles, the town, the counts (the header's lists are asked lazily)
    with django_assert_max_num_queries(12):
        page = admin_client.get(url("overview", town)).content.decode()
    assert "3 Quartiere" in page


def test_settings_are_changed_on_the_page(admin_client, town):
    page = admin_client.get(url("settings", town)).content.decode()
    assert 'value="Lindenau"' in page
    assert 'name="slug"' not in page
    form = {
        "name": "Lindenau an der Aue",
        "description": "",
        "website": "",
        "is_public": "on",
        "support_quorum": "40",
        "answer_within_days": "14",
        "min_readability": "",
        "area_south": "",
        "area_west": "",
        "area_north": "",
        "area_east": "",
    }
    response = admin_client.post(url("settings", town), form, follow=True)
    assert "Die Einstellungen der Kommune sind gespeichert." in response.content.decode()
    town.refresh_from_db()
    assert (town.name, town.support_quorum) == ("Lindenau an der Aue", 40)


def test_the_open_data_licence_is_chosen_on_the_settings_page(admin_client, town):
    page = admin_client.get(url("settings", town)).content.decode()
    assert 'name="open_data_licence"' in page
    form = {"name": "Lindenau", "answer_within_days": "14", "open_data_licence": "DL-DE-BY-2.0"}
    admin_client.post(url("settings", town), form)
    town.refresh_from_db()
    assert town.open_data_licence == "DL-DE-BY-2.0"
    open_data = admin_client.get(reverse("opendata:index", args=[town.slug])).content.decode()
    assert "https://www.govdata.de/dl-de/by-2-0" in open_data
    refused = admin_client.post(url("settings", town), {**form, "open_data_licence": "MIT"})
    assert refused.status_code == 400
    town.refresh_from_db()
    assert town.open_data_licence == "DL-DE-BY-2.0"


def test_a_half_area_is_refused_next_to_the_field_and_what_was_typed_stays(admin_client, town):
    response = admin_client.post(
        url("settings", town),
        {"name": "Lindenau", "answer_within_days": "14", "area_south": "52.1", "area_west": "9.7"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_area_north_errors"' in page
    assert "alle vier Grenzen" in page
    assert 'value="52.1"' in page
    town.refresh_from_db()
    assert town.area_south is None


def test_a_neighbourhood_is_added_changed_and_listed(admin_client, town):
    response = admin_client.post(
        url("neighbourhood_create", town),
        {"name": "Südstadt", "description": "Rund um den Bahnhof."},
        follow=True,
    )
    assert "„Südstadt“ ist angelegt." in response.content.decode()
    quarter = Neighbourhood.objects.get(municipality=town)
    assert quarter.slug == "suedstadt"
    listed = admin_client.get(url("neighbourhood_list", town)).content.decode()
    assert f'href="{url("neighbourhood", town, quarter.pk)}">Südstadt</a>' in listed
    assert 'data-label="Beschreibung">Rund um den Bahnhof.</td>' in listed
    admin_client.post(url("neighbourhood", town, quarter.pk), {"name": "Bahnhofsviertel"})
    quarter.refresh_from_db()
    assert (quarter.name, quarter.slug) == ("Bahnhofsviertel", "suedstadt")
    # The public page shows the new name at once (the town's cached pages are renewed).
    public = admin_client.get(reverse("projects:neighbourhood", args=[town.slug, "suedstadt"]))
    assert "Bahnhofsviertel" in public.content.decode()


@pytest.mark.parametrize(
    ("kind", "factory", "data"),
    [
        ("neighbourhood", NeighbourhoodFactory, {"description": "Neu gebaut."}),
        ("department", DepartmentFactory, {"email": "bau@lindenau.example"}),
        ("topic", TopicFactory, {}),
        ("organisation", OrganisationFactory, {"kind": "initiative"}),
    ],
)
def test_a_taken_name_is_refused_next_to_the_field_keeping_the_input(
    admin_client, town, kind, factory, data
):
    model = type(factory(municipality=town, name="Am Hafen"))
    response = admin_client.post(url(f"{kind}_create", town), {"name": "am hafen", **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_name_errors"' in page
    assert "„am hafen“ gibt es in dieser Kommune schon" in page
    assert 'value="am hafen"' in page
    for value in data.values():
        assert value in page
    assert model.objects.filter(municipality=town).count() == 1


@pytest.mark.parametrize("kind", ["neighbourhood", "department", "topic", "organisation"])
def test_an_empty_name_is_refused_next_to_the_field(admin_client, town, kind):
    response = admin_client.post(url(f"{kind}_create", town), {"name": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_name_errors"' in page
    assert 'aria-invalid="true"' in page
    assert not AuditEntry.objects.filter(municipality=town).exists()


def test_a_topic_offers_only_the_towns_departments(admin_client, town):
    DepartmentFactory(municipality=town, name="Tiefbau")
    foreign = DepartmentFactory(municipality=MunicipalityFactory(), name="Fremdes Amt")
    page = admin_client.get(url("topic_create", town)).content.decode()
    assert "Tiefbau" in page
    assert "Fremdes Amt" not in page
    response = admin_client.post(
        url("topic_create", town), {"name": "Verkehr", "department": foreign.pk}
    )
    assert response.status_code == 400
    assert 'id="id_department_errors"' in response.content.decode()
    assert not Topic.objects.filter(municipality=town).exists()


def test_deleting_a_used_department_says_why_before_and_after_trying(admin_client, town):
    planning = DepartmentFactory(municipality=town, name="Stadtplanung")
    ProjectFactory(municipality=town, department=planning)
    page = admin_client.get(url("department_delete", town, planning.pk)).content.decode()
    assert "Vorhaben (zuständiger Fachbereich): 1" in page
    assert "endgültig löschen" not in page
    response = admin_client.post(url("department_delete", town, planning.pk))
    assert response.status_code == 400
    assert "„Stadtplanung“ wird noch gebraucht" in response.content.decode()
    assert Department.objects.filter(pk=planning.pk).exists()


def test_an_unused_department_is_deleted_after_asking(admin_client, town):
    spare = DepartmentFactory(municipality=town, name="Archiv")
    page = admin_client.get(url("department_delete", town, spare.pk)).content.decode()
    assert "„Archiv“ endgültig löschen" in page
    response = admin_client.post(url("department_delete", town, spare.pk), follow=True)
    assert "„Archiv“ ist gelöscht." in response.content.decode()
    assert not Department.objects.filter(pk=spare.pk).exists()


@pytest.mark.parametrize("kind", ["neighbourhood", "department", "topic", "organisation"])
def test_the_list_costs_the_same_with_many_rows(
    admin_client, town, kind, django_assert_num_queries
):
    factory = {
        "neighbourhood": NeighbourhoodFactory,
        "department": DepartmentFactory,
        "topic": TopicFactory,
        "organisation": OrganisationFactory,
    }[kind]
    factory.create_batch(2, municipality=town)
    admin_client.get(url(f"{kind}_list", town))
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url(f"{kind}_list", town))
    extra = {"department": DepartmentFactory(municipality=town)} if kind == "topic" else {}
    factory.create_batch(40, municipality=town, **extra)
    with django_assert_num_queries(len(few)):
        admin_client.get(url(f"{kind}_list", town))
