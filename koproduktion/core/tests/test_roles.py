"""A town's admins give roles to accounts, change staff's departments and take roles away, with
a reason in the log; a town keeps at least one admin."""

from __future__ import annotations

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError

from koproduktion.core.models import AuditEntry, Membership
from koproduktion.core.ratelimit import RateLimited, rate_limits
from koproduktion.core.roles import Role
from koproduktion.core.services import (
    membership_departments_set,
    membership_revoke,
    role_grant,
    roles_grant_by_email,
)

from .factories import DepartmentFactory, MunicipalityFactory, UserFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    return MunicipalityFactory(name="Musterstadt")


@pytest.fixture
def admin(town):
    return person_with_role(town, Role.ADMIN, public_name="Frau Admin")


def _grant(admin, town, email, roles, departments=(), *, ip="10.0.0.1"):
    return roles_grant_by_email(
        actor=admin,
        municipality=town,
        email=email,
        roles=roles,
        departments=list(departments),
        ip=ip,
    )


def test_an_admin_gives_roles_to_an_account_by_its_address(town, admin):
    person = UserFactory(email="lena@example.org", public_name="Lena")
    planning = DepartmentFactory(municipality=town, name="Stadtplanung")
    granted = _grant(admin, town, "Lena@Example.org", ["staff", "moderator"], [planning])
    assert {m.role for m in granted} == {Role.STAFF, Role.MODERATOR}
    staff = Membership.objects.get(user=person, role=Role.STAFF)
    assert list(staff.departments.all()) == [planning]
    # The moderator role carries no departments; they belong to the staff role.
    assert not Membership.objects.get(user=person, role=Role.MODERATOR).departments.exists()
    person = type(person).objects.get(pk=person.pk)  # as the next request reads them
    assert rules.test_rule("moderation.can_moderate", person, town)
    entries = AuditEntry.objects.filter(action="core.role_grant", municipality=town)
    assert entries.count() == 2
    staff_entry = entries.get(target_id=staff.pk)
    assert staff_entry.actor == admin
    assert staff_entry.after == {"user": "Lena", "role": "staff", "departments": ["Stadtplanung"]}


@pytest.mark.parametrize("role", [Role.STAFF, Role.COORDINATION, Role.MODERATOR, Role.RESIDENT])
def test_only_the_towns_admins_give_roles(town, role):
    lena = UserFactory(email="lena@example.org")
    with pytest.raises(PermissionDenied):
        _grant(person_with_role(town, role), town, "lena@example.org", ["moderator"])
    elsewhere = person_with_role(MunicipalityFactory(), Role.ADMIN)
    with pytest.raises(PermissionDenied):
        _grant(elsewhere, town, "lena@example.org", ["moderator"])
    assert not lena.memberships.exists()


def test_a_platform_admin_gives_roles_in_any_town(town):
    UserFactory(email="lena@example.org")
    root = UserFactory(is_superuser=True)
    (membership,) = _grant(root, town, "lena@example.org", ["admin"])
    assert membership.municipality == town


def test_an_unknown_address_is_refused_at_the_address(town, admin):
    with pytest.raises(ValidationError) as refused:
        _grant(admin, town, "niemand@example.org", ["moderator"])
    assert "kein Konto" in refused.value.message_dict["email"][0]
    assert "Einladung" in refused.value.message_dict["email"][0]
    assert not Membership.objects.filter(role=Role.MODERATOR).exists()


def test_looking_up_addresses_is_limited_refused_or_not(town, admin, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "role_grant": ("3/h", None)}
    for number in range(3):
        with pytest.raises(ValidationError):
            _grant(admin, town, f"niemand{number}@example.org", ["moderator"])
    UserFactory(email="lena@example.org")
    with pytest.raises(RateLimited):
        _grant(admin, town, "lena@example.org", ["moderator"])


def test_what_no_form_offers_is_refused_by_field(town, admin):
    UserFactory(email="lena@example.org")
    foreign = DepartmentFactory(municipality=MunicipalityFactory())
    own = DepartmentFactory(municipality=town)
    cases = [
        (["staff"], [foreign], "departments", "anderen Kommune"),
        (["moderator"], [own], "departments", "Verwaltung"),
        (["resident"], [], "roles", "angebotenen Rollen"),
        (["superuser"], [], "roles", "angebotenen Rollen"),
        ([], [], "roles", "angebotenen Rollen"),
    ]
    for roles, departments, field, words in cases:
        with pytest.raises(ValidationError) as refused:
            _grant(admin, town, "lena@example.org", roles, departments)
        assert words in " ".join(refused.value.message_dict[field]), (roles, field)
    assert Membership.objects.filter(municipality=town).count() == 1  # the admin's own


