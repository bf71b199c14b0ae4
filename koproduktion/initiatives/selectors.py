"""Reads of initiatives: the town's list, one initiative with who is in, the open needs, the
administration's queue of requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from koproduktion.core.models import Membership, Municipality, Neighbourhood, Topic
from koproduktion.core.roles import Role

from .models import (
    Initiative,
    Initiator,
    Need,
    NeedKind,
    NeedOffer,
    OfferStatus,
    State,
    StateChange,
    Supporter,
)


@dataclass(frozen=True)
class InitiativeFilters:
    state: State | None = None
    neighbourhood: Neighbourhood | None = None
    topic: Topic | None = None


def _visible(user: Any) -> Q:
    """The query-side twin of ``initiatives.can_view``: public ones, and one's own drafts."""
    public = ~Q(state=State.DRAFT)
    if not getattr(user, "is_authenticated", False):
        return public
    return public | Q(initiators__user=user, initiators__accepted_at__isnull=False)


def initiative_list(
    *, municipality: Municipality, user: Any, filters: InitiativeFilters | None = None
) -> QuerySet[Initiative]:
    filters = filters or InitiativeFilters()
    initiatives = Initiative.objects.filter(_visible(user), municipality=municipality)
    if filters.state:
        initiatives = initiatives.filter(state=filters.state)
    if filters.neighbourhood:
        initiatives = initiatives.filter(neighbourhood=filters.neighbourhood)
    if filters.topic:
        initiatives = initiatives.filter(topic=filters.topic)
    return (
        initiatives.distinct()
        .select_related("neighbourhood", "topic", "organisation", "municipality")
        .order_by("-created_at", "-pk")
    )


def initiative_get(*, municipality: Municipality, user: Any, slug: str) -> Initiative:
    initiative = (
        initiative_list(municipality=municipality, user=user)
        .select_related("partner_department", "contact_person", "project", "created_by")
        .filter(slug=slug)
        .first()
    )
    if initiative is None:
        raise Http404
    initiative.municipality = municipality
    return initiative


def initiators_of(*, initiative: Initiative) -> list[Initiator]:
    """Everyone in and every open request to join, the starter first."""
    return list(Initiator.objects.filter(initiative=initiative).select_related("user"))


def is_supporter(*, initiative: Initiative, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Supporter.objects.filter(initiative=initiative, user=user).exists()


def history_of(*, initiative: Initiative) -> QuerySet[StateChange]:
    return StateChange.objects.filter(initiative=initiative).order_by("changed_at", "pk")


def needs_of(*, initiative: Initiative, user: Any) -> list[Need]:
    """The initiative's needs; each with ``offers_shown``: every offer for the initiators, and
    a person's own offers for them."""
    needs = list(Need.objects.filter(initiative=initiative).order_by("fulfilled_at", "pk"))
    if not getattr(user, "is_authenticated", False):
        for need in needs:
            need.offers_shown = []
        return needs
    from .rules import initiator_ids  # noqa: PLC0415 - one place that says who is in

    offers = NeedOffer.objects.filter(need__in=needs).select_related("user", "organisation")
    if user.pk not in initiator_ids(initiative):
        offers = offers.filter(user=user)
    by_need: dict[int, list[NeedOffer]] = {}
    for offer in offers.exclude(status=OfferStatus.WITHDRAWN).order_by("created_at", "pk"):
        by_need.setdefault(offer.need_id, []).append(offer)
    for need in needs:
        need.offers_shown = by_need.get(need.pk, [])
    return needs


def open_needs(
    *, municipality: Municipality | None = None, kind: NeedKind | None = None
) -> QuerySet[Need]:
    """Needs still open of initiatives that look for help, in public towns (the API) or one
    town (the page), newest first."""
    needs = Need.objects.filter(
        fulfilled_at__isnull=True,
        initiative__state__in=[State.COLLECTING, State.REQUESTED, State.ACCEPTED],
    )
    if municipality is not None:
        needs = needs.filter(municipality=municipality)
    else:
        needs = needs.filter(municipality__is_public=True)
    if kind:
        needs = needs.filter(kind=kind)
    return needs.select_related(
        "initiative", "initiative__municipality", "initiative__neighbourhood"
    ).order_by("-created_at", "-pk")


def public_initiatives(*, municipality: Municipality) -> QuerySet[Initiative]:
    """For the API: every initiative past its draft in a public town."""
    return (
        Initiative.objects.filter(municipality=municipality, municipality__is_public=True)
        .exclude(state=State.DRAFT)
        .select_related("municipality", "neighbourhood", "topic", "organisation", "project")
        .prefetch_related(
            Prefetch(
                "initiators",
                queryset=Initiator.objects.filter(accepted_at__isnull=False).select_related("user"),
                to_attr="members",
            )
        )
        .order_by("-created_at", "-pk")
    )


def review_queue(*, municipality: Municipality) -> QuerySet[Initiative]:
    """Initiatives waiting for a partner department, longest waiting first."""
    return (
        Initiative.objects.filter(municipality=municipality, state=State.REQUESTED)
        .select_related("neighbourhood", "topic", "organisation")
        .order_by("updated_at", "pk")
    )


def contact_choices(*, municipality: Municipality) -> list[tuple[int, str]]:
    """Staff of the town's departments, as "name (department)", for the named contact."""
    rows = (
        Membership.departments.through.objects.filter(
            membership__municipality=municipality, membership__role=Role.STAFF
        )
        .select_related("membership__user", "department")
        .order_by("department__name", "membership__user__public_name")
    )
    people: dict[int, tuple[str, list[str]]] = {}
    for row in rows:
        user = row.membership.user
        if user.is_active and user.deleted_at is None:
            people.setdefault(user.pk, (str(user), []))[1].append(row.department.name)
    labels = [(pk, f"{name} ({', '.join(names)})") for pk, (name, names) in people.items()]
    return sorted(labels, key=lambda item: item[1].lower())


def project_initiative(*, project: Any) -> Initiative | None:
    """The initiative a project came from, with its initiators."""
    return (
        Initiative.objects.filter(project=project)
        .prefetch_related(
            Prefetch(
                "initiators",
                queryset=Initiator.objects.filter(accepted_at__isnull=False).select_related("user"),
                to_attr="members",
            )
        )
        .select_related("municipality", "contact_person", "partner_department")
        .first()
    )
