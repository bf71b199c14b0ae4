"""Reads of municipalities and their parts.

Every read of tenant data takes the municipality, so one town's data never leaks into another's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from .db_router import read_connection
from .gazetteer import search_key
from .models import (
    AuditEntry,
    Department,
    Membership,
    Municipality,
    Neighbourhood,
    Organisation,
    Place,
    Topic,
)
from .roles import ADMINISTRATION_ROLES, Role
from .rules import municipality_ids_with_role


def administered_municipality_ids(user: Any) -> set[int] | None:
    """Ids of the municipalities ``user`` works for; ``None`` means all (platform admin)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    return municipality_ids_with_role(user, ADMINISTRATION_ROLES)


def visible_municipality_q(user: Any, *, via: str = "") -> Q:
    """The municipalities ``user`` may see: public ones and those they work for.

    ``via`` is the path to the municipality from the model queried (``"municipality__"``), so a
    query of a town's records can check the town in the same query.
    """
    ids = administered_municipality_ids(user)
    if ids is None:
        return Q()
    key = f"{via.removesuffix('__')}_id" if via else "pk"
    return Q(**{f"{via}is_public": True}) | Q(**{f"{key}__in": ids})


def municipality_list(*, user: Any) -> QuerySet[Municipality]:
    return Municipality.objects.filter(visible_municipality_q(user))


def municipality_get(*, slug: str, user: Any) -> Municipality:
    try:
        return municipality_list(user=user).get(slug=slug)
    except Municipality.DoesNotExist as missing:
        raise Http404 from missing


def municipality_content_version(*, municipality_slug: str, **_: Any) -> str | None:
    """The version of a public municipality's pages (its home, project list and neighbourhoods).

    The municipality's ``content_version`` (raised by the project services and every admin
    write), with its id, so that a town deleted and created again under the same slug starts
    afresh. One hand-written query on the unique slug: it is asked on every cached page view.
    None for a town the public may not see.
    """
    with read_connection(Municipality).cursor() as cursor:
        cursor.execute(
            f"SELECT id, content_version FROM {Municipality._meta.db_table} "  # noqa: S608 - name from the model
            "WHERE slug = %s AND is_public",
            [municipality_slug],
        )
        row = cursor.fetchone()
    return None if row is None else f"{row[0]}:{row[1]}"


def platform_content_version(**_: Any) -> str:
    """The version of the platform's home page, which lists the public municipalities.

    Changes when a town becomes public or hidden, is added or removed (the count and the sum of
    ids), or raises its own version (its name or description edited in the admin). One
    aggregate over the small table of municipalities.
    """
    with read_connection(Municipality).cursor() as cursor:
        table = Municipality._meta.db_table
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM(content_version), 0), COALESCE(SUM(id), 0) FROM {table} "  # noqa: S608 - name from the model
            "WHERE is_public"
        )
        row = cursor.fetchone()
    return ":".join(map(str, row))


def member_by_email(*, municipality: Municipality, email: str) -> Any:
    """The person holding a role in ``municipality`` under ``email``, or None: a town's staff find
    the people of their town, not every account of the platform."""
    return (
        get_user_model()
        .objects.filter(email=email.strip().lower())
        .filter(pk__in=Membership.objects.filter(municipality=municipality).values("user_id"))
        .first()
    )


def neighbourhood_list(*, municipality: Municipality) -> QuerySet[Neighbourhood]:
    return Neighbourhood.objects.filter(municipality=municipality)


def neighbourhood_get(*, municipality: Municipality, slug: str) -> Neighbourhood:
    try:
        return neighbourhood_list(municipality=municipality).get(slug=slug)
    except Neighbourhood.DoesNotExist as missing:
        raise Http404 from missing


def place_list(*, municipality: Municipality) -> QuerySet[Place]:
    return Place.objects.filter(municipality=municipality).select_related("neighbourhood")


