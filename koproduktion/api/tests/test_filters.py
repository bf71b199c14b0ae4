"""A neighbourhood or topic the town does not have is a 400 with the reason, in every list."""

from __future__ import annotations

import pytest

from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    NeighbourhoodFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

LISTS = ("organisations", "support-offers", "events", "initiatives", "participation")
WITH_TOPICS = ("organisations", "support-offers")


@pytest.mark.parametrize("path", LISTS)
def test_a_neighbourhood_of_another_town_is_named_unknown(client, path):
    town = MunicipalityFactory(is_public=True)
    elsewhere = NeighbourhoodFactory(municipality=MunicipalityFactory(is_public=True))
    url = f"/api/v1/municipalities/{town.slug}/{path}"

    response = client.get(url, {"neighbourhood": elsewhere.slug})

    assert response.status_code == 400
    assert response.json() == {"detail": "Dieses Quartier gibt es hier nicht."}
    own = NeighbourhoodFactory(municipality=town)
    assert client.get(url, {"neighbourhood": own.slug}).status_code == 200


@pytest.mark.parametrize("path", WITH_TOPICS)
def test_a_topic_of_another_town_is_named_unknown(client, path):
    town = MunicipalityFactory(is_public=True)
    elsewhere = TopicFactory(municipality=MunicipalityFactory(is_public=True))
    url = f"/api/v1/municipalities/{town.slug}/{path}"

    response = client.get(url, {"topic": elsewhere.slug})

    assert response.status_code == 400
    assert response.json() == {"detail": "Dieses Thema gibt es hier nicht."}
    assert client.get(url, {"topic": TopicFactory(municipality=town).slug}).status_code == 200
