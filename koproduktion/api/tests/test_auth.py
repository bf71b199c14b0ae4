"""``session_or_token``: the session with its CSRF check, or a personal API token."""

from __future__ import annotations

import pytest
from django.test import Client

from koproduktion.accounts.services import api_token_create, api_token_revoke
from koproduktion.core.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("koproduktion.api.tests.urls")]

URL = "/api/test/whoami"


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_a_token_authenticates_its_person(client):
    person = UserFactory(public_name="Stadtteilbüro Nord")
    _token, plain = api_token_create(user=person, name="Skript")
    response = client.get(URL, **_bearer(plain))
    assert response.status_code == 200
    assert response.json() == {
        "public_name": "Stadtteilbüro Nord",
        "same_user": True,
        "token": "Skript",
    }


def test_a_token_needs_no_csrf_token():
    _token, plain = api_token_create(user=UserFactory(), name="Skript")
    response = Client(enforce_csrf_checks=True).post(
        URL, data={}, content_type="application/json", **_bearer(plain)
    )
    assert response.status_code == 200


def test_the_token_wins_over_a_session(client):
    client.force_login(UserFactory(public_name="Angemeldet"))
    _token, plain = api_token_create(user=UserFactory(public_name="Skriptperson"), name="S")
    assert client.get(URL, **_bearer(plain)).json()["public_name"] == "Skriptperson"


def test_a_session_authenticates_reads(client):
    client.force_login(UserFactory(public_name="Angemeldet"))
    body = client.get(URL).json()
    assert body == {"public_name": "Angemeldet", "same_user": True, "token": None}


def test_a_session_write_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post(URL, data={}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]

    # Django's form of the token: 32 letters or digits in the cookie, the same in the header.
    secret = "Koproduktion2026CsrfToken0123456"
    client.cookies["csrftoken"] = secret
    response = client.post(URL, data={}, content_type="application/json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 200


def _refusal(client, **headers):
    response = client.get(URL, **headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    return response.json()["detail"]


def test_without_credentials_the_answer_says_what_is_needed(client):
    assert "API-Schlüssel" in _refusal(client)


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("Bearer", "Format"),
        ("Bearer ", "Format"),
        ("Bearer kp_kurz", "Format"),
        ("Bearer " + "kp_" + "x" * 43, "unbekannt"),
        ("Bearer kp_" + "x" * 43 + " extra", "Format"),
        ("bearer kp_" + "x" * 43, "unbekannt"),  # the scheme is case-insensitive
        ("Basic dXNlcjpwYXNz", "Bearer"),
        ("Token abc", "Bearer"),
        ("Bearer kp_" + "\u00e4" * 43, "Format"),
    ],
)
def test_malformed_and_unknown_tokens_get_401_with_a_reason(client, header, reason):
    assert reason in _refusal(client, HTTP_AUTHORIZATION=header)


def test_a_revoked_token_gets_401(client):
    person = UserFactory()
    token, plain = api_token_create(user=person, name="Skript")
    api_token_revoke(user=person, token_id=token.pk)
    assert "widerrufen" in _refusal(client, **_bearer(plain))


def test_a_bad_token_is_not_rescued_by_a_session(client):
    client.force_login(UserFactory())
    assert "unbekannt" in _refusal(client, **_bearer("kp_" + "y" * 43))
