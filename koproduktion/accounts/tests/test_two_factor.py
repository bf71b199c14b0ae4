"""Two-factor log-in: setting it up, the code after the password, recovery codes, turning it off,
and a municipality that requires it of its staff, moderators and admins."""

from __future__ import annotations

import re

import pytest
import rules
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from koproduktion.accounts import totp, two_factor
from koproduktion.accounts.models import RecoveryCode, TwoFactorDevice
from koproduktion.accounts.two_factor import two_factor_enable
from koproduktion.core.models import AuditEntry
from koproduktion.core.ratelimit import rate_limits
from koproduktion.core.roles import Role
from koproduktion.core.services import municipality_two_factor_set
from koproduktion.core.tests.factories import (
    PASSWORD,
    DepartmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
)
from koproduktion.core.tests.test_ratelimit import T0, Clock

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(two_factor, "_now", clock)
    return clock


def _staff(town=None, role=Role.STAFF, **kwargs):
    person = UserFactory(**kwargs)
    MembershipFactory(user=person, municipality=town or MunicipalityFactory(), role=role)
    return person


def _with_two_factor(person, clock) -> tuple[str, list[str]]:
    secret = totp.new_secret()
    codes = two_factor_enable(
        user=person,
        secret=secret,
        code=totp.code_at(secret, clock.now),
        password=PASSWORD,
        ip="192.0.2.1",
    )
    return secret, codes


