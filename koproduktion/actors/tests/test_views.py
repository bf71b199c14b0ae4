"""The directory, profiles, proposing, the admins' queue and the API, as people meet them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.actors import services
from koproduktion.core.models import Organisation
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    person_with_role,
)
from koproduktion.initiatives.tests import factories as initiatives
from koproduktion.support.tests import factories as support

pytestmark = pytest.mark.django_db


def test_directory_lists_confirmed_organisations_and_filters(client):
    town = MunicipalityFactory()
    north = NeighbourhoodFactory(municipality=town)
    school = OrganisationFactory(municipality=town, name="Grundschule Nord", kind="school")
    school.neighbourhoods.add(north)
    OrganisationFactory(municipality=town, name="Sportverein")
    OrganisationFactory(municipality=town, name="Unbestätigt e.V.", verified_at=None)
    url = reverse("actors:directory", args=[town.slug])
    page = client.get(url).content.decode()
    assert "Grundschule Nord" in page
    assert "Sportverein" in page
    assert "Unbestätigt" not in page
    filtered = client.get(url, {"kind": "school", "neighbourhood": north.slug}).content.decode()
    assert "Grundschule Nord" in filtered
    assert "Sportverein" not in filtered


def test_unknown_filters_are_named_at_the_filter_not_a_server_error(client):
    town = MunicipalityFactory()
    response = client.get(
        reverse("actors:directory", args=[town.slug]),
        {"kind": "raumschiff", "neighbourhood": "atlantis", "topic": "x" * 300},
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_unconfirmed_profile_is_seen_by_its_proposer_and_admins_only(client):
    town = MunicipalityFactory()
    person = person_with_role(town, Role.RESIDENT)
    request = services.organisation_propose(
        actor=person, municipality=town, name="Neue Initiative", message="Gründerin."
    )
    url = reverse("actors:profile", args=[town.slug, request.organisation.slug])
    assert client.get(url).status_code == 404
    client.force_login(person_with_role(town, Role.RESIDENT))
    assert client.get(url).status_code == 404
    client.force_login(person)
    assert "noch nicht bestätigt" in client.get(url).content.decode().lower()
    client.force_login(person_with_role(town, Role.ADMIN))
    assert client.get(url).status_code == 200


def test_another_towns_organisation_is_not_found_here(client):
    town, other = MunicipalityFactory(), MunicipalityFactory()
    foreign = OrganisationFactory(municipality=other)
    assert client.get(reverse("actors:profile", args=[town.slug, foreign.slug])).status_code == 404
    assert client.get(reverse("actors:profile", args=[other.slug, foreign.slug])).status_code == 200


def test_a_taken_name_is_refused_at_the_field_and_what_was_typed_stays(client):
    town = MunicipalityFactory()
    OrganisationFactory(municipality=town, name="Bürgerverein Nordstadt")
    client.force_login(person_with_role(town, Role.RESIDENT))
    response = client.post(
        reverse("actors:propose", args=[town.slug]),
        {
            "name": "Buergerverein Nordstadt e.V.",
            "kind": "association",
            "description": "Mein Text bleibt.",
            "message": "Vorsitz.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "gibt es hier schon" in page
    assert "Mein Text bleibt." in page
    assert Organisation.objects.filter(municipality=town).count() == 1


def test_a_website_typed_without_its_scheme_is_kept_as_https(client):
    town = MunicipalityFactory()
    client.force_login(person_with_role(town, Role.RESIDENT))
    response = client.post(
        reverse("actors:propose", args=[town.slug]),
        {
            "name": "Repair-Café Weststadt",
            "kind": "initiative",
            "description": "Wir reparieren gemeinsam, was kaputt ist.",
            "website": "repaircafe-weststadt.example",
            "message": "Ich organisiere die Treffen.",
        },
    )
    assert response.status_code == 302
    proposed = Organisation.objects.get(municipality=town)
    assert proposed.website == "https://repaircafe-weststadt.example"


def test_admin_confirms_from_the_queue_and_declines_with_a_reason(client):
    town = MunicipalityFactory()
    person = person_with_role(town, Role.RESIDENT)
    first = services.organisation_propose(
        actor=person, municipality=town, name="Initiative Eins", message="Ich."
    )
    second = services.organisation_propose(
        actor=person, municipality=town, name="Initiative Zwei", message="Ich."
    )
    client.force_login(person)
    assert client.get(reverse("actors_queue:list", args=[town.slug])).status_code == 403
    client.force_login(person_with_role(town, Role.ADMIN))
    queue = client.get(reverse("actors_queue:list", args=[town.slug])).content.decode()
    assert "Initiative Eins" in queue
    assert "Initiative Zwei" in queue
    overview = client.get(reverse("townadmin:overview", args=[town.slug])).content.decode()
    assert "2 offene Anfragen" in overview
    decide = reverse("actors_queue:decide", args=[town.slug, first.pk])
    assert client.post(decide, {"action": "accept"}).status_code == 302
    refused = client.post(
        reverse("actors_queue:decide", args=[town.slug, second.pk]),
        {"action": "decline", "reason": ""},
    )
    assert refused.status_code == 400
    assert "Bitte begründen" in refused.content.decode()
    client.post(
        reverse("actors_queue:decide", args=[town.slug, second.pk]),
        {"action": "decline", "reason": "Gibt es nicht."},
    )
    assert list(Organisation.objects.filter(municipality=town).values_list("name", flat=True)) == [
        "Initiative Eins"
    ]


def test_api_lists_confirmed_organisations_only(client):
    town = MunicipalityFactory()
    OrganisationFactory(municipality=town, name="Sportverein", kind="association")
    OrganisationFactory(municipality=town, name="Heimlich", verified_at=None)
    listing = client.get(f"/api/v1/municipalities/{town.slug}/organisations")
    assert listing.status_code == 200
    names = [item["name"] for item in listing.json()["items"]]
    assert names == ["Sportverein"]
    slug = listing.json()["items"][0]["slug"]
    detail = client.get(f"/api/v1/municipalities/{town.slug}/organisations/{slug}")
    assert detail.status_code == 200
    assert detail.json()["commitments"] == []
    hidden = Organisation.objects.get(name="Heimlich")
    assert (
        client.get(f"/api/v1/municipalities/{town.slug}/organisations/{hidden.slug}").status_code
        == 404
    )
    bad = client.get(f"/api/v1/municipalities/{town.slug}/organisations", {"topic": "nirgends"})
    assert bad.status_code == 400
    assert "detail" in bad.json()


def test_profile_and_api_show_the_offers_it_provides_and_the_initiatives_in_its_name(client):
    town = initiatives.town()
    club = OrganisationFactory(municipality=town, name="Bürgerverein Nordstadt")
    other = OrganisationFactory(municipality=town, name="Sportverein")
    support.funding(town, title="Nachbarschaftsfonds", organisation=club)
    support.offer(town, title="Beratung im Rathaus")
    support.offer(town, title="Entwurf eines Angebots", organisation=club, state="draft")
    representative = MembershipFactory(municipality=town, role=Role.ORGANISATION, organisation=club)
    initiatives.initiative(
        town, actor=representative.user, title="Gemeinschaftsgarten", organisation=club
    )
    initiatives.initiative(
        town, actor=representative.user, title="Noch geheim", organisation=club, publish=False
    )
    initiatives.initiative(town, title="Garten ohne Verein")

    page = client.get(reverse("actors:profile", args=[town.slug, club.slug])).content.decode()
    assert "Nachbarschaftsfonds" in page
    assert "Gemeinschaftsgarten" in page
    for elsewhere in (
        "Beratung im Rathaus",
        "Entwurf eines Angebots",
        "Noch geheim",
        "Garten ohne",
    ):
        assert elsewhere not in page
    assert (
        "Noch keine Angebote"
        in client.get(reverse("actors:profile", args=[town.slug, other.slug])).content.decode()
    )

    detail = client.get(f"/api/v1/municipalities/{town.slug}/organisations/{club.slug}").json()
    assert [(o["title"], o["building_block"]) for o in detail["support_offers"]] == [
        ("Nachbarschaftsfonds", "funding")
    ]
    assert [(i["title"], i["state"]) for i in detail["initiatives"]] == [
        ("Gemeinschaftsgarten", "collecting")
    ]
