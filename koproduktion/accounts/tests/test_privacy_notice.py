"""The privacy notice, its version on registration, and asking again when it changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.accounts.models import User
from koproduktion.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _operator(settings):
    settings.OPERATOR_NAME = "Stadt Musterstadt, Bürgerbüro"
    settings.OPERATOR_ADDRESS = ["Marktplatz 1", "12345 Musterstadt"]
    settings.OPERATOR_EMAIL = "datenschutz@musterstadt.example"
    settings.PRIVACY_NOTICE_VERSION = "2026-12-01"


def test_privacy_notice_names_the_operator_in_german_and_english(client):
    response = client.get("/datenschutz/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Datenschutzhinweise</h1>" in html
    assert "Stadt Musterstadt, Bürgerbüro" in html
    assert "datenschutz@musterstadt.example" in html
    assert "Fassung vom 2026-12-01" in html
    assert "Art. 9 Abs. 2 lit. a DSGVO" in html
    assert "365 Tage nach dem Ende eines Vorhabens" in html

    client.get(reverse("language", args=["en"]))
    english = client.get("/datenschutz/").content.decode()
    assert "<h1>Privacy notice</h1>" in english
    assert "Art. 9(2)(a) GDPR" in english
    assert "Version of 2026-12-01" in english


def test_every_page_links_the_notice_and_the_imprint(client):
    html = client.get(reverse("home")).content.decode()
    assert 'href="/datenschutz/"' in html
    assert 'href="/impressum/"' in html
    imprint = client.get("/impressum/").content.decode()
    assert "Marktplatz 1<br>12345 Musterstadt" in imprint


def test_registration_links_the_notice_and_stores_the_version_accepted(client):
    page = client.get(reverse("accounts:register")).content.decode()
    assert 'href="/datenschutz/"' in page
    client.post(
        reverse("accounts:register"),
        {
            "email": "neu@example.org",
            "public_name": "Neu im Ort",
            "password1": "Radweg-am-Fluss-2026",
            "password2": "Radweg-am-Fluss-2026",
            "accept_terms": "on",
        },
    )
    person = User.objects.get(email="neu@example.org")
    assert person.privacy_notice_version == "2026-12-01"
    assert person.privacy_notice_accepted_at is not None


def test_a_changed_notice_is_accepted_before_going_on(client):
    person = UserFactory(privacy_notice_version="2025-01-01")
    client.force_login(person)
    profile = reverse("accounts:profile")
    response = client.get(profile)
    consent = reverse("accounts:privacy_consent")
    assert response.status_code == 302
    assert response["Location"] == f"{consent}?next=%2Fkonto%2F"
    # Reading the notice, downloading the data or deleting the account stay possible.
    for open_page in ("/datenschutz/", reverse("accounts:data_export"), reverse("accounts:delete")):
        assert client.get(open_page).status_code == 200, open_page

    page = client.get(response["Location"]).content.decode()
    assert "haben sich geändert" in page
    refused = client.post(consent, {"next": profile})
    assert refused.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich" in refused.content.decode()

    accepted = client.post(consent, {"next": profile, "accept": "on"})
    assert accepted.status_code == 302
    assert accepted["Location"] == profile
    person.refresh_from_db()
    assert person.privacy_notice_version == "2026-12-01"
    assert client.get(profile).status_code == 200


def test_accounts_made_by_operators_are_not_interrupted(client):
    client.force_login(UserFactory(privacy_notice_version=""))
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_notice_names_every_cookie_the_site_sets():
    """Log in through the form, choose a language, read a page: every cookie that came back is
    named in the notice, in German and in English."""
    from django.test import Client  # noqa: PLC0415

    from koproduktion.core import db_router  # noqa: PLC0415

    client = Client(enforce_csrf_checks=True)
    UserFactory(email="ada@example.org", password="ein sicheres Passwort 1")
    client.get(reverse("accounts:login"))
    response = client.post(
        reverse("accounts:login"),
        {
            "username": "ada@example.org",
            "password": "ein sicheres Passwort 1",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302
    client.get(reverse("language", args=["en"]))
    client.get(reverse("home"))
    names = set(client.cookies)
    assert {"sessionid", "csrftoken", "language"} <= names
    # Set only where the database has read replicas (core/db_router.py), named all the same.
    names.add(db_router.COOKIE)

    english = client.get("/datenschutz/").content.decode()
    client.get(reverse("language", args=["de"]))
    german = client.get("/datenschutz/").content.decode()
    for name in names:
        assert f"<code>{name}</code>" in german, name
        assert f"<code>{name}</code>" in english, name
