"""Reads of sponsorships, always scoped to a municipality."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from koproduktion.core.selectors import represented_organisations

from .models import ObjectKind, Sponsorship, SponsorshipObject, SponsorshipStatus


def _running(today: Any) -> Q:
    return Q(status=SponsorshipStatus.APPROVED, term_start__lte=today, term_end__gte=today)


@dataclass(frozen=True)
class ObjectFilters:
    kind: ObjectKind | None = None
    # None: all; True: only free ones; False: only sponsored ones.
    available: bool | None = None


def _objects(*, municipality: Any) -> QuerySet[SponsorshipObject]:
    """All objects of the municipality, with ``is_sponsored`` and ``running`` (one prefetch)."""
    today = timezone.localdate()
    running = Sponsorship.objects.filter(_running(today))
    return (
        SponsorshipObject.objects.filter(municipality=municipality)
        .select_related("neighbourhood")
        .annotate(is_sponsored=Exists(running.filter(object=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "sponsorships",
                queryset=running.select_related("organisation", "sponsor"),
                to_attr="running",
            )
        )
        .order_by("name", "pk")
    )


def object_list(
    *, municipality: Any, filters: ObjectFilters | None = None
) -> QuerySet[SponsorshipObject]:
    """Objects in the register (objects taken off it are left out), for the map and the list."""
    filters = filters or ObjectFilters()
    objects = _objects(municipality=municipality).filter(is_active=True)
    if filters.kind:
        objects = objects.filter(kind=filters.kind)
    if filters.available is not None:
        objects = objects.filter(is_sponsored=not filters.available)
    return objects


def object_get(*, municipality: Any, pk: int) -> SponsorshipObject:
    """One object, also one taken off the register: its page then says so."""
    try:
        obj = _objects(municipality=municipality).get(pk=pk)
    except SponsorshipObject.DoesNotExist as missing:
        raise Http404 from missing
    obj.municipality = municipality
    return obj


def applications(*, municipality: Any) -> QuerySet[Sponsorship]:
    """Open applications, oldest first, for staff."""
    return (
        Sponsorship.objects.filter(municipality=municipality, status=SponsorshipStatus.APPLIED)
        .select_related("object", "sponsor", "organisation")
        .order_by("created_at", "pk")
    )


def agreements(*, municipality: Any) -> QuerySet[Sponsorship]:
    return (
        Sponsorship.objects.filter(municipality=municipality, status=SponsorshipStatus.APPROVED)
        .select_related("object", "sponsor", "organisation")
        .order_by("term_end", "pk")
    )


def open_sponsorships(*, obj: SponsorshipObject) -> QuerySet[Sponsorship]:
    """The agreements and applications of ``obj`` that are still open, for staff."""
    return (
        Sponsorship.objects.filter(
            object=obj, status__in=[SponsorshipStatus.APPROVED, SponsorshipStatus.APPLIED]
        )
        .select_related("sponsor", "organisation")
        .order_by("created_at", "pk")
    )


def sponsorship_get(*, municipality: Any, pk: int) -> Sponsorship:
    try:
        return (
            Sponsorship.objects.select_related("object", "object__municipality", "sponsor")
            .filter(municipality=municipality)
            .get(pk=pk)
        )
    except Sponsorship.DoesNotExist as missing:
        raise Http404 from missing


def sponsorships_of(*, user: Any) -> QuerySet[Sponsorship]:
    """A person's sponsorships and those of the organisations they represent now."""
    return (
        Sponsorship.objects.filter(
            Q(sponsor=user, organisation__isnull=True)
            | Q(organisation__in=represented_organisations(user=user).values("pk")),
            status__in=[SponsorshipStatus.APPLIED, SponsorshipStatus.APPROVED],
        )
        .select_related("object", "object__municipality", "organisation")
        .order_by("-created_at", "-pk")
    )