def place_search(*, municipality: Municipality, text: str, limit: int = 10) -> list[Place]:
    """The town's places whose name contains ``text`` as a search compares names
    (``gazetteer.search_key``: "lindenstr. 12" finds "Lindenstraße"), those starting with it
    first, then by name; at most ``limit``."""
    key = search_key(text)
    if not key:
        return []
    starts = Case(
        When(search_name__startswith=key, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(
        place_list(municipality=municipality)
        .filter(search_name__contains=key)
        .order_by(starts, "name")[:limit]
    )


def department_list(*, municipality: Municipality) -> QuerySet[Department]:
    return Department.objects.filter(municipality=municipality)


def organisation_list(*, municipality: Municipality) -> QuerySet[Organisation]:
    """The town's confirmed organisations (one a resident proposed counts once confirmed)."""
    return Organisation.objects.filter(municipality=municipality, verified_at__isnull=False)


def represented_organisations(
    *, user: Any, municipality_id: int | None = None
) -> QuerySet[Organisation]:
    """The confirmed organisations ``user`` represents now (in one town, or in all).

    Who stops representing an organisation no longer acts for it: every service that acts for
    one asks this at the moment it acts.
    """
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    found = Organisation.objects.filter(
        verified_at__isnull=False,
        representatives__user=user,
        representatives__role=Role.ORGANISATION,
    )
    if municipality_id is not None:
        found = found.filter(municipality_id=municipality_id)
    return found.order_by("name", "pk")


def represents(*, user: Any, organisation: Organisation) -> bool:
    return represented_organisations(user=user).filter(pk=organisation.pk).exists()


def topic_list(*, municipality: Municipality) -> QuerySet[Topic]:
    return Topic.objects.filter(municipality=municipality)


def audit_log(
    *,
    municipality: Municipality,
    older_than: int | None = None,
    limit: int = 50,
    actor_id: int | None = None,
    action: str = "",
    target_type: str = "",
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> tuple[list[AuditEntry], bool]:
    """One page of the town's log, newest first, and whether older entries follow.

    Paged by key (entries older than ``older_than``), so a page deep in years of history costs
    what the first one costs; one query, on the index of the town's entries by id.
    """
    entries = AuditEntry.objects.filter(municipality=municipality).order_by("-id")
    if older_than is not None:
        entries = entries.filter(id__lt=older_than)
    if actor_id is not None:
        entries = entries.filter(actor_id=actor_id)
    if action:
        entries = entries.filter(action=action)
    if target_type:
        entries = entries.filter(target_type=target_type)
    if since is not None:
        entries = entries.filter(created_at__gte=since)
    if until is not None:
        entries = entries.filter(created_at__lt=until)
    page = list(entries[: limit + 1])
    return page[:limit], len(page) > limit


def audit_actors(*, municipality: Municipality) -> list[tuple[int, str]]:
    """The people who appear in the town's log, by name (for the filter), one row per person."""
    rows = (
        AuditEntry.objects.filter(municipality=municipality, actor__isnull=False)
        .order_by()
        .values_list("actor_id", "actor_name")
        .distinct()
    )
    names = dict(rows)  # a renamed person appears once, under one of their names
    return sorted(names.items(), key=lambda item: item[1].casefold())


def audit_target_types(*, municipality: Municipality) -> list[str]:
    """The kinds of records the town's log mentions (for the filter)."""
    return list(
        AuditEntry.objects.filter(municipality=municipality)
        .order_by("target_type")
        .values_list("target_type", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class Workspace:
    """A town's workspace in the header (an inbox, a queue): address, name, waiting items."""

    slug: str
    name: str
    count: int


def workspaces_with_counts(
    *, municipality_ids: set[int], waiting: QuerySet | tuple[QuerySet, ...]
) -> list[Workspace]:
    """The towns ``municipality_ids`` with a count each, in one query.

    ``waiting`` is a one-column subquery counting a town's waiting items (``OuterRef("pk")``
    names the town), or several whose counts add up; a town with none counts 0.
    """
    parts = waiting if isinstance(waiting, tuple) else (waiting,)
    count = sum(
        (Coalesce(Subquery(part), 0) for part in parts[1:]), Coalesce(Subquery(parts[0]), 0)
    )
    rows = (
        Municipality.objects.filter(pk__in=municipality_ids)
        .annotate(count=count)
        .order_by("name")
        .values_list("slug", "name", "count")
    )
    return [Workspace(slug=slug, name=name, count=count) for slug, name, count in rows]