def _password_step(client: Client, person, *, next_url: str = ""):
    data = {"username": person.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# -- the code math ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_codes_match_the_test_values_of_rfc_6238(at, expected):
    key = b"12345678901234567890"
    assert totp.hotp(key, totp.time_step(at), digits=8) == expected


def test_a_code_is_accepted_in_its_window_and_not_after():
    secret = totp.new_secret()
    code = totp.code_at(secret, T0)
    step = totp.time_step(T0)
    assert totp.matching_step(secret, code, at=T0) == step
    assert totp.matching_step(secret, code, at=T0 + 30) == step  # typed a little late
    assert totp.matching_step(secret, code, at=T0 + 90) is None
    assert totp.matching_step(secret, code, at=T0, after=step) is None
    assert totp.matching_step(secret, "12a456", at=T0) is None


def test_the_qr_code_carries_the_standard_address():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", account="a@example.org", issuer="Koproduktion")
    assert uri == (
        "otpauth://totp/Koproduktion:a@example.org?secret=JBSWY3DPEHPK3PXP&issuer=Koproduktion"
        "&algorithm=SHA1&digits=6&period=30"
    )


# -- setting it up ---------------------------------------------------------------------------


def test_staff_set_it_up_with_a_qr_code_the_secret_as_text_and_a_code(client, clock):
    person = _staff()
    client.force_login(person)
    response = client.get(reverse("accounts:two_factor"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert re.search(r'<svg role="img" aria-label="QR-Code[^"]*"', html)
    secret = re.search(r'id="two-factor-secret"[^>]*>([A-Z2-7 ]+)<', html).group(1)
    secret = secret.replace(" ", "")
    # The same secret on reload, so a scanned code keeps working until it is confirmed.
    assert secret.replace(" ", "") in client.get(
        reverse("accounts:two_factor")
    ).content.decode().replace(" ", "")

    response = client.post(
        reverse("accounts:two_factor_on"), {"code": "000000", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Dieser Code passt nicht" in response.content.decode()
    assert not TwoFactorDevice.objects.exists()

    response = client.post(
        reverse("accounts:two_factor_on"),
        {"code": totp.code_at(secret, clock.now), "password": "falsch"},
    )
    assert "Das Passwort stimmt nicht" in response.content.decode()
    assert not TwoFactorDevice.objects.exists()

    response = client.post(
        reverse("accounts:two_factor_on"),
        {"code": totp.code_at(secret, clock.now), "password": PASSWORD},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Die Zwei-Faktor-Anmeldung ist eingeschaltet" in html
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", html)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert TwoFactorDevice.objects.filter(user=person).exists()
    # Stored as hashes only, and shown once.
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not stored & set(codes)
    later = client.get(reverse("accounts:two_factor")).content.decode()
    assert not any(code in later for code in codes)
    assert "noch 10 unbenutzte Wiederherstellungscodes" in later


def test_residents_are_not_offered_it(client):
    resident = _staff(role=Role.RESIDENT)
    client.force_login(resident)
    assert "Zwei-Faktor" not in client.get(reverse("accounts:profile")).content.decode()
    response = client.get(reverse("accounts:two_factor"))
    assert response.status_code == 403
    assert "Verwaltung, Moderation und Admins" in response.content.decode()
    assert client.post(reverse("accounts:two_factor_on"), {"code": "1"}).status_code == 403


@pytest.mark.parametrize("role", [Role.STAFF, Role.MODERATOR, Role.ADMIN])
def test_staff_moderators_and_admins_find_it_under_mein_konto(client, role):
    client.force_login(_staff(role=role))
    html = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:two_factor") in html


def test_platform_admins_may_use_it():
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert rules.test_rule("accounts.can_use_two_factor", admin)


# -- logging in ------------------------------------------------------------------------------


def test_the_password_alone_no_longer_logs_in(client, clock):
    person = _staff()
    secret, _codes = _with_two_factor(person, clock)
    response = _password_step(client, person, next_url="/konto/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login_code")
    assert not _logged_in(client)
    assert client.get(reverse("accounts:profile")).status_code == 302

    page = client.get(reverse("accounts:login_code"))
    assert 'autocomplete="one-time-code"' in page.content.decode()
    response = client.post(reverse("accounts:login_code"), {"code": "123456"})
    assert "Dieser Code passt nicht" in response.content.decode()
    assert not _logged_in(client)

    clock.now += 30
    response = client.post(
        reverse("accounts:login_code"), {"code": totp.code_at(secret, clock.now)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/"
    assert _logged_in(client)
    assert reverse("accounts:login_code") not in client.get("/konto/").content.decode()


def test_a_code_works_once(clock):
    person = _staff()
    secret, _codes = _with_two_factor(person, clock)
    clock.now += 30
    code = totp.code_at(secret, clock.now)
    first, second = Client(), Client()
    for browser in (first, second):
        _password_step(browser, person)
    first.post(reverse("accounts:login_code"), {"code": code})
    response = second.post(reverse("accounts:login_code"), {"code": code})
    assert _logged_in(first)
    assert not _logged_in(second)
    assert "schon benutzt" in response.content.decode()


def test_the_set_up_code_does_not_log_in(client, clock):
    person = _staff()
    secret, _codes = _with_two_factor(person, clock)
    _password_step(client, person)
    client.post(reverse("accounts:login_code"), {"code": totp.code_at(secret, clock.now)})
    assert not _logged_in(client)


def test_a_recovery_code_works_once(client, clock):
    person = _staff()
    _secret, codes = _with_two_factor(person, clock)
    _password_step(client, person)
    response = client.post(
        reverse("accounts:login_code"), {"code": " " + codes[3].upper() + " "}, follow=True
    )
    assert _logged_in(client)
    assert "Es bleiben noch 9" in response.content.decode()
    client.logout()
    _password_step(client, person)
    client.post(reverse("accounts:login_code"), {"code": codes[3]})
    assert not _logged_in(client)


def test_wrong_codes_lock_the_second_step(client, clock):
    person = _staff()
    secret, _codes = _with_two_factor(person, clock)
    per_account, _per_address = rate_limits("two_factor")
    _password_step(client, person)
    for n in range(per_account.limit):
        client.post(reverse("accounts:login_code"), {"code": f"{n:06d}"})
    clock.now += 30
    response = client.post(
        reverse("accounts:login_code"), {"code": totp.code_at(secret, clock.now)}
    )
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene" in response.content.decode()
    assert not _logged_in(client)


def test_the_code_step_expires(client, clock, monkeypatch):
    person = _staff()
    secret, _codes = _with_two_factor(person, clock)
    _password_step(client, person)
    session = client.session
    session["two_factor_pending"]["started"] -= 6 * 60
    session.save()
    clock.now += 30
    response = client.post(
        reverse("accounts:login_code"), {"code": totp.code_at(secret, clock.now)}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not _logged_in(client)


def test_the_code_step_needs_the_password_step(client):
    response = client.get(reverse("accounts:login_code"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_the_admin_asks_for_the_code_too(client, clock):
    admin = UserFactory(is_staff=True, is_superuser=True)
    secret, _codes = _with_two_factor(admin, clock)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    response = _password_step(client, admin, next_url="/admin/")
    assert response["Location"] == reverse("accounts:login_code")
    assert client.get(reverse("admin:index")).status_code == 302
    clock.now += 30
    response = client.post(
        reverse("accounts:login_code"), {"code": totp.code_at(secret, clock.now)}
    )
    assert response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


# -- turning it off, new recovery codes ------------------------------------------------------


def test_turning_it_off_needs_the_password(client, clock):
    person = _staff()
    _with_two_factor(person, clock)
    client.force_login(person)
    response = client.post(reverse("accounts:two_factor_off"), {"off-password": "falsch"})
    assert response.status_code == 400
    assert "Das Passwort stimmt nicht" in response.content.decode()
    assert TwoFactorDevice.objects.filter(user=person).exists()

    response = client.post(reverse("accounts:two_factor_off"), {"off-password": PASSWORD})
    assert response.status_code == 302
    assert not TwoFactorDevice.objects.filter(user=person).exists()
    assert not RecoveryCode.objects.filter(user=person).exists()
    client.logout()
    _password_step(client, person)
    assert _logged_in(client)


def test_new_recovery_codes_replace_the_old_ones(client, clock):
    person = _staff()
    _secret, old = _with_two_factor(person, clock)
    client.force_login(person)
    response = client.post(reverse("accounts:recovery_codes_new"), {"new-password": "falsch"})
    assert "Das Passwort stimmt nicht" in response.content.decode()
    response = client.post(reverse("accounts:recovery_codes_new"), {"new-password": PASSWORD})
    new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    client.logout()
    _password_step(client, person)
    client.post(reverse("accounts:login_code"), {"code": old[0]})
    assert not _logged_in(client)
    client.post(reverse("accounts:login_code"), {"code": new[0]})
    assert _logged_in(client)


def test_guessing_the_password_on_these_forms_locks_like_the_log_in(client, clock):
    person = _staff()
    _with_two_factor(person, clock)
    client.force_login(person)
    per_account, _per_address = rate_limits("login")
    for _ in range(per_account.limit):
        client.post(reverse("accounts:two_factor_off"), {"off-password": "falsch"})
    response = client.post(reverse("accounts:two_factor_off"), {"off-password": PASSWORD})
    assert response.status_code == 429
    assert TwoFactorDevice.objects.filter(user=person).exists()


# -- a municipality that requires it ---------------------------------------------------------


def test_a_town_can_require_it_of_its_staff(client, clock):
    town, other = MunicipalityFactory(), MunicipalityFactory()
    staff = _staff(town)
    staff.memberships.get().departments.add(DepartmentFactory(municipality=town))
    MembershipFactory(user=staff, municipality=other, role=Role.STAFF).departments.add(
        DepartmentFactory(municipality=other)
    )
    admin = _staff(town, role=Role.ADMIN)
    municipality_two_factor_set(actor=admin, municipality=town, required=True)
    town.refresh_from_db()
    assert town.require_two_factor

    staff.refresh_from_db()
    assert not rules.test_rule("projects.can_manage", staff, town)
    assert rules.test_rule("projects.can_manage", staff, other)

    client.force_login(staff)
    town_page = reverse("projects:municipality", args=[town.slug])
    response = client.get(town_page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    page = client.get(response["Location"]).content.decode()
    assert f"{town.name} verlangt für Verwaltung, Moderation und Admins" in page
    assert client.get(reverse("projects:municipality", args=[other.slug])).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302

    _with_two_factor(staff, clock)
    staff.refresh_from_db()
    assert rules.test_rule("projects.can_manage", staff, town)
    assert client.get(town_page).status_code == 200


def test_residents_of_such_a_town_are_not_asked(client):
    town = MunicipalityFactory(require_two_factor=True)
    resident = _staff(town, role=Role.RESIDENT)
    client.force_login(resident)
    assert client.get(reverse("projects:municipality", args=[town.slug])).status_code == 200


def test_only_the_towns_admins_set_the_requirement():
    town = MunicipalityFactory()
    with pytest.raises(PermissionDenied):
        municipality_two_factor_set(actor=_staff(town), municipality=town, required=True)
    town.refresh_from_db()
    assert not town.require_two_factor


def test_the_town_admin_sets_it_on_the_roles_page(client, clock):
    town = MunicipalityFactory()
    admin = _staff(town, role=Role.ADMIN)
    _with_two_factor(admin, clock)
    client.force_login(admin)
    html = client.get(reverse("roles:list", args=[town.slug])).content.decode()
    assert 'name="required"' in html
    response = client.post(reverse("roles:two_factor", args=[town.slug]), {"required": "on"})
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.require_two_factor
    assert AuditEntry.objects.filter(
        municipality=town, action="core.municipality_two_factor_set"
    ).exists()
