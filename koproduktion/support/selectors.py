"""Reads of the support catalogue: the town's offers with their filters, one offer, the offers a
person keeps, and the links between offers and projects or initiatives."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from koproduktion.core.models import Municipality, Neighbourhood, Topic
from koproduktion.core.rules import staff_departments
from koproduktion.initiatives.models import Initiative, State
from koproduktion.projects.models import Project
from koproduktion.projects.rules import manages_all_projects
from koproduktion.projects.selectors import managed_projects

from .models import BuildingBlock, OfferState, SupportLink, SupportOffer
from .rules import CLOSED_INITIATIVE_STATES


@dataclass(frozen=True)
class SupportFilters:
    building_block: BuildingBlock | None = None
    neighbourhood: Neighbourhood | None = None
    topic: Topic | None = None
    open_only: bool = False


def by_deadline(offers: QuerySet[SupportOffer], today: datetime.date) -> QuerySet[SupportOffer]:
    """Open deadlines first, the nearest on top; then the offers without a deadline
    ("laufend"); then those whose deadline has passed, the latest first."""
    return offers.annotate(
        deadline_group=Case(
            When(deadline__gte=today, then=0),
            When(deadline__isnull=True, then=1),
            default=2,
            output_field=IntegerField(),
        ),
        upcoming=Case(When(deadline__gte=today, then=F("deadline")), default=None),
    ).order_by("deadline_group", F("upcoming").asc(nulls_last=True), "-deadline", "title", "pk")


def offer_list(
    *, municipality: Municipality, filters: SupportFilters | None = None
) -> QuerySet[SupportOffer]:
    """The town's catalogue as everyone sees it: published offers, nearest deadline first."""
    filters = filters or SupportFilters()
    today = timezone.localdate()
    offers = SupportOffer.objects.filter(municipality=municipality, state=OfferState.PUBLISHED)
    if filters.building_block:
        offers = offers.filter(building_block=filters.building_block)
    if filters.neighbourhood:
        # An offer of no neighbourhood is one of the whole town, so it serves this one too.
        places = SupportOffer.neighbourhoods.through.objects.filter(supportoffer=OuterRef("pk"))
        offers = offers.filter(
            Exists(places.filter(neighbourhood=filters.neighbourhood)) | ~Exists(places)
        )
    if filters.topic:
        offers = offers.filter(
            Exists(
                SupportOffer.topics.through.objects.filter(
                    supportoffer=OuterRef("pk"), topic=filters.topic
                )
            )
        )
    if filters.open_only:
        offers = offers.filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
    return by_deadline(offers, today).select_related("organisation", "department")


def with_places(offers: QuerySet[SupportOffer]) -> QuerySet[SupportOffer]:
    """The offers with their neighbourhoods and topics, two queries for any number of offers."""
    return offers.prefetch_related("neighbourhoods", "topics")


