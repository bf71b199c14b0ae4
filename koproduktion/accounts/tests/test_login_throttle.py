"""Log-in throttling: repeated wrong passwords lock the account and the address for a while.

Every way in is covered: the log-in page, the admin's log-in and the API's bearer tokens.
"""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from koproduktion.accounts.services import api_token_create
from koproduktion.core.ratelimit import rate_limits
from koproduktion.core.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Zu viele fehlgeschlagene Anmeldeversuche"


def _log_in(client: Client, email: str, password: str, *, ip: str = "198.51.100.7"):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _account_limit() -> int:
    per_account, _per_address = rate_limits("login")
    return per_account.limit


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in(client):
    person = UserFactory(email="ziel@example.org")
    for _ in range(30):
        _log_in(client, person.email, "falsch-geraten")
    response = _log_in(client, person.email, PASSWORD)
    assert not _logged_in(client)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_the_lock_starts_after_the_allowed_failures_and_names_the_wait(client):
    person = UserFactory(email="ziel@example.org")
    for _ in range(_account_limit()):
        response = _log_in(client, person.email, "falsch-geraten")
        assert "E-Mail-Adresse oder Passwort stimmen nicht" in response.content.decode()
    response = _log_in(client, person.email, PASSWORD)
    html = response.content.decode()
    assert LOCKED in html
    assert "Minuten" in html
    assert not _logged_in(client)


def test_the_lock_is_per_account_from_any_address(client):
    person = UserFactory(email="ziel@example.org")
    for n in range(_account_limit()):
        _log_in(client, person.email, "falsch-geraten", ip=f"203.0.113.{n + 1}")
    _log_in(client, person.email, PASSWORD, ip="192.0.2.200")
    assert not _logged_in(client)
    # Another account from the same addresses is not affected.
    other = UserFactory(email="andere@example.org")
    _log_in(client, other.email, PASSWORD, ip="203.0.113.1")
    assert _logged_in(client)


def test_an_unknown_address_is_locked_with_the_same_words(client):
    UserFactory(email="gibt-es@example.org")
    answers = {}
    for email in ("gibt-es@example.org", "gibt-es-nicht@example.org"):
        for _ in range(_account_limit()):
            _log_in(client, email, "falsch-geraten", ip="192.0.2.1")
        response = _log_in(client, email, "falsch-geraten", ip="192.0.2.1")
        html = response.content.decode().replace(email, "…")
        answers[email] = (response.status_code, re.sub(r'value="[^"]{64}"', "", html))
    assert answers["gibt-es@example.org"] == answers["gibt-es-nicht@example.org"]
    assert LOCKED in answers["gibt-es-nicht@example.org"][1]


def test_success_resets_the_count(client):
    person = UserFactory(email="vertippt@example.org")
    for _round in range(3):
        for _ in range(_account_limit() - 1):
            _log_in(client, person.email, "falsch-geraten")
        _log_in(client, person.email, PASSWORD)
        assert _logged_in(client)
        client.logout()


def test_the_lock_ends_after_its_time(client, settings):
    # Counters expire by the cache's clock, so this takes real time: a lock of one second.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": ("2/1s", "30/15m")}
    person = UserFactory(email="geduldig@example.org")
    for _ in range(3):
        _log_in(client, person.email, "falsch-geraten")
    _log_in(client, person.email, PASSWORD)
    assert not _logged_in(client)
    time.sleep(1.1)
    _log_in(client, person.email, PASSWORD)
    assert _logged_in(client)


def test_an_address_trying_many_accounts_is_locked(client):
    _per_account, per_address = rate_limits("login")
    for n in range(per_address.limit):
        _log_in(client, f"geraten{n}@example.org", "falsch-geraten", ip="198.51.100.66")
    person = UserFactory(email="echt@example.org")
    response = _log_in(client, person.email, PASSWORD, ip="198.51.100.66")
    assert LOCKED in response.content.decode()
    assert not _logged_in(client)
    _log_in(client, person.email, PASSWORD, ip="198.51.100.67")
    assert _logged_in(client)


