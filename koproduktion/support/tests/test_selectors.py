"""The catalogue's reads: filters, the order by deadline, one town's offers only."""

from __future__ import annotations

import pytest
from django.http import Http404

from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    NeighbourhoodFactory,
    TopicFactory,
)
from koproduktion.initiatives.tests.factories import initiative
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.projects.tests.factories import staff_of as project_staff

from .. import services
from ..models import BuildingBlock, OfferState
from ..selectors import (
    SupportFilters,
    links_of_offer,
    managed_offers,
    offer_get,
    offer_list,
)
from .factories import DepartmentFactory, expire, funding, in_days, offer, staff_of

pytestmark = pytest.mark.django_db


def _titles(town, **filters) -> list[str]:
    return [o.title for o in offer_list(municipality=town, filters=SupportFilters(**filters))]


def test_nearest_deadline_first_then_ongoing_then_passed():
    town = MunicipalityFactory()
    funding(town, title="In 40 Tagen", deadline=in_days(40))
    offer(town, title="Laufend")
    funding(town, title="Morgen", deadline=in_days(1))
    expire(funding(town, title="Vor 10 Tagen"), days_ago=10)
    expire(funding(town, title="Gestern"), days_ago=1)
    funding(town, title="Heute", deadline=in_days(0))
    assert _titles(town) == [
        "Heute",
        "Morgen",
        "In 40 Tagen",
        "Laufend",
        "Gestern",
        "Vor 10 Tagen",
    ]


def test_open_deadlines_only_keeps_ongoing_offers_and_today():
    town = MunicipalityFactory()
    funding(town, title="Offen")
    funding(town, title="Heute", deadline=in_days(0))
    offer(town, title="Laufend")
    expire(funding(town, title="Vorbei"))
    assert _titles(town, open_only=True) == ["Heute", "Offen", "Laufend"]


def test_by_building_block():
    town = MunicipalityFactory()
    funding(town, title="Geld")
    offer(town, title="Rat", building_block=BuildingBlock.ADVICE)
    offer(town, title="Netz", building_block=BuildingBlock.NETWORKING)
    assert _titles(town, building_block=BuildingBlock.FUNDING) == ["Geld"]
    assert _titles(town, building_block=BuildingBlock.NETWORKING) == ["Netz"]


def test_a_neighbourhood_gets_its_own_offers_and_those_of_the_whole_town():
    town = MunicipalityFactory()
    north, south = (NeighbourhoodFactory(municipality=town) for _ in range(2))
    offer(town, title="Nord", neighbourhoods=[north])
    offer(town, title="Süd", neighbourhoods=[south])
    offer(town, title="Beide", neighbourhoods=[north, south])
    offer(town, title="Ganze Stadt")
    assert sorted(_titles(town, neighbourhood=north)) == ["Beide", "Ganze Stadt", "Nord"]


def test_by_topic():
    town = MunicipalityFactory()
    housing, mobility = TopicFactory(municipality=town), TopicFactory(municipality=town)
    offer(town, title="Wohnen", topics=[housing])
    offer(town, title="Beides", topics=[housing, mobility])
    offer(town, title="Ohne")
    assert sorted(_titles(town, topic=housing)) == ["Beides", "Wohnen"]


def test_drafts_and_archived_offers_stay_out_of_the_catalogue():
    town = MunicipalityFactory()
    offer(town, title="Entwurf", state=OfferState.DRAFT)
    archived = offer(town, title="Archiv")
    services.support_offer_archive(actor=archived.created_by, offer=archived)
    offer(town, title="Sichtbar")
    assert _titles(town) == ["Sichtbar"]


def test_one_towns_offers_only_and_a_cross_town_id_is_not_found():
    here, there = MunicipalityFactory(), MunicipalityFactory()
    offer(here, title="Hier")
    elsewhere = offer(there, title="Dort", state=OfferState.DRAFT)
    assert _titles(here) == ["Hier"]
    keeper = elsewhere.created_by  # the other town's coordination
    assert offer_get(municipality=there, user=keeper, pk=elsewhere.pk) == elsewhere
    with pytest.raises(Http404):
        offer_get(municipality=here, user=keeper, pk=elsewhere.pk)
    assert not managed_offers(municipality=here, user=keeper).exists()


def test_staff_keep_their_departments_offers_drafts_included():
    town = MunicipalityFactory()
    own, other = DepartmentFactory(municipality=town), DepartmentFactory(municipality=town)
    offer(town, title="Unser Entwurf", department=own, state=OfferState.DRAFT)
    offer(town, title="Fremd", department=other)
    person = staff_of(own)
    assert [o.title for o in managed_offers(municipality=town, user=person)] == ["Unser Entwurf"]


def test_an_offer_lists_public_projects_and_initiatives_only():
    made = funding()
    town = made.municipality
    shown = ProjectFactory(municipality=town, title="Öffentlich")
    hidden = ProjectFactory(municipality=town, title="Entwurf", is_published=False)
    for project in (shown, hidden):
        services.support_link_create(actor=project_staff(project), offer=made, project=project)
    public = initiative(town, title="Öffentliche Initiative")
    draft = initiative(town, title="Entwurf einer Initiative", publish=False)
    for target in (public, draft):
        services.support_link_create(actor=target.created_by, offer=made, initiative=target)
    assert sorted(str(link.target) for link in links_of_offer(offer=made)) == [
        "Öffentlich",
        "Öffentliche Initiative",
    ]