def test_a_role_held_already_is_named(town, admin):
    person = person_with_role(town, Role.MODERATOR, email="lena@example.org")
    with pytest.raises(ValidationError) as refused:
        _grant(admin, town, "lena@example.org", ["council", "moderator"])
    assert "Moderation" in refused.value.message_dict["roles"][0]
    assert not person.memberships.filter(role=Role.COUNCIL).exists()


def test_departments_change_for_staff_of_the_town_only(town, admin):
    staff = person_with_role(town, Role.STAFF)
    membership = staff.memberships.get()
    roads, parks = DepartmentFactory(municipality=town), DepartmentFactory(municipality=town)
    membership_departments_set(actor=admin, membership=membership, departments=[roads, parks])
    assert set(membership.departments.all()) == {roads, parks}
    with pytest.raises(ValidationError):
        membership_departments_set(
            actor=admin,
            membership=membership,
            departments=[DepartmentFactory(municipality=MunicipalityFactory())],
        )
    assert set(membership.departments.all()) == {roads, parks}
    moderator = person_with_role(town, Role.MODERATOR).memberships.get()
    with pytest.raises(ValidationError):
        membership_departments_set(actor=admin, membership=moderator, departments=[roads])
    with pytest.raises(PermissionDenied):
        membership_departments_set(actor=staff, membership=membership, departments=[])
    entry = AuditEntry.objects.get(action="core.membership_departments_set")
    assert entry.before == {"departments": []}
    assert len(entry.after["departments"]) == 2


def test_a_role_is_revoked_with_a_reason_in_the_log(town, admin):
    moderator = person_with_role(town, Role.MODERATOR, public_name="Herr Moderator")
    membership = moderator.memberships.get()
    with pytest.raises(ValidationError):
        membership_revoke(actor=admin, membership=membership, reason="  ")
    membership_revoke(actor=admin, membership=membership, reason="Hat die Stelle gewechselt.")
    assert not moderator.memberships.exists()
    moderator = type(moderator).objects.get(pk=moderator.pk)
    assert not rules.test_rule("moderation.can_moderate", moderator, town)
    entry = AuditEntry.objects.get(action="core.membership_revoke")
    assert entry.reason == "Hat die Stelle gewechselt."
    assert entry.before == {"user": "Herr Moderator", "role": "moderator"}
    assert entry.after == {}


def test_a_town_keeps_at_least_one_admin(town, admin):
    own = admin.memberships.get(role=Role.ADMIN)
    with pytest.raises(ValidationError) as refused:
        membership_revoke(actor=admin, membership=own, reason="Ich höre auf.")
    assert "einzige Admin-Person" in refused.value.messages[0]
    root = UserFactory(is_superuser=True)
    with pytest.raises(ValidationError) as refused:
        membership_revoke(actor=root, membership=own, reason="Aufräumen.")
    assert "letzte Admin-Rolle" in refused.value.messages[0]
    assert Membership.objects.filter(pk=own.pk).exists()
    # With a second admin, either may step down or take the other's role.
    colleague = person_with_role(town, Role.ADMIN)
    membership_revoke(actor=admin, membership=own, reason="Ich höre auf.")
    assert not Membership.objects.filter(pk=own.pk).exists()
    last = colleague.memberships.get(role=Role.ADMIN)
    with pytest.raises(ValidationError):
        membership_revoke(actor=colleague, membership=last, reason="Ich auch.")


def test_an_inactive_admin_does_not_count_as_the_towns_admin(town, admin):
    person_with_role(town, Role.ADMIN, is_active=False)
    with pytest.raises(ValidationError):
        membership_revoke(
            actor=admin, membership=admin.memberships.get(role=Role.ADMIN), reason="Ich gehe."
        )


def test_granting_one_role_directly_checks_the_same(town, admin):
    person = UserFactory()
    with pytest.raises(ValidationError):
        role_grant(actor=admin, municipality=town, user=person, role=Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        role_grant(
            actor=person_with_role(town, Role.STAFF),
            municipality=town,
            user=person,
            role=Role.MODERATOR,
        )
    assert not person.memberships.exists()


def test_the_limit_is_configured_for_lookups():
    per_account, per_address = rate_limits("role_grant")
    assert per_account is not None
    assert per_address is not None
