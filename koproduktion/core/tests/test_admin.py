"""The admin shows and changes only what belongs to the person's own municipality."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from koproduktion.core.models import AuditEntry, Neighbourhood
from koproduktion.core.roles import Role
from koproduktion.core.services import tenant_record_save
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    TopicFactory,
    person_with_role,
)
from koproduktion.projects.models import Project
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns():
    return MunicipalityFactory(name="Musterstadt"), MunicipalityFactory(name="Nachbarort")


def _admin_user(town, role):
    return person_with_role(town, role, is_staff=True)


def test_staff_see_only_their_towns_projects(client, towns):
    own, other = towns
    mine = ProjectFactory(municipality=own, title="Unser Marktplatz", is_published=False)
    ProjectFactory(municipality=other, title="Fremder Entwurf", is_published=False)
    client.force_login(_admin_user(own, Role.STAFF))
    html = client.get(reverse("admin:projects_project_changelist")).content.decode()
    assert mine.title in html
    assert "Fremder Entwurf" not in html


def test_staff_cannot_open_another_towns_project(client, towns):
    own, other = towns
    foreign = ProjectFactory(municipality=other)
    client.force_login(_admin_user(own, Role.STAFF))
    response = client.get(reverse("admin:projects_project_change", args=[foreign.pk]), follow=True)
    assert "existiert nicht" in response.content.decode()


def test_staff_cannot_create_a_project_in_another_town(client, towns):
    own, other = towns
    client.force_login(_admin_user(own, Role.STAFF))
    response = client.post(
        reverse("admin:projects_project_add"),
        {
            "municipality": other.pk,
            "title": "Eingeschmuggelt",
            "slug": "eingeschmuggelt",
            "summary": "Kurz.",
            "phase": "information",
            "phases-TOTAL_FORMS": "0",
            "phases-INITIAL_FORMS": "0",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "Eingeschmuggelt" in response.content.decode()  # what was typed is kept
    assert not Project.objects.filter(slug="eingeschmuggelt").exists()


def test_staff_create_a_project_with_its_timeline(client, towns):
    own, _ = towns
    client.force_login(_admin_user(own, Role.STAFF))
    response = client.post(
        reverse("admin:projects_project_add"),
        {
            "municipality": own.pk,
            "title": "Neuer Park",
            "slug": "neuer-park",
            "summary": "Ein Park am Fluss.",
            "phase": "information",
            "phases-TOTAL_FORMS": "1",
            "phases-INITIAL_FORMS": "0",
            "phases-0-kind": "information",
            "phases-0-starts_on": "2026-12-01",
            "phases-0-ends_on": "2027-01-31",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()
    project = Project.objects.get(slug="neuer-park")
    phase = project.phases.get()
    assert phase.municipality_id == own.pk


def test_staff_do_not_manage_neighbourhoods_but_town_admins_do(client, towns):
    own, _ = towns
    client.force_login(_admin_user(own, Role.STAFF))
    assert client.get(reverse("admin:core_neighbourhood_add")).status_code == 403
    client.force_login(_admin_user(own, Role.ADMIN))
    response = client.post(
        reverse("admin:core_neighbourhood_add"),
        {"municipality": own.pk, "name": "Südstadt", "slug": "suedstadt"},
    )
    assert response.status_code == 302
    assert Neighbourhood.objects.get(slug="suedstadt").municipality == own


def test_residents_have_no_admin(client, towns):
    own, _ = towns
    client.force_login(person_with_role(own, Role.RESIDENT))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_service_refuses_cross_tenant_writes_whatever_the_form_offered(towns):
    own, other = towns
    staff = _admin_user(own, Role.STAFF)
    smuggled = Project(municipality=other, title="X", slug="x", summary="Kurz.")
    with pytest.raises(PermissionDenied):
        tenant_record_save(actor=staff, record=smuggled)
    assert not Project.objects.filter(slug="x").exists()


def test_town_admin_grants_a_role_by_email(client, towns):
    own, _ = towns
    newcomer = person_with_role(own, Role.RESIDENT, email="neu@example.org")
    client.force_login(_admin_user(own, Role.ADMIN))
    response = client.post(
        reverse("admin:core_membership_add"),
        {"email": "neu@example.org", "municipality": own.pk, "role": "moderator"},
    )
    assert response.status_code == 302
    assert newcomer.memberships.filter(role=Role.MODERATOR, municipality=own).exists()
    response = client.post(
        reverse("admin:core_membership_add"),
        {"email": "niemand@example.org", "municipality": own.pk, "role": "moderator"},
    )
    assert "niemand registriert" in response.content.decode()


def test_a_project_created_in_the_admin_is_in_the_log_with_its_timeline(client, towns):
    own, _ = towns
    staff = _admin_user(own, Role.STAFF)
    client.force_login(staff)
    client.post(
        reverse("admin:projects_project_add"),
        {
            "municipality": own.pk,
            "title": "Neuer Park",
            "slug": "neuer-park",
            "summary": "Ein Park am Fluss.",
            "phase": "information",
            "phases-TOTAL_FORMS": "1",
            "phases-INITIAL_FORMS": "0",
            "phases-0-kind": "information",
            "phases-0-starts_on": "2026-12-01",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    phase, project = AuditEntry.objects.filter(municipality=own)
    assert (project.target_type, project.actor) == ("projects.project", staff)
    assert project.after["title"] == "Neuer Park"
    assert (phase.target_type, phase.after["starts_on"]) == ("projects.phase", "2026-12-01")


def test_the_log_is_read_only_in_the_admin_and_only_for_the_towns_admins(client, towns):
    own, _ = towns
    admin = _admin_user(own, Role.ADMIN)
    department = DepartmentFactory(municipality=own)
    department.name = "Neu"
    tenant_record_save(actor=admin, record=department)
    entry = AuditEntry.objects.get()
    client.force_login(admin)
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    client.force_login(_admin_user(own, Role.STAFF))
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 403


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:projects_project_changelist",
        "admin:core_neighbourhood_changelist",
        "admin:core_topic_changelist",
        "admin:core_membership_changelist",
        "admin:ideas_idea_changelist",
        "admin:decisions_poll_changelist",
    ],
)
def test_list_filters_name_only_what_the_person_may_see(client, towns, changelist):
    own, other = towns
    ProjectFactory(municipality=own, topic=TopicFactory(municipality=own, name="Unser Thema"))
    ProjectFactory(municipality=other, topic=TopicFactory(municipality=other, name="Fremdes Thema"))
    client.force_login(_admin_user(own, Role.ADMIN))
    response = client.get(reverse(changelist))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nachbarort" not in html
    assert "Fremdes Thema" not in html
