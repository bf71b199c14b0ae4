"""Postal verification codes cannot be guessed: wrong codes lock the account and the address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.core.ratelimit import rate_limits
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import NeighbourhoodFactory, person_with_role
from koproduktion.decisions.models import Verification
from koproduktion.decisions.services import code_batch_create

pytestmark = pytest.mark.django_db


def _redeem(client, town, code, *, ip="198.51.100.7"):
    url = reverse("decisions:verification", args=[town.slug])
    return client.post(url, {"code": code}, REMOTE_ADDR=ip)


def test_guessing_codes_locks_the_account(client):
    north = NeighbourhoodFactory()
    town = north.municipality
    staff = person_with_role(town, Role.STAFF)
    _batch, codes = code_batch_create(actor=staff, municipality=town, count=2, neighbourhood=north)
    resident = person_with_role(town, Role.RESIDENT)
    client.force_login(resident)
    per_account, _per_address = rate_limits("verification_code")
    for n in range(per_account.limit):
        response = _redeem(client, town, f"AAAA-BBBB-{n:04d}", ip=f"203.0.113.{n + 1}")
        assert "kennen wir nicht" in response.content.decode()
    response = _redeem(client, town, codes[0], ip="192.0.2.1")
    assert response.status_code == 429
    assert "Zu viele" in response.content.decode()
    assert not Verification.objects.filter(user=resident).exists()

    neighbour = person_with_role(town, Role.RESIDENT)
    client.force_login(neighbour)
    _redeem(client, town, codes[0], ip="192.0.2.1")
    assert Verification.objects.filter(user=neighbour).exists()
