"""The town's roles page: who may open it, what it lists, and bad input said next to the field
with nothing stored and nothing typed lost."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from koproduktion.accounts.models import Invitation
from koproduktion.core.models import AuditEntry, Membership
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(name="Musterstadt", slug="musterstadt")


@pytest.fixture
def admin(town):
    return person_with_role(town, Role.ADMIN, public_name="Frau Admin")


def _page(town) -> str:
    return reverse("roles:list", args=[town.slug])


def _send(client, town, data, ip="10.0.0.1"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(_page(town), data, REMOTE_ADDR=ip)


@pytest.mark.parametrize(
    "role", [Role.RESIDENT, Role.STAFF, Role.COORDINATION, Role.MODERATOR, Role.COUNCIL]
)
def test_only_the_towns_admins_open_it(client, town, role):
    client.force_login(person_with_role(town, role))
    assert client.get(_page(town)).status_code == 403


def test_visitors_are_asked_to_log_in_and_other_towns_admins_refused(client, town):
    response = client.get(_page(town))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(person_with_role(MunicipalityFactory(), Role.ADMIN))
    assert client.get(_page(town)).status_code == 403


def test_it_lists_offices_with_departments_and_open_invitations(client, town, admin):
    planning = DepartmentFactory(municipality=town, name="Stadtplanung")
    staff = person_with_role(town, Role.STAFF, public_name="Herr Planer", email="p@example.org")
    staff.memberships.get().departments.add(planning)
    person_with_role(town, Role.RESIDENT, public_name="Frau Bürgerin")
    person_with_role(MunicipalityFactory(), Role.STAFF, public_name="Herr Anderswo")
    Invitation.objects.create(
        municipality=town,
        email="neu@example.org",
        roles=["council"],
        token_hash="a" * 64,
        expires_at="2099-01-01T00:00:00Z",
    )
    client.force_login(admin)
    html = client.get(_page(town)).content.decode()
    assert "Herr Planer" in html
    assert "p@example.org" in html
    assert "Stadtplanung" in html
    assert "Frau Admin" in html
    assert "Frau Bürgerin" not in html  # residents are not offices
    assert "Herr Anderswo" not in html
    assert "neu@example.org" in html
    assert "Ratsmitglied" in html


def test_the_page_costs_the_same_queries_for_few_or_many_people(
    client, town, admin, django_assert_max_num_queries
):
    client.force_login(admin)
    client.get(_page(town))
    with django_assert_max_num_queries(30) as few:
        client.get(_page(town))
    departments = [DepartmentFactory(municipality=town) for _ in range(3)]
    for number in range(60):
        staff = person_with_role(town, Role.STAFF, public_name=f"Mitarbeiterin {number:02}")
        staff.memberships.get().departments.add(departments[number % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(_page(town)).content.decode()
    # 50 a page, by role and then name: the admin first, then staff.
    assert "Mitarbeiterin 48" in first
    assert "Mitarbeiterin 49" not in first
    assert 'href="?seite=2"' in first
    second = client.get(_page(town) + "?seite=2").content.decode()
    assert "Mitarbeiterin 59" in second
    assert "Frau Admin" not in second


def test_granting_to_an_address_without_account_offers_the_invitation(client, town, admin):
    planning = DepartmentFactory(municipality=town, name="Stadtplanung")
    client.force_login(admin)
    data = {
        "email": "niemand@example.org",
        "roles": ["staff"],
        "departments": [planning.pk],
        "aktion": "vergeben",
    }
    response = _send(client, town, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_email_errors"' in html
    assert "Unter dieser Adresse gibt es kein Konto." in html
    assert 'value="niemand@example.org"' in html
    assert f'value="{planning.pk}" id="id_departments_0" checked' in html
    assert 'value="staff"' in html
    assert "checked" in html
    assert 'value="einladen"' in html  # the invitation, with what was typed, one click away
    assert Membership.objects.filter(municipality=town).count() == 1
    assert not mail.outbox

    response = _send(client, town, data | {"aktion": "einladen"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["niemand@example.org"]
    invitation = Invitation.objects.get()
    assert list(invitation.departments.all()) == [planning]


def test_a_department_of_another_town_is_refused_next_to_the_field(client, town, admin):
    UserFactory(email="lena@example.org")
    foreign = DepartmentFactory(municipality=MunicipalityFactory(), name="Fremdes Amt")
    client.force_login(admin)
    for action in ("vergeben", "einladen"):
        response = _send(
            client,
            town,
            {
                "email": "lena@example.org",
                "roles": ["staff"],
                "departments": [foreign.pk],
                "aktion": action,
            },
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="id_departments_errors"' in html
        assert "Diesen Fachbereich gibt es in dieser Kommune nicht." in html
        assert 'value="lena@example.org"' in html
        assert "Fremdes Amt" not in html
    assert Membership.objects.filter(municipality=town).count() == 1
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_an_account_gets_the_role_at_once(client, town, admin):
    lena = UserFactory(email="lena@example.org", public_name="Lena")
    client.force_login(admin)
    response = _send(
        client, town, {"email": "lena@example.org", "roles": ["moderator"], "aktion": "vergeben"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "lena@example.org hat jetzt die Rolle Moderation." in page
    client.force_login(lena)
    assert client.get(reverse("moderation:queue", args=[town.slug])).status_code == 200


def test_too_many_invitations_wait_and_keep_what_was_typed(client, town, admin, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation": ("2/h", None)}
    client.force_login(admin)
    for number in range(2):
        data = {"email": f"neu{number}@example.org", "roles": ["council"], "aktion": "einladen"}
        assert _send(client, town, data).status_code == 302
    response = _send(
        client, town, {"email": "neu9@example.org", "roles": ["council"], "aktion": "einladen"}
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Bitte warten Sie" in html
    assert 'value="neu9@example.org"' in html
    assert len(mail.outbox) == 2


def test_the_membership_page_changes_departments_and_revokes(client, town, admin):
    roads = DepartmentFactory(municipality=town, name="Tiefbau")
    staff = person_with_role(town, Role.STAFF, public_name="Herr Planer")
    membership = staff.memberships.get()
    url = reverse("roles:membership", args=[town.slug, membership.pk])
    client.force_login(admin)
    assert "Tiefbau" in client.get(url).content.decode()
    response = client.post(url, {"departments": [roads.pk], "aktion": "fachbereiche"})
    assert response.status_code == 302
    assert list(membership.departments.all()) == [roads]

    response = client.post(url, {"reason": "", "aktion": "entziehen"})
    assert response.status_code == 200
    assert 'id="id_reason_errors"' in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(url, {"reason": "Ruhestand", "aktion": "entziehen"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.get(action="core.membership_revoke").reason == "Ruhestand"


def test_the_last_admin_is_told_why_the_role_stays(client, town, admin):
    own = admin.memberships.get(role=Role.ADMIN)
    client.force_login(admin)
    url = reverse("roles:membership", args=[town.slug, own.pk])
    response = client.post(url, {"reason": "Ich höre auf.", "aktion": "entziehen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "einzige Admin-Person" in html
    assert "Ich höre auf." in html  # the reason typed stays
    assert Membership.objects.filter(pk=own.pk).exists()


def test_an_admin_stepping_down_lands_on_the_town_page(client, town, admin):
    person_with_role(town, Role.ADMIN)
    own = admin.memberships.get(role=Role.ADMIN)
    client.force_login(admin)
    url = reverse("roles:membership", args=[town.slug, own.pk])
    response = client.post(url, {"reason": "Neue Aufgabe.", "aktion": "entziehen"})
    assert response["Location"] == reverse("projects:municipality", args=[town.slug])
    assert client.get(_page(town)).status_code == 403


def test_memberships_of_residents_and_other_towns_are_not_found(client, town, admin):
    client.force_login(admin)
    resident = person_with_role(town, Role.RESIDENT).memberships.get()
    foreign = person_with_role(MunicipalityFactory(), Role.STAFF).memberships.get()
    for membership in (resident, foreign):
        url = reverse("roles:membership", args=[town.slug, membership.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "aktion": "entziehen"}).status_code == 404
    assert Membership.objects.filter(pk__in=[resident.pk, foreign.pk]).count() == 2


def test_the_header_and_the_town_page_lead_admins_to_the_roles(client, town, admin):
    # The header leads to the town's administration, which links the roles.
    overview = reverse("townadmin:overview", args=[town.slug])
    client.force_login(admin)
    assert f'href="{overview}"' in client.get("/").content.decode()
    assert f'href="{_page(town)}"' in client.get(overview).content.decode()
    town_page = client.get(reverse("projects:municipality", args=[town.slug])).content.decode()
    assert f'href="{_page(town)}"' in town_page
    client.force_login(person_with_role(town, Role.STAFF))
    assert f'href="{overview}"' not in client.get("/").content.decode()
    town_page = client.get(reverse("projects:municipality", args=[town.slug])).content.decode()
    assert f'href="{_page(town)}"' not in town_page
