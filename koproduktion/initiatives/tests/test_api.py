"""Supporting an initiative through the API: once per person, while it collects support, with
the reason in JSON when refused."""

from __future__ import annotations

import pytest

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.initiatives.models import Supporter

from . import factories

pytestmark = pytest.mark.django_db


def _url(initiative) -> str:
    town = initiative.municipality.slug
    return f"/api/v1/municipalities/{town}/initiatives/{initiative.slug}/support"


def test_a_resident_supports_once_and_takes_it_back(client):
    initiative = factories.initiative()
    person = factories.resident(initiative.municipality)
    client.force_login(person)

    answer = client.post(_url(initiative))
    assert answer.status_code == 200
    assert answer.json() == {"initiative": initiative.slug, "supported": True, "support_count": 1}
    twice = client.post(_url(initiative))
    assert twice.status_code == 400
    assert "bereits" in twice.json()["detail"]

    taken_back = client.delete(_url(initiative))
    assert taken_back.json() == {
        "initiative": initiative.slug,
        "supported": False,
        "support_count": 0,
    }
    assert client.delete(_url(initiative)).status_code == 404


def test_who_may_not_support_is_refused_with_the_reason(client):
    initiative = factories.initiative()
    assert client.post(_url(initiative)).status_code == 401
    client.force_login(person_with_role(MunicipalityFactory(), Role.RESIDENT))
    outsider = client.post(_url(initiative))
    assert outsider.status_code == 403
    assert "aus der Kommune" in outsider.json()["detail"]
    draft = factories.initiative(initiative.municipality, publish=False)
    client.force_login(factories.resident(initiative.municipality))
    assert client.post(_url(draft)).status_code == 404
    assert not Supporter.objects.exists()
