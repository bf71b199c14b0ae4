"""The secret of two-factor log-in is sealed in the database.

Whoever read the table (a backup, a copy of the database, a report run against it) had every
staff member's TOTP secret and so their second factor. Now the database holds it sealed with
AES-GCM under a key derived from SECRET_KEY, which it never holds; codes still work, also after
SECRET_KEY was rotated through SECRET_KEY_FALLBACKS, and a secret opened with an old key is
sealed again under the new one, so the old key can go.
"""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from koproduktion.accounts import totp, two_factor
from koproduktion.accounts.models import TwoFactorDevice
from koproduktion.accounts.tests.test_two_factor import _password_step, _staff
from koproduktion.core.tests.factories import PASSWORD
from koproduktion.core.tests.migrating import migrate, migrate_to_latest
from koproduktion.core.tests.test_ratelimit import Clock

OLD_KEY = "o" * 20 + "ld-key-of-the-installation-before-rotation"
NEW_KEY = "n" * 20 + "ew-key-of-the-installation-after-rotation"


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(two_factor, "_now", clock)
    return clock


def _stored_rows() -> list[tuple]:
    """Every column of every row of the devices' table, as someone reading the database sees it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {TwoFactorDevice._meta.db_table}")  # noqa: S608
        return cursor.fetchall()


def _shows(rows: list[tuple], secret: str) -> bool:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    for row in rows:
        for value in row:
            raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
            if secret.encode() in raw.upper() or key in raw or base64.b64encode(key) in raw:
                return True
    return False


def _enable(person, clock) -> str:
    secret = totp.new_secret()
    two_factor.two_factor_enable(
        user=person,
        secret=secret,
        code=totp.code_at(secret, clock.now),
        password=PASSWORD,
        ip="192.0.2.1",
    )
    return secret


def _verify(person, secret, clock) -> str:
    clock.now += 30
    return two_factor.two_factor_verify(
        user=person, code=totp.code_at(secret, clock.now), ip="192.0.2.1"
    )


@pytest.mark.django_db
def test_the_database_does_not_hold_the_secret_and_codes_still_log_in(client, clock):
    person = _staff()
    client.force_login(person)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    secret = page.split('id="two-factor-secret"', 1)[1].split(">", 1)[1].split("<", 1)[0]
    secret = secret.replace(" ", "")
    response = client.post(
        reverse("accounts:two_factor_on"),
        {"code": totp.code_at(secret, clock.now), "password": PASSWORD},
    )
    assert response.status_code == 200
    rows = _stored_rows()
    assert len(rows) == 1
    assert not _shows(rows, secret)

    client.logout()
    _password_step(client, person)
    clock.now += 30
    client.post(reverse("accounts:login_code"), {"code": totp.code_at(secret, clock.now)})
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_secret_being_set_up_is_not_kept_in_plain_text_in_the_session(client):
    person = _staff()
    client.force_login(person)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    secret = page.split('id="two-factor-secret"', 1)[1].split(">", 1)[1].split("<", 1)[0]
    secret = secret.replace(" ", "")
    stored = client.session.load()
    assert secret not in repr(stored)
    # The page shows the same secret again until it is confirmed.
    assert secret in client.get(reverse("accounts:two_factor")).content.decode().replace(" ", "")


@pytest.mark.django_db
def test_codes_work_after_a_key_rotation_and_the_secret_moves_to_the_new_key(settings, clock):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    person = _staff()
    secret = _enable(person, clock)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    assert _verify(person, secret, clock) == "app"
    assert not _shows(_stored_rows(), secret)

    # Sealed under the new key at that log-in: the old key can leave the fallbacks.
    settings.SECRET_KEY_FALLBACKS = []
    assert _verify(person, secret, clock) == "app"


@pytest.mark.django_db
def test_without_the_key_it_was_sealed_under_only_recovery_codes_help(settings, clock):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD_KEY, []
    person = _staff()
    secret = _enable(person, clock)
    settings.SECRET_KEY = NEW_KEY
    with pytest.raises(ValidationError):
        _verify(person, secret, clock)


@pytest.mark.django_db
def test_a_sealed_secret_copied_to_another_account_does_not_open_there(clock):
    victim, attacker = _staff(), _staff()
    victim_secret = _enable(victim, clock)
    _enable(attacker, clock)
    sealed = TwoFactorDevice.objects.get(user=victim).sealed_secret
    TwoFactorDevice.objects.filter(user=attacker).update(sealed_secret=sealed)
    with pytest.raises(ValidationError):
        _verify(attacker, victim_secret, clock)


@pytest.mark.django_db(transaction=True)
def test_secrets_stored_before_are_sealed_by_the_migration(clock):
    person = _staff()
    secret = totp.new_secret()
    old = migrate(("accounts", "0004_two_factor")).get_model("accounts", "TwoFactorDevice")
    try:
        old.objects.create(user_id=person.pk, secret=secret, last_used_step=0)
        migrate_to_latest()
        assert len(_stored_rows()) == 1
        assert not _shows(_stored_rows(), secret)
        assert _verify(person, secret, clock) == "app"
    finally:
        migrate_to_latest()
