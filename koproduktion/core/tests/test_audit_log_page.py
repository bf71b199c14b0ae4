"""The administration's log page: who may read it, what it shows, filters and pages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.models import AuditEntry
from koproduktion.core.roles import Role
from koproduktion.core.services import role_grant

from .factories import (
    PASSWORD,
    MunicipalityFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    assert client.login(email=user.email, password=PASSWORD)
    return client


def _grant(town, actor, name: str) -> None:
    """An act of the town's admin for the log: the moderator role for a person called ``name``."""
    role_grant(
        actor=actor, municipality=town, user=UserFactory(public_name=name), role=Role.MODERATOR
    )


@pytest.fixture
def town():
    return MunicipalityFactory(name="Musterstadt", slug="musterstadt")


@pytest.fixture
def admin(town):
    return person_with_role(town, Role.ADMIN, public_name="Frau Admin")


def _url(town, **query) -> str:
    url = reverse("audit_log", args=[town.slug])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def test_the_towns_admin_reads_who_changed_what_before_and_after(town, admin):
    _grant(town, admin, "Herr Neu")
    page = _client(admin).get(_url(town))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<caption>" in html
    assert '<th scope="col">' in html
    assert "Frau Admin" in html
    assert "Kommunen-Admin" in html  # the role held at the time
    assert "Rolle vergeben" in html
    assert "Rolle „Herr Neu – Moderation (Musterstadt)“" in html
    assert "<dt>Rolle</dt>" in html
    assert "Moderation" in html


@pytest.mark.parametrize("role", [Role.STAFF, Role.MODERATOR, Role.COUNCIL, Role.RESIDENT])
def test_other_roles_of_the_town_may_not_read_it(town, admin, role):
    _grant(town, admin, "Neu")
    person = person_with_role(town, role)
    assert _client(person).get(_url(town)).status_code == 403


def test_another_towns_admin_and_staff_may_not_read_it(town, admin):
    _grant(town, admin, "Neu")
    elsewhere = MunicipalityFactory()
    for role in (Role.ADMIN, Role.STAFF):
        outsider = person_with_role(elsewhere, role)
        answer = _client(outsider).get(_url(town))
        assert answer.status_code == 403
        assert "Frau Admin" not in answer.content.decode()


def test_visitors_are_asked_to_log_in(town):
    answer = Client().get(_url(town))
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("accounts:login"))


def test_a_platform_admin_reads_every_towns_log(town, admin):
    _grant(town, admin, "Neu")
    root = UserFactory(is_superuser=True, is_staff=True)
    answer = _client(root).get(_url(town))
    assert answer.status_code == 200
    assert "Frau Admin" in answer.content.decode()


def test_a_town_shows_only_its_own_entries(town, admin):
    other = MunicipalityFactory()
    other_admin = person_with_role(other, Role.ADMIN, public_name="Herr Anderswo")
    _grant(other, other_admin, "Fremdes Amt")
    _grant(town, admin, "Eigenes Amt")
    html = _client(admin).get(_url(town)).content.decode()
    assert "Eigenes Amt" in html
    assert "Fremdes Amt" not in html
    assert "Herr Anderswo" not in html


def test_filters_by_person_action_kind_and_date(town, admin):
    colleague = person_with_role(town, Role.ADMIN, public_name="Herr Kollege")
    _grant(town, admin, "Amt A")
    _grant(town, colleague, "Amt B")
    client = _client(admin)

    html = client.get(_url(town, person=colleague.pk)).content.decode()
    assert "Amt B" in html
    assert "Amt A" not in html

    assert "Amt A" in client.get(_url(town, aktion="core.role_grant")).content.decode()
    empty = client.get(_url(town, aktion="core.membership_revoke")).content.decode()
    assert "Keine Einträge zu diesen Filtern." in empty

    assert "Amt A" in client.get(_url(town, objekt="core.membership")).content.decode()

    today = timezone.localdate()
    assert "Amt A" in client.get(_url(town, von=today, bis=today)).content.decode()
    yesterday = today - datetime.timedelta(days=1)
    assert "Amt A" not in client.get(_url(town, bis=yesterday)).content.decode()


def test_bad_filters_are_named_and_filter_nothing(town, admin):
    _grant(town, admin, "Amt A")
    client = _client(admin)
    answer = client.get(_url(town, von="gestern", person="niemand", vor="x" * 40))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Amt A" in html
    assert "gültiges Datum" in html
    assert 'value="gestern"' in html  # what was typed stays in the field
    backwards = client.get(_url(town, von="2026-05-02", bis="2026-05-01")).content.decode()
    assert "Das Ende liegt vor dem Anfang." in backwards


def _entries(town, count: int) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(
            municipality=town,
            actor_name="Frau Admin",
            action="core.tenant_record_save",
            target_type="core.department",
            target_id=number,
            target_repr=f"Amt Nummer {number}",
            after={"name": f"Amt Nummer {number}"},
        )
        for number in range(1, count + 1)
    )


def test_pages_back_by_entry_newest_first(town, admin):
    _entries(town, 55)
    client = _client(admin)
    first = client.get(_url(town)).content.decode()
    assert "Amt Nummer 55" in first
    assert "Amt Nummer 6“" in first
    assert "Amt Nummer 5“" not in first
    older = AuditEntry.objects.get(target_id=6).pk
    assert f"vor={older}" in first
    second = client.get(_url(town, vor=older)).content.decode()
    assert "Amt Nummer 5“" in second
    assert "Amt Nummer 1“" in second
    assert "Amt Nummer 6“" not in second
    assert "ältere Einträge" not in second


def test_a_page_costs_the_same_queries_for_few_or_many_entries(
    town, admin, django_assert_max_num_queries
):
    client = _client(admin)
    _entries(town, 3)
    client.get(_url(town))  # warm the session and the person's roles
    # 8 for the page, the person and their unread notices, and the header's four workspaces of
    # an admin: the inbox, the moderation queue, the projects to manage and the roles page.
    with django_assert_max_num_queries(12) as few:
        client.get(_url(town))
    _entries(town, 60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url(town))


def test_admins_find_the_log_on_their_towns_page_and_staff_do_not(town, admin):
    link = _url(town)
    assert (
        link
        in _client(admin).get(reverse("projects:municipality", args=[town.slug])).content.decode()
    )
    assert link in _client(admin).get(reverse("accounts:profile")).content.decode()
    staff = person_with_role(town, Role.STAFF)
    assert (
        link
        not in _client(staff)
        .get(reverse("projects:municipality", args=[town.slug]))
        .content.decode()
    )


def test_dates_read_as_dates_and_private_values_stay_hidden(town, admin):
    AuditEntry.objects.create(
        municipality=town,
        actor_name="Frau Admin",
        action="decisions.verification_grant",
        target_type="decisions.verification",
        target_id=1,
        target_repr="Anna (Musterstadt)",
        before={},
        after={"birth_date": {"redacted": True}, "verified_at": "2026-05-04T10:30:00+00:00"},
    )
    html = _client(admin).get(_url(town)).content.decode()
    assert "Person verifiziert" in html
    assert "gesetzt – der Wert wird nicht protokolliert" in html
    assert "04.05.2026" in html
    assert "2026-05-04T10:30" not in html
