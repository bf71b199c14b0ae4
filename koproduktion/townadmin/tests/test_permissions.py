"""Who opens the town's administration: its admins and platform admins. Everyone else is
refused, as on the other administration pages; an admin of one town reaches no record of
another, whatever id they put into the address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.core.models import Department, Neighbourhood, Organisation, Topic
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    TopicFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db

KINDS = {
    "neighbourhood": (NeighbourhoodFactory, Neighbourhood),
    "department": (DepartmentFactory, Department),
    "topic": (TopicFactory, Topic),
    "organisation": (OrganisationFactory, Organisation),
}


def pages(town, records) -> list[str]:
    """Every page of the town's administration, with a real record of each kind."""
    found = [reverse(f"townadmin:{name}", args=[town.slug]) for name in ("overview", "settings")]
    for kind, record in records.items():
        found += [
            reverse(f"townadmin:{kind}_list", args=[town.slug]),
            reverse(f"townadmin:{kind}_create", args=[town.slug]),
            reverse(f"townadmin:{kind}", args=[town.slug, record.pk]),
            reverse(f"townadmin:{kind}_delete", args=[town.slug, record.pk]),
        ]
    return found


@pytest.fixture
def town():
    return MunicipalityFactory(slug="lindenau")


@pytest.fixture
def records(town):
    return {kind: factory(municipality=town) for kind, (factory, _model) in KINDS.items()}


@pytest.mark.parametrize(
    "role",
    [
        Role.RESIDENT,
        Role.ORGANISATION,
        Role.STAFF,
        Role.COORDINATION,
        Role.MODERATOR,
        Role.COUNCIL,
        Role.CLERK,
    ],
)
def test_other_roles_of_the_town_are_refused(client, town, records, role):
    client.force_login(person_with_role(town, role))
    assert {client.get(page).status_code for page in pages(town, records)} == {403}


def test_visitors_are_sent_to_log_in(client, town, records):
    for page in pages(town, records):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_hidden_towns_administration_is_not_found_for_people_outside_it(client, records, town):
    town.is_public = False
    town.save()
    client.force_login(person_with_role(MunicipalityFactory(), Role.ADMIN))
    assert {client.get(page).status_code for page in pages(town, records)} == {404}


def test_the_towns_admins_and_platform_admins_open_every_page(client, town, records):
    for person in (person_with_role(town, Role.ADMIN), UserFactory(is_superuser=True)):
        client.force_login(person)
        assert {client.get(page).status_code for page in pages(town, records)} == {200}


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_admin_reaches_no_record_of_another_town_by_its_id(client, town, kind):
    factory, model = KINDS[kind]
    other = MunicipalityFactory(slug="nachbarort")
    theirs = factory(municipality=other, name="Fremd")
    client.force_login(person_with_role(town, Role.ADMIN))
    # Under the admin's own town the other town's id is simply not there …
    for name in (kind, f"{kind}_delete"):
        address = reverse(f"townadmin:{name}", args=[town.slug, theirs.pk])
        assert client.get(address).status_code == 404
        assert client.post(address, {"name": "Übernommen"}).status_code == 404
    # … and the other town's pages refuse them.
    for name in (kind, f"{kind}_delete"):
        address = reverse(f"townadmin:{name}", args=[other.slug, theirs.pk])
        assert client.post(address, {"name": "Übernommen"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.name == "Fremd"
    assert model.objects.filter(pk=theirs.pk).exists()