def _managed(user: Any, municipality: Municipality) -> Q:
    """The query-side twin of ``support.can_manage``."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if manages_all_projects.test(user, municipality):
        return Q(pk__isnull=False)  # not Q(): an empty Q drops out of an OR
    return Q(department_id__in=list(staff_departments(user)))


def managed_offers(*, municipality: Municipality, user: Any) -> QuerySet[SupportOffer]:
    """The offers ``user`` keeps, drafts and archived ones included, nearest deadline first."""
    offers = SupportOffer.objects.filter(_managed(user, municipality), municipality=municipality)
    return by_deadline(offers, timezone.localdate()).select_related("organisation", "department")


def offers_found(*, municipality: Municipality, user: Any) -> QuerySet[SupportOffer]:
    """What the town's search finds: the published offers, and the drafts and archived ones for
    those who keep them."""
    return SupportOffer.objects.filter(
        Q(state=OfferState.PUBLISHED) | _managed(user, municipality), municipality=municipality
    )


def offer_get(*, municipality: Municipality, user: Any, pk: int) -> SupportOffer:
    """One offer: published or archived ones for everyone, drafts for those who keep them."""
    offer = (
        SupportOffer.objects.filter(
            Q(state__in=[OfferState.PUBLISHED, OfferState.ARCHIVED]) | _managed(user, municipality),
            municipality=municipality,
            pk=pk,
        )
        .select_related("organisation", "department")
        .first()
    )
    if offer is None:
        raise Http404
    offer.municipality = municipality
    return offer


def linkable_offers(*, municipality: Municipality) -> QuerySet[SupportOffer]:
    """What a project or an initiative may be linked to: the published catalogue. Offers whose
    deadline has passed are listed too, so that choosing one says why it cannot be linked."""
    return by_deadline(
        SupportOffer.objects.filter(municipality=municipality, state=OfferState.PUBLISHED),
        timezone.localdate(),
    )


def _public_links() -> Q:
    """Links to what everyone may see: published projects, initiatives past their draft."""
    return Q(project__is_published=True) | (
        Q(initiative__isnull=False) & ~Q(initiative__state=State.DRAFT)
    )


def links_of_offer(*, offer: SupportOffer) -> QuerySet[SupportLink]:
    """The public projects and initiatives the offer supports, latest link first."""
    return (
        SupportLink.objects.filter(_public_links(), offer=offer)
        .select_related("project", "initiative")
        .order_by("-linked_at", "-pk")
    )


def _offers_linked(links: QuerySet[SupportLink]) -> list[SupportLink]:
    return list(
        links.filter(offer__state__in=[OfferState.PUBLISHED, OfferState.ARCHIVED])
        .select_related("offer", "offer__organisation", "offer__department")
        .order_by("offer__state", "offer__deadline", "pk")
    )


def links_of_project(*, project: Project) -> list[SupportLink]:
    """The offers linked to ``project`` (published or archived), with the notes."""
    return _offers_linked(SupportLink.objects.filter(project=project))


def links_of_initiative(*, initiative: Initiative) -> list[SupportLink]:
    return _offers_linked(SupportLink.objects.filter(initiative=initiative))


def link_get(*, pk: int, project: Project | None = None, initiative: Initiative | None = None):
    """One link of ``project`` or ``initiative``; 404 for any other."""
    link = (
        SupportLink.objects.filter(pk=pk, project=project, initiative=initiative)
        .select_related("offer", "project", "initiative")
        .first()
    )
    if link is None:
        raise Http404
    return link


def link_targets(*, offer: SupportOffer, user: Any) -> dict[str, list]:
    """The projects and initiatives ``user`` may link ``offer`` to and has not yet, for the
    offer's page: at most a handful of each (who runs more goes by the project's own page)."""
    municipality = offer.municipality
    if not getattr(user, "is_authenticated", False):
        return {"projects": [], "initiatives": []}
    projects = list(managed_projects(municipality=municipality, user=user).order_by("title")[:10])
    initiatives = list(
        Initiative.objects.filter(
            municipality=municipality,
            initiators__user=user,
            initiators__accepted_at__isnull=False,
        )
        .exclude(state__in=CLOSED_INITIATIVE_STATES)
        .exclude(support_links__offer=offer)
        .order_by("title")[:10]
    )
    return {"projects": projects, "initiatives": initiatives}


def public_offers(*, municipality: Municipality) -> QuerySet[SupportOffer]:
    """Published offers of a public town (the API and the CSV export)."""
    if not municipality.is_public:
        return SupportOffer.objects.none()
    return offer_list(municipality=municipality)


def prefetch_links(offers: QuerySet[SupportOffer]) -> QuerySet[SupportOffer]:
    return offers.prefetch_related(
        Prefetch(
            "links",
            queryset=SupportLink.objects.filter(_public_links()).select_related(
                "project", "initiative"
            ),
            to_attr="public_links",
        )
    )
