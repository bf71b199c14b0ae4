"""The town's admins set up their town through the services: each change checked, logged, and
the town's cached pages renewed; nothing deleted that anything still uses."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koproduktion.core.models import AuditEntry, Department, Municipality, Neighbourhood, Topic
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    TopicFactory,
    UserFactory,
    person_with_role,
)
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.townadmin import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(name="Lindenau", slug="lindenau")


@pytest.fixture
def admin(town):
    return person_with_role(town, Role.ADMIN, public_name="Admin Lindenau")


def entries(town, action):
    return list(AuditEntry.objects.filter(municipality=town, action=action))


# --- Settings ------------------------------------------------------------------------------------


def test_settings_change_what_the_admin_changed_log_it_and_renew_the_towns_pages(town, admin):
    version = town.content_version
    services.municipality_settings_set(
        actor=admin,
        municipality=town,
        changes={"name": " Lindenau an der Aue ", "support_quorum": 50, "is_public": False},
    )
    town.refresh_from_db()
    assert (town.name, town.support_quorum, town.is_public) == ("Lindenau an der Aue", 50, False)
    assert town.slug == "lindenau"
    assert town.content_version > version
    (entry,) = entries(town, "townadmin.municipality_settings_set")
    assert entry.before == {"name": "Lindenau", "support_quorum": None, "is_public": True}
    assert entry.after["support_quorum"] == 50


def test_the_answer_time_goes_through_the_charters_service_and_its_entry(town, admin):
    services.municipality_settings_set(
        actor=admin, municipality=town, changes={"answer_within_days": 10}
    )
    town.refresh_from_db()
    assert town.answer_within_days == 10
    assert entries(town, "charter.municipality_answer_time_set")
    # Nothing else changed, so the settings' own entry would say nothing.
    assert not entries(town, "townadmin.municipality_settings_set")


def test_the_council_recording_goes_through_the_councils_service(town, admin):
    services.municipality_settings_set(
        actor=admin, municipality=town, changes={"council_records_decisions": True}
    )
    town.refresh_from_db()
    assert town.council_records_decisions
    assert entries(town, "council.municipality_council_recording_set")


@pytest.mark.parametrize(
    ("area", "field"),
    [
        ({"area_south": 52.0}, "area_west"),
        (
            {"area_south": 52.6, "area_west": 9.0, "area_north": 52.5, "area_east": 9.5},
            "area_north",
        ),
        ({"area_south": 52.0, "area_west": 9.5, "area_north": 52.5, "area_east": 9.0}, "area_east"),
    ],
)
def test_an_area_needs_all_four_borders_in_order(town, admin, area, field):
    with pytest.raises(ValidationError) as refused:
        services.municipality_settings_set(actor=admin, municipality=town, changes=area)
    assert field in refused.value.error_dict
    town.refresh_from_db()
    assert town.area is None


def test_the_slug_is_no_setting_of_the_town(town, admin):
    with pytest.raises(ValueError, match="slug"):
        services.municipality_settings_set(
            actor=admin, municipality=town, changes={"slug": "anderswo"}
        )


@pytest.mark.parametrize("role", [Role.STAFF, Role.COORDINATION, Role.MODERATOR, Role.RESIDENT])
def test_only_the_towns_admins_change_it(town, role):
    person = person_with_role(town, role)
    with pytest.raises(PermissionDenied):
        services.municipality_settings_set(actor=person, municipality=town, changes={"name": "X"})
    with pytest.raises(PermissionDenied):
        services.department_create(actor=person, municipality=town, name="Bauamt")
    assert Municipality.objects.get(pk=town.pk).name == "Lindenau"
    assert not Department.objects.filter(municipality=town).exists()


def test_an_admin_of_another_town_changes_nothing_here(town):
    other_admin = person_with_role(MunicipalityFactory(), Role.ADMIN)
    quarter = NeighbourhoodFactory(municipality=town, name="Aue")
    with pytest.raises(PermissionDenied):
        services.neighbourhood_update(actor=other_admin, neighbourhood=quarter, name="Weg")
    with pytest.raises(PermissionDenied):
        services.neighbourhood_delete(actor=other_admin, neighbourhood=quarter)
    quarter.refresh_from_db()
    assert quarter.name == "Aue"


def test_platform_admins_may(town):
    platform = UserFactory(is_superuser=True)
    services.topic_create(actor=platform, municipality=town, name="Klima")
    assert Topic.objects.filter(municipality=town, name="Klima").exists()


# --- Records -------------------------------------------------------------------------------------


def test_a_new_neighbourhood_gets_a_readable_free_address_that_stays(town, admin):
    NeighbourhoodFactory(municipality=town, name="Süd", slug="suedstadt")
    quarter = services.neighbourhood_create(
        actor=admin, municipality=town, name="Südstadt", description="Am Bahnhof."
    )
    assert quarter.slug == "suedstadt-2"
    services.neighbourhood_update(actor=admin, neighbourhood=quarter, name="Südliche Stadt")
    quarter.refresh_from_db()
    assert (quarter.name, quarter.slug) == ("Südliche Stadt", "suedstadt-2")
    assert [e.action for e in AuditEntry.objects.filter(municipality=town).order_by("id")] == [
        "townadmin.neighbourhood_create",
        "townadmin.neighbourhood_update",
    ]


@pytest.mark.parametrize(
    ("service", "factory"),
    [
        (services.neighbourhood_create, NeighbourhoodFactory),
        (services.department_create, DepartmentFactory),
        (services.topic_create, TopicFactory),
        (services.organisation_create, OrganisationFactory),
    ],
)
def test_a_name_is_taken_once_per_town_whatever_its_case(town, admin, service, factory):
    existing = factory(municipality=town, name="Nordstadt")
    model = type(existing)
    with pytest.raises(ValidationError) as refused:
        service(actor=admin, municipality=town, name="  NORDSTADT ")
    assert "gibt es in dieser Kommune schon" in refused.value.message_dict["name"][0]
    assert model.objects.filter(municipality=town).count() == 1
    # In another town the name is free.
    service(actor=admin, municipality=town, name="Nordstadt-Ost")
    other = MunicipalityFactory()
    service(actor=UserFactory(is_superuser=True), municipality=other, name="Nordstadt")


def test_renaming_onto_another_records_name_is_refused_but_keeping_ones_own_is_fine(town, admin):
    DepartmentFactory(municipality=town, name="Bauamt")
    roads = DepartmentFactory(municipality=town, name="Tiefbau")
    with pytest.raises(ValidationError):
        services.department_update(actor=admin, department=roads, name="bauamt")
    services.department_update(actor=admin, department=roads, name="Tiefbau", phone="100-660")
    roads.refresh_from_db()
    assert (roads.name, roads.phone) == ("Tiefbau", "100-660")


def test_an_empty_name_is_refused_next_to_the_field(town, admin):
    with pytest.raises(ValidationError) as refused:
        services.neighbourhood_create(actor=admin, municipality=town, name="   ")
    assert "name" in refused.value.message_dict
    assert not Neighbourhood.objects.filter(municipality=town).exists()


def test_a_topic_answers_to_a_department_of_its_own_town(town, admin):
    foreign = DepartmentFactory(municipality=MunicipalityFactory())
    with pytest.raises(ValidationError) as refused:
        services.topic_create(actor=admin, municipality=town, name="Verkehr", department=foreign)
    assert "department" in refused.value.message_dict
    own = DepartmentFactory(municipality=town)
    topic = services.topic_create(actor=admin, municipality=town, name="Verkehr", department=own)
    assert topic.department == own


# --- Deleting ------------------------------------------------------------------------------------


def test_a_department_leading_projects_and_staffed_is_not_deleted_and_the_reason_counts(
    town, admin
):
    planning = DepartmentFactory(municipality=town, name="Stadtplanung")
    ProjectFactory.create_batch(2, municipality=town, department=planning)
    person_with_role(town, Role.STAFF, departments=[planning])
    with pytest.raises(ValidationError) as refused:
        services.department_delete(actor=admin, department=planning)
    message = refused.value.messages[0]
    assert "„Stadtplanung“ wird noch gebraucht" in message
    assert "Vorhaben (zuständiger Fachbereich): 2" in message
    assert "Mitarbeitende mit der Rolle „Verwaltung“: 1" in message
    assert Department.objects.filter(pk=planning.pk).exists()
    assert not entries(town, "townadmin.department_delete")


def test_a_neighbourhood_with_ideas_keeps_them_and_itself(town, admin):
    quarter = NeighbourhoodFactory(municipality=town, name="Aue")
    idea = IdeaFactory(project=ProjectFactory(municipality=town), neighbourhood=quarter)
    with pytest.raises(ValidationError, match="Ideen \\(Quartier\\): 1"):
        services.neighbourhood_delete(actor=admin, neighbourhood=quarter)
    idea.refresh_from_db()
    assert idea.neighbourhood == quarter


def test_an_organisation_with_representatives_keeps_their_roles(town, admin):
    club = OrganisationFactory(municipality=town, name="Sportverein")
    MembershipFactory(municipality=town, role=Role.ORGANISATION, organisation=club)
    with pytest.raises(ValidationError, match="Personen, die die Organisation vertreten: 1"):
        services.organisation_delete(actor=admin, organisation=club)
    assert club.representatives.count() == 1


def test_a_topic_used_by_nothing_is_deleted_and_the_log_keeps_what_it_was(town, admin):
    topic = TopicFactory(municipality=town, name="Klima")
    version = Municipality.objects.get(pk=town.pk).content_version
    services.topic_delete(actor=admin, topic=topic)
    assert not Topic.objects.filter(pk=topic.pk).exists()
    (entry,) = entries(town, "townadmin.topic_delete")
    assert entry.before["name"] == "Klima"
    assert entry.target_repr == "Klima"
    assert Municipality.objects.get(pk=town.pk).content_version > version
