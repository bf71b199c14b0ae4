"""The support catalogue in the API, read-only: a town's offers (filters as on the page), one
offer, and the public projects and initiatives it supports.

Setting up offers and linking them stays on the site's pages: the forms say what each rule
means (deadlines, amounts only for funding)."""

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from koproduktion.api.filters import neighbourhood_or_400, topic_or_400
from koproduktion.api.pagination import PageNumbers
from koproduktion.core.models import Municipality

from .models import BuildingBlock, OfferState, SupportLink, SupportOffer
from .selectors import SupportFilters, links_of_offer, offer_list, with_places

router = Router(tags=["Unterstützung"])


class ContactOut(Schema):
    name: str = Field(alias="contact_name")
    email: str = Field(alias="contact_email")
    phone: str = Field(alias="contact_phone")
    url: str = Field(alias="contact_url")


class SupportOfferOut(Schema):
    id: int
    title: str
    building_block: BuildingBlock
    summary: str
    provider: str
    organisation: str | None = Field(None, description="Kurzname der Organisation.")
    department: str | None = Field(None, description="Name des zuständigen Fachbereichs.")
    target_group: str
    amount_min_cents: int | None = Field(description="Fördersumme ab, in Cent.")
    amount_max_cents: int | None = Field(description="Fördersumme bis, in Cent.")
    deadline: datetime.date | None = Field(description="Frist; null: laufend.")
    deadline_passed: bool
    neighbourhoods: list[str] = Field(description="Kurznamen; leer: die ganze Kommune.")
    topics: list[str]
    archived: bool
    url: str

    @staticmethod
    def resolve_organisation(offer: SupportOffer) -> str | None:
        return offer.organisation.slug if offer.organisation_id else None

    @staticmethod
    def resolve_department(offer: SupportOffer) -> str | None:
        return offer.department.name if offer.department_id else None

    @staticmethod
    def resolve_deadline_passed(offer: SupportOffer) -> bool:
        return offer.is_expired

    @staticmethod
    def resolve_neighbourhoods(offer: SupportOffer) -> list[str]:
        return [place.slug for place in offer.neighbourhoods.all()]

    @staticmethod
    def resolve_topics(offer: SupportOffer) -> list[str]:
        return [topic.slug for topic in offer.topics.all()]

    @staticmethod
    def resolve_archived(offer: SupportOffer) -> bool:
        return offer.is_archived

    @staticmethod
    def resolve_url(offer: SupportOffer) -> str:
        from .services import support_offer_url  # noqa: PLC0415 - URLs load after the API

        return support_offer_url(offer)


class SupportOfferDetailOut(SupportOfferOut):
    description: str = Field(description="Markdown.")
    eligibility: str
    contact: ContactOut

    @staticmethod
    def resolve_contact(offer: SupportOffer) -> SupportOffer:
        return offer


class SupportLinkOut(Schema):
    kind: str = Field(description="„project“ oder „initiative“.")
    slug: str
    title: str
    note: str
    linked_at: datetime.datetime

    @staticmethod
    def resolve_kind(link: SupportLink) -> str:
        return "project" if link.project_id else "initiative"

    @staticmethod
    def resolve_slug(link: SupportLink) -> str:
        return link.target.slug

    @staticmethod
    def resolve_title(link: SupportLink) -> str:
        return link.target.title


class SupportQuery(Schema):
    building_block: BuildingBlock | None = None
    neighbourhood: str | None = Field(
        None,
        max_length=80,
        description="Kurzname des Quartiers; Angebote der ganzen Kommune gehören dazu.",
    )
    topic: str | None = Field(None, max_length=80, description="Kurzname des Themas.")
    open_only: bool = Field(False, description="Nur Angebote, deren Frist noch läuft.")


def _town(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug, is_public=True)


def _offer(slug: str, support_offer_id: int) -> SupportOffer:
    offer = (
        SupportOffer.objects.filter(
            municipality=_town(slug),
            pk=support_offer_id,
            state__in=[OfferState.PUBLISHED, OfferState.ARCHIVED],
        )
        .select_related("municipality", "organisation", "department")
        .prefetch_related("neighbourhoods", "topics")
        .first()
    )
    if offer is None:
        raise Http404
    return offer


@router.get("/municipalities/{slug}/support-offers", response=list[SupportOfferOut])
@paginate(PageNumbers, page_size=50)
def list_support_offers(request: HttpRequest, slug: str, filters: Query[SupportQuery]):
    """The town's published offers, open deadlines first (nearest on top), then those without a
    deadline, then those whose deadline has passed. An unknown quartier or topic answers 400
    with the reason."""
    municipality = _town(slug)
    neighbourhood = neighbourhood_or_400(municipality, filters.neighbourhood)
    topic = topic_or_400(municipality, filters.topic)
    offers = offer_list(
        municipality=municipality,
        filters=SupportFilters(
            building_block=filters.building_block,
            neighbourhood=neighbourhood,
            topic=topic,
            open_only=filters.open_only,
        ),
    )
    return with_places(offers.select_related("municipality"))


@router.get(
    "/municipalities/{slug}/support-offers/{support_offer_id}", response=SupportOfferDetailOut
)
def get_support_offer(request: HttpRequest, slug: str, support_offer_id: int) -> SupportOffer:
    return _offer(slug, support_offer_id)


@router.get(
    "/municipalities/{slug}/support-offers/{support_offer_id}/links", response=list[SupportLinkOut]
)
def list_support_offer_links(request: HttpRequest, slug: str, support_offer_id: int) -> list:
    """The published projects and public initiatives the offer supports, latest link first."""
    return list(links_of_offer(offer=_offer(slug, support_offer_id))[:200])
