"""Reads of local actors: the directory, a profile and what the organisation does on the
platform, the town's queue of requests. Each list is one query (plus one per prefetch)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from koproduktion.core.models import Membership, Municipality, Neighbourhood, Organisation, Topic
from koproduktion.core.roles import Role
from koproduktion.events.models import Event, Registration, RegistrationStatus
from koproduktion.implementation.models import Commitment
from koproduktion.initiatives.models import Initiative
from koproduktion.initiatives.selectors import initiative_list
from koproduktion.projects.selectors import project_list
from koproduktion.sponsorships.models import Sponsorship, SponsorshipStatus
from koproduktion.support.models import SupportOffer
from koproduktion.support.selectors import offer_list

from .models import RepresentationRequest, RequestStatus

# How many of each kind of activity a profile shows.
SHOWN = 20


def directory(
    *,
    municipality: Municipality,
    kind: str | None = None,
    neighbourhood: Neighbourhood | None = None,
    topic: Topic | None = None,
) -> QuerySet[Organisation]:
    """The town's confirmed organisations, filtered, with their neighbourhoods and topics."""
    found = Organisation.objects.filter(municipality=municipality, verified_at__isnull=False)
    if kind:
        found = found.filter(kind=kind)
    if neighbourhood is not None:
        found = found.filter(neighbourhoods=neighbourhood)
    if topic is not None:
        found = found.filter(topics=topic)
    return found.prefetch_related(
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name")),
        Prefetch("topics", queryset=Topic.objects.order_by("name")),
    ).order_by("name", "pk")


def organisation_get(*, municipality: Municipality, slug: str, user: Any) -> Organisation:
    """An organisation of ``municipality`` the person may see; otherwise 404 (also another
    town's, and an unconfirmed one for anyone but its proposer and the administration)."""
    try:
        organisation = Organisation.objects.prefetch_related("neighbourhoods", "topics").get(
            municipality=municipality, slug=slug
        )
    except Organisation.DoesNotExist as missing:
        raise Http404 from missing
    if not rules.test_rule("actors.can_view", user, organisation):
        raise Http404
    organisation.municipality = municipality
    return organisation


@dataclass(frozen=True)
class Activity:
    """What an organisation does on the platform, as its profile shows it."""

    commitments: list[Commitment]
    sponsorships: list[Sponsorship]
    organised: list[Event]
    registrations: list[Registration]
    offers: list[SupportOffer]
    initiatives: list[Initiative]


def organisation_activity(*, organisation: Organisation, user: Any) -> Activity:
    """Tasks and shifts it committed to, its running sponsorships, events it organises and
    those it registered for, the support it offers in the town's catalogue and the initiatives
    started in its name; only in projects, events and initiatives the person may see."""
    municipality = organisation.municipality
    visible_projects = project_list(municipality=municipality, user=user).values("pk")
    commitments = (
        Commitment.objects.filter(
            organisation=organisation,
            cancelled_at__isnull=True,
            task__is_published=True,
            project__in=visible_projects,
        )
        .select_related("task", "shift", "project")
        .order_by(F("shift__starts_at").desc(nulls_last=True), F("task__date").desc(), "-pk")
    )[:SHOWN]
    sponsorships = (
        Sponsorship.objects.filter(organisation=organisation, status=SponsorshipStatus.APPROVED)
        .select_related("object")
        .order_by("-term_start", "-pk")
    )[:SHOWN]
    events = Event.objects.filter(municipality=municipality, is_published=True).filter(
        Q(project__isnull=True) | Q(project__in=visible_projects)
    )
    organised = events.filter(organisation=organisation).order_by("-starts_at", "-pk")[:SHOWN]
    registrations = (
        Registration.objects.filter(
            organisation=organisation,
            status=RegistrationStatus.REGISTERED,
            event__in=events.values("pk"),
        )
        .select_related("event")
        .order_by("-event__starts_at", "-pk")
    )[:SHOWN]
    offers = offer_list(municipality=municipality).filter(organisation=organisation)[:SHOWN]
    initiatives = initiative_list(municipality=municipality, user=user).filter(
        organisation=organisation
    )[:SHOWN]
    return Activity(
        commitments=list(commitments),
        sponsorships=list(sponsorships),
        organised=list(organised),
        registrations=list(registrations),
        offers=list(offers),
        initiatives=list(initiatives),
    )


def representatives_of(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation, role=Role.ORGANISATION)
        .select_related("user")
        .order_by("user__public_name", "pk")
    )


def pending_requests(*, municipality: Municipality) -> QuerySet[RepresentationRequest]:
    """The town's open requests, oldest first, for its admins' queue."""
    return (
        RepresentationRequest.objects.filter(
            municipality=municipality, status=RequestStatus.PENDING
        )
        .select_related("user", "organisation")
        .order_by("created_at", "pk")
    )


def pending_count(*, municipality: Municipality) -> int:
    return RepresentationRequest.objects.filter(
        municipality=municipality, status=RequestStatus.PENDING
    ).count()


def requests_of(*, user: Any, municipality: Municipality) -> QuerySet[RepresentationRequest]:
    """A person's requests in a town, newest first (open ones and the town's answers)."""
    if not getattr(user, "is_authenticated", False):
        return RepresentationRequest.objects.none()
    return (
        RepresentationRequest.objects.filter(user=user, municipality=municipality)
        .select_related("organisation")
        .order_by("-created_at", "-pk")
    )


def similar_names(*, request: RepresentationRequest) -> list[Organisation]:
    """Confirmed organisations whose name shares a word with a proposal's, so the admins see
    at a glance whether it imitates one (the service refuses the same name already)."""
    words = [word for word in request.name.split() if len(word) >= 5]
    if not words:
        return []
    query = Q()
    for word in words:
        query |= Q(name__icontains=word)
    return list(
        Organisation.objects.filter(
            municipality_id=request.municipality_id, verified_at__isnull=False
        )
        .filter(query)
        .exclude(pk=request.organisation_id)
        .order_by("name")[:5]
    )