def test_the_admin_log_in_is_throttled_too(client):
    UserFactory(email="chef@example.org", is_staff=True, is_superuser=True)
    for _ in range(30):
        client.post(
            reverse("admin:login"),
            {"username": "chef@example.org", "password": "falsch-geraten"},
            REMOTE_ADDR="198.51.100.7",
        )
    client.post(
        reverse("admin:login"),
        {"username": "chef@example.org", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert not _logged_in(client)


def test_the_admin_log_in_is_the_sites_log_in(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/admin/"


def test_guessing_api_tokens_locks_the_address(client):
    person = UserFactory()
    _token, plain = api_token_create(user=person, name="Skript")
    _per_account, per_address = rate_limits("api_token")
    # An operation that needs a person: with a good key, the missing commitment is a 404.
    url = "/api/v1/commitments/999999"
    for n in range(per_address.limit):
        guess = "kp_" + f"{n:043d}"
        response = client.delete(url, HTTP_AUTHORIZATION=f"Bearer {guess}", REMOTE_ADDR="192.0.2.9")
        assert response.status_code == 401
    response = client.delete(url, HTTP_AUTHORIZATION=f"Bearer {plain}", REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Zu viele" in response.json()["detail"]
    response = client.delete(url, HTTP_AUTHORIZATION=f"Bearer {plain}", REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 404


# -- every other form that takes the password counts against the same lock -------------------


def test_guessing_the_password_on_the_deletion_form_locks_like_the_log_in(client):
    """Someone at an unattended, logged-in browser must not try passwords there unthrottled."""
    person = UserFactory(email="konto@example.org")
    client.force_login(person)
    for attempt in range(_account_limit()):
        client.post(reverse("accounts:delete"), {"password": f"geraten-{attempt}"})
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert 'type="password"' in response.content.decode()  # the form is still there
    person.refresh_from_db()
    assert person.deleted_at is None
    # The same lock as the log-in page's, for the same account.
    assert _log_in(Client(), person.email, PASSWORD, ip="203.0.113.9").status_code == 429


def test_the_right_password_on_the_deletion_form_forgets_earlier_failures(client):
    person = UserFactory(email="vertipper@example.org")
    for attempt in range(_account_limit() - 1):
        _log_in(Client(), person.email, f"vertippt-{attempt}")
    client.force_login(person)
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.deleted_at is not None


def test_the_admins_password_change_is_the_sites_and_checks_no_password(client):
    """Django's admin has a password change of its own that checked the old password without
    any lock; it sends to the site's way of changing it (by mail) instead."""
    person = UserFactory(email="verwaltung@example.org", is_staff=True, is_superuser=True)
    client.force_login(person)
    page = client.get("/admin/password_change/")
    assert page.status_code == 302
    assert page["Location"] == reverse("accounts:password_reset")
    for attempt in range(_account_limit() + 1):
        guess = client.post(
            "/admin/password_change/",
            {
                "old_password": f"geraten-{attempt}",
                "new_password1": "ein-neues-Passwort-99",
                "new_password2": "ein-neues-Passwort-99",
            },
        )
        assert guess.status_code == 302
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    assert client.get("/admin/password_change/done/").status_code == 302


def test_passwords_are_checked_in_one_place_only():
    """Every check of a password goes through ``accounts.authentication`` and its lock: a new
    form that called ``check_password`` or ``authenticate`` itself would let guesses through."""
    import ast  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    package = Path(__file__).resolve().parents[2]
    checks = []
    for path in package.rglob("*.py"):
        relative = path.relative_to(package).as_posix()
        if "/tests/" in relative or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.contrib.auth.forms":
                checks += [
                    (relative, alias.name)
                    for alias in node.names
                    if alias.name in {"PasswordChangeForm", "AuthenticationForm"}
                ]
            elif isinstance(node, ast.ImportFrom) and node.module == "django.contrib.auth":
                checks += [
                    (relative, alias.name) for alias in node.names if alias.name == "authenticate"
                ]
            elif isinstance(node, ast.Attribute) and node.attr == "check_password":
                checks.append((relative, "check_password"))
    assert sorted(checks) == [
        ("accounts/authentication.py", "authenticate"),
        ("accounts/authentication.py", "check_password"),
        # Subclassed by LoginForm, whose clean() calls login_authenticate instead.
        ("accounts/forms.py", "AuthenticationForm"),
    ]
