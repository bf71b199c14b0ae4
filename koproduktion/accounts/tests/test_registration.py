"""Register with a pseudonym, confirm the address, log in and out, reset the password."""

from __future__ import annotations

import re

import pytest
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
        email="vergeben@example.org",
        public_name="fritz",
        password2="etwas-anderes-123",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zu dieser E-Mail-Adresse gibt es schon ein Konto" in html
    assert "Dieser Name ist schon vergeben" in html
    assert "Die beiden Passwörter stimmen nicht überein" in html
    assert 'value="vergeben@example.org"' in html
    assert 'value="fritz"' in html
    assert User.objects.count() == 1
    assert mail.outbox == []


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
    response = client.get(_link_in(message), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Passwort gespeichert" in response.content.decode()
    assert client.login(username="vergesslich@example.org", password=NEW_PASSWORD)
    assert not client.login(username="vergesslich@example.org", password=PASSWORD)
