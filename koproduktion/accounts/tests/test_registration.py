"""Register with a pseudonym, confirm the address, log in and out, reset the password."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail, signing
from django.urls import reverse

from koproduktion.accounts.models import User
from koproduktion.accounts.tokens import confirmation_token
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import PASSWORD, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Radweg-am-Fluss-2026"


def _register(client, **overrides):
    data = {
        "email": "Lena@Example.org",
        "public_name": "Lena aus der Altstadt",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "accept_terms": "on",
        **overrides,
    }
    return client.post(reverse("accounts:register"), data)


def _link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def _set_password_by_link(client, message):
    """Follow the link in a mail to the new-password form and send it; return the answer."""
    response = client.get(_link_in(message), follow=True)
    return client.post(
        response.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )


def test_register_confirm_and_log_in(client, django_capture_on_commit_callbacks):
    town = MunicipalityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client, municipality=town.pk)
    assert response.status_code == 200
    assert "lena@example.org" in response.content.decode()

    user = User.objects.get(email="lena@example.org")
    assert not user.email_confirmed
    assert user.memberships.get().role == Role.RESIDENT
    (message,) = mail.outbox
    assert message.to == ["lena@example.org"]
    assert "bestätigen" in message.subject

    # Not yet confirmed: the login says why.
    response = client.post(
        reverse("accounts:login"), {"username": "lena@example.org", "password": NEW_PASSWORD}
    )
    assert "Bitte bestätigen Sie zuerst" in response.content.decode()

    response = client.get(_link_in(message), follow=True)
    assert "Ihre E-Mail-Adresse ist bestätigt" in response.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed

    response = client.post(
        reverse("accounts:login"), {"username": "LENA@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    html = client.get(reverse("accounts:profile")).content.decode()
    assert "Lena aus der Altstadt" in html
    assert town.name in html

    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_registration_errors_keep_what_was_typed(client):
    UserFactory(email="vergeben@example.org", public_name="Fritz")
    response = _register(
        client,
        email="neu@example.org",
        public_name="fritz",
        password2="etwas-anderes-123",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dieser Name ist schon vergeben" in html
    assert "Die beiden Passwörter stimmen nicht überein" in html
    assert 'value="neu@example.org"' in html
    assert 'value="fritz"' in html
    assert User.objects.count() == 1
    assert mail.outbox == []


def _answer(response, email: str) -> tuple[int, str]:
    # The page names the address typed; apart from it, both answers must be the same.
    html = response.content.decode().replace(email, "ADDRESS")
    return response.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_registering_a_taken_address_answers_as_for_a_new_one(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="vergeben@example.org", public_name="Fritz")
    with django_capture_on_commit_callbacks(execute=True):
        taken = _register(client, email="Vergeben@Example.org", public_name="Jemand anderes")
        new = _register(client, email="frei@example.org", public_name="Noch jemand")
    assert _answer(taken, "vergeben@example.org") == _answer(new, "frei@example.org")
    assert "Zu dieser E-Mail-Adresse gibt es schon ein Konto" not in taken.content.decode()
    assert User.objects.filter(email="vergeben@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.public_name == "Fritz"
    assert owner.check_password(PASSWORD)

    # The owner hears of it by mail, with a way back in.
    warning = next(m for m in mail.outbox if m.to == ["vergeben@example.org"])
    assert "registrieren" in warning.subject
    assert "Passwort" in warning.body
    response = _set_password_by_link(client, warning)
    assert "Passwort gespeichert" in response.content.decode()
    assert client.login(username="vergeben@example.org", password=NEW_PASSWORD)


class CountingHasher(MD5PasswordHasher):
    """The test suite's fast hasher, counting how often a password is hashed."""

    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


