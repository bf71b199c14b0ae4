"""Personal API tokens: creating, revoking, authenticating; the page under Mein Konto."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koproduktion.accounts.models import ApiToken
from koproduktion.accounts.services import (
    API_TOKENS_PER_PERSON,
    ApiTokenRejected,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from koproduktion.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# -- services --------------------------------------------------------------------------------


def test_create_stores_only_the_hash_and_a_prefix():
    person = UserFactory()
    token, plain = api_token_create(user=person, name="  Auswertung  ")
    assert re.fullmatch(r"kp_[A-Za-z0-9_-]{43}", plain)
    assert token.name == "Auswertung"
    assert token.prefix == plain[:11]
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    stored = ApiToken.objects.values().get(pk=token.pk)
    assert plain not in {str(value) for value in stored.values()}
    assert token.is_active
    assert token.last_used_at is None


def test_every_token_is_different():
    person = UserFactory()
    plains = {api_token_create(user=person, name=f"k{n}")[1] for n in range(5)}
    assert len(plains) == 5


def test_a_token_needs_a_name():
    with pytest.raises(ValidationError, match="Bezeichnung"):
        api_token_create(user=UserFactory(), name="   ")
    assert not ApiToken.objects.exists()


def test_a_person_has_a_bounded_number_of_active_tokens():
    person = UserFactory()
    tokens = [api_token_create(user=person, name=f"k{n}")[0] for n in range(API_TOKENS_PER_PERSON)]
    with pytest.raises(ValidationError, match="aktive Schlüssel"):
        api_token_create(user=person, name="einer zu viel")
    api_token_revoke(user=person, token_id=tokens[0].pk)
    api_token_create(user=person, name="wieder Platz")


def test_authenticate_finds_the_token_and_its_person():
    person = UserFactory()
    token, plain = api_token_create(user=person, name="Skript")
    found = api_token_authenticate(plain_token=plain)
    assert found == token
    assert found.user == person
    assert found.last_used_at is not None


def test_use_is_recorded_at_most_once_a_minute(django_assert_num_queries):
    token, plain = api_token_create(user=UserFactory(), name="Skript")
    with django_assert_num_queries(2):  # look up, record the first use
        first = api_token_authenticate(plain_token=plain).last_used_at
    with django_assert_num_queries(1):  # look up only
        api_token_authenticate(plain_token=plain)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert api_token_authenticate(plain_token=plain).last_used_at > first - timedelta(seconds=1)
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(seconds=5)


@pytest.mark.parametrize(
    ("plain", "reason"),
    [
        ("", "Format"),
        ("geheim", "Format"),
        ("kp_" + "a" * 42, "Format"),
        ("kp_" + "a" * 42 + "ä", "Format"),
        ("kp_" + "a" * 43, "unbekannt"),
    ],
)
def test_malformed_and_unknown_tokens_are_rejected(plain, reason):
    api_token_create(user=UserFactory(), name="Skript")
    with pytest.raises(ApiTokenRejected, match=reason):
        api_token_authenticate(plain_token=plain)


def test_a_token_with_a_known_prefix_but_wrong_rest_is_unknown():
    _token, plain = api_token_create(user=UserFactory(), name="Skript")
    forged = plain[:11] + ("A" if plain[11] != "A" else "B") + plain[12:]
    with pytest.raises(ApiTokenRejected, match="unbekannt"):
        api_token_authenticate(plain_token=forged)


def test_a_revoked_token_is_rejected_and_revoking_twice_keeps_the_date():
    person = UserFactory()
    token, plain = api_token_create(user=person, name="Skript")
    revoked_at = api_token_revoke(user=person, token_id=token.pk).revoked_at
    assert api_token_revoke(user=person, token_id=token.pk).revoked_at == revoked_at
    with pytest.raises(ApiTokenRejected, match="widerrufen"):
        api_token_authenticate(plain_token=plain)


def test_a_blocked_persons_token_is_rejected():
    person = UserFactory()
    _token, plain = api_token_create(user=person, name="Skript")
    person.is_active = False
    person.save()
    with pytest.raises(ApiTokenRejected, match="gesperrt"):
        api_token_authenticate(plain_token=plain)


def test_nobody_revokes_someone_elses_token():
    token, _plain = api_token_create(user=UserFactory(), name="Skript")
    with pytest.raises(ApiToken.DoesNotExist):
        api_token_revoke(user=UserFactory(), token_id=token.pk)
    token.refresh_from_db()
    assert token.is_active


# -- the page --------------------------------------------------------------------------------


def test_the_page_needs_a_login(client):
    response = client.get(reverse("accounts:api_tokens"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_profile_links_to_the_page(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:profile"))
    assert reverse("accounts:api_tokens") in response.content.decode()


def test_create_shows_the_token_once(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("accounts:api_tokens"), {"name": "Stadtteilbüro"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    plain = re.search(r'<code id="new-token">(kp_[^<]+)</code>', html).group(1)
    assert api_token_authenticate(plain_token=plain).user == person
    assert "nur dieses eine Mal angezeigt" in html

    html = client.get(reverse("accounts:api_tokens")).content.decode()
    assert plain not in html
    assert "Stadtteilbüro" in html
    assert plain[:11] in html


def test_a_nameless_token_is_explained(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:api_tokens"), {"name": ""})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_from_the_page(client):
    person = UserFactory()
    token, plain = api_token_create(user=person, name="Altes Skript")
    client.force_login(person)
    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]), follow=True)
    html = response.content.decode()
    assert "ist widerrufen" in html
    assert "widerrufen am" in html
    with pytest.raises(ApiTokenRejected):
        api_token_authenticate(plain_token=plain)


def test_revoke_is_post_only_and_only_for_ones_own_tokens(client):
    token, _plain = api_token_create(user=UserFactory(), name="Fremd")
    client.force_login(UserFactory())
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_the_list_shows_only_ones_own_tokens(client, django_assert_max_num_queries):
    person = UserFactory()
    for n in range(3):
        api_token_create(user=person, name=f"Mein Schlüssel {n}")
    api_token_create(user=UserFactory(), name="Fremder Schlüssel")
    client.force_login(person)
    with django_assert_max_num_queries(8):
        html = client.get(reverse("accounts:api_tokens")).content.decode()
    assert html.count('<th scope="row">Mein Schlüssel') == 3
    assert "Fremder Schlüssel" not in html