def test_both_answers_do_the_same_work(client, settings):
    """A taken address costs the same password hashing as a new one, so timing tells nothing."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    UserFactory(email="vergeben@example.org")
    counts = []
    for email, name in (("vergeben@example.org", "Erste"), ("frei@example.org", "Zweite")):
        CountingHasher.calls = 0
        _register(client, email=email, public_name=name)
        counts.append(CountingHasher.calls)
    assert counts[0] == counts[1] == 1


def test_password_reset_answers_alike_for_known_and_unknown_addresses(client):
    UserFactory(email="bekannt@example.org")
    known = client.post(reverse("accounts:password_reset"), {"email": "bekannt@example.org"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "fremd@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1


def test_a_password_reset_confirms_the_address(client):
    """The reset link proves the mailbox, so an unconfirmed owner can log in afterwards."""
    UserFactory(email="unbestaetigt@example.org", email_confirmed_at=None)
    client.post(reverse("accounts:password_reset"), {"email": "unbestaetigt@example.org"})
    (message,) = mail.outbox
    _set_password_by_link(client, message)
    response = client.post(
        reverse("accounts:login"),
        {"username": "unbestaetigt@example.org", "password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(email="unbestaetigt@example.org").email_confirmed


def test_the_confirmation_mail_greets_by_the_name_as_typed(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, public_name="Jo O'Brien & Co")
    (message,) = mail.outbox
    assert message.body.startswith("Hallo Jo O'Brien & Co,")


def test_a_failed_registration_sends_no_mail(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, password2="passt-nicht-zusammen")
    assert mail.outbox == []


def test_weak_password_and_missing_consent_are_explained(client):
    response = _register(client, password1="12345678", password2="12345678", accept_terms="")
    html = response.content.decode()
    assert "Dieses Passwort ist zu üblich" in html
    assert "Dieses Feld ist zwingend erforderlich" in html
    assert not User.objects.exists()


def test_confirmation_link_for_a_changed_address_does_not_work(client):
    user = UserFactory(email_confirmed_at=None)
    token = confirmation_token(user_id=user.pk, email="frueher@example.org")
    response = client.get(reverse("accounts:confirm", args=[token]))
    assert response.status_code == 400
    assert "ungültig" in response.content.decode()


def test_expired_confirmation_link_offers_a_new_one(client, settings):
    settings.EMAIL_CONFIRMATION_MAX_AGE = -1
    user = UserFactory(email_confirmed_at=None)
    response = client.get(
        reverse("accounts:confirm", args=[confirmation_token(user_id=user.pk, email=user.email)])
    )
    html = response.content.decode()
    assert "abgelaufen" in html
    assert reverse("accounts:resend_confirmation") in html


def test_tampered_link_is_refused(client):
    user = UserFactory(email_confirmed_at=None)
    token = confirmation_token(user_id=user.pk, email=user.email)
    assert client.get(reverse("accounts:confirm", args=[token[:-2] + "xx"])).status_code == 400
    with pytest.raises(signing.BadSignature):
        signing.loads(token[:-2] + "xx", salt="wrong")


def test_resend_does_not_reveal_who_has_an_account(client, django_capture_on_commit_callbacks):
    UserFactory(email="offen@example.org", email_confirmed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("accounts:resend_confirmation"), {"email": "offen@example.org"})
        unknown = client.post(reverse("accounts:resend_confirmation"), {"email": "wer@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert len(mail.outbox) == 1


def test_password_reset_by_mail(client):
    UserFactory(email="vergesslich@example.org")
    client.post(reverse("accounts:password_reset"), {"email": "vergesslich@example.org"})
    (message,) = mail.outbox
    assert message.subject == "Neues Passwort für Koproduktion"
    assert message.body.rstrip().endswith("Koproduktion")
    assert "testserver" not in message.subject
    response = _set_password_by_link(client, message)
    assert "Passwort gespeichert" in response.content.decode()
    assert client.login(username="vergesslich@example.org", password=NEW_PASSWORD)
    assert not client.login(username="vergesslich@example.org", password=PASSWORD)
