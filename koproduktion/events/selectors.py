"""Reads of events: the town's list, one event, its registrations, a person's registrations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from koproduktion.core.models import Municipality, Neighbourhood
from koproduktion.core.selectors import represented_organisations
from koproduktion.ideas.models import Idea
from koproduktion.opinions.models import StatementVote
from koproduktion.projects.models import Project
from koproduktion.projects.rules import manages_all_projects
from koproduktion.projects.selectors import managed_projects

from .models import Event, EventKind, Registration, RegistrationStatus


def _visible(user: Any, municipality: Municipality) -> Q:
    """The query-side twin of ``events.can_view``: public events, and those one manages."""
    public = Q(is_published=True) & (Q(project__isnull=True) | Q(project__is_published=True))
    if not getattr(user, "is_authenticated", False):
        return public
    if manages_all_projects.test(user, municipality):
        return Q()
    return public | Q(project__in=managed_projects(municipality=municipality, user=user))


@dataclass(frozen=True)
class EventFilters:
    neighbourhood: Neighbourhood | None = None
    project: Project | None = None
    kind: EventKind | None = None


def event_list(
    *, municipality: Municipality, user: Any, filters: EventFilters | None = None
) -> QuerySet[Event]:
    filters = filters or EventFilters()
    events = Event.objects.filter(_visible(user, municipality), municipality=municipality)
    if filters.neighbourhood:
        events = events.filter(neighbourhood=filters.neighbourhood)
    if filters.project:
        events = events.filter(project=filters.project)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    return events.select_related("project", "neighbourhood", "municipality")


def upcoming_and_past(events: QuerySet[Event]) -> tuple[QuerySet[Event], QuerySet[Event]]:
    """Events not yet over, soonest first; and those over, latest first."""
    now = timezone.now()
    return (
        events.filter(ends_at__gt=now).order_by("starts_at", "pk"),
        events.filter(ends_at__lte=now).order_by("-starts_at", "-pk"),
    )


def event_get(*, municipality: Municipality, user: Any, pk: int) -> Event:
    event = (
        event_list(municipality=municipality, user=user)
        .select_related("department", "organisation")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404
    return event


def public_events(*, municipality: Municipality | None = None) -> QuerySet[Event]:
    """Published events of public towns (the API), of no project or of a published one."""
    events = Event.objects.filter(
        Q(project__isnull=True) | Q(project__is_published=True),
        is_published=True,
        municipality__is_public=True,
    )
    if municipality is not None:
        events = events.filter(municipality=municipality)
    return events.select_related("municipality", "project", "neighbourhood")


def project_events(*, project: Project) -> QuerySet[Event]:
    """The project's published events still to come, soonest first."""
    return Event.objects.filter(
        project=project, is_published=True, ends_at__gt=timezone.now()
    ).order_by("starts_at", "pk")


def registration_of(*, event: Event, user: Any) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(
            Q(user=user, organisation__isnull=True)
            | Q(organisation__in=represented_organisations(user=user).values("pk")),
            event=event,
        )
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )


def waiting_position(registration: Registration) -> int | None:
    """1 for the first on the waiting list; None for who is not waiting."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = Registration.objects.filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, pk__lt=registration.pk),
        event_id=registration.event_id,
        status=RegistrationStatus.WAITING,
    ).count()
    return ahead + 1


def registration_list(*, event: Event) -> QuerySet[Registration]:
    """Who registered or waits, in the order they came; for the organisers only."""
    return (
        Registration.objects.filter(event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user")
        .order_by("status", "created_at", "pk")
    )


def registrations_of(*, user: Any) -> QuerySet[Registration]:
    """A person's registrations and waiting-list places, and those of the organisations they
    represent now, events soonest first."""
    return (
        Registration.objects.filter(
            Q(user=user, organisation__isnull=True)
            | Q(organisation__in=represented_organisations(user=user).values("pk"))
        )
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("event", "event__municipality", "event__project", "organisation")
        .order_by("event__starts_at", "pk")
    )


def event_ideas(*, event: Event) -> QuerySet[Idea]:
    """Ideas recorded at the event and ideas linked in its minutes; hidden ones left out."""
    return (
        Idea.objects.filter(Q(source_event=event) | Q(discussed_at=event), hidden_at__isnull=True)
        .select_related("project", "project__municipality")
        .distinct()
        .order_by("created_at", "pk")
    )


def linkable_ideas(*, event: Event) -> QuerySet[Idea]:
    """What the minutes may link: ideas of the event's project, or of the town."""
    ideas = Idea.objects.filter(municipality_id=event.municipality_id, hidden_at__isnull=True)
    if event.project_id:
        ideas = ideas.filter(project_id=event.project_id)
    return ideas.order_by("-created_at", "-pk")


def on_site_prefix(event: Event) -> str:
    """The start of the external ids of the people who voted at ``event``'s tablet
    (``event-<id>-<n>``): the opinion map knows them by this id alone."""
    return f"event-{event.pk}-"


@dataclass(frozen=True)
class Collected:
    """What was gathered at an event: ideas recorded there, opinion-map votes cast at its
    tablet, sign-ups for tasks written down there (live ones)."""

    ideas: int
    votes: int
    signups: int

    @property
    def any(self) -> bool:
        return bool(self.ideas or self.votes or self.signups)


def event_collected(*, event: Event) -> Collected:
    """Three counts for the event's staff and its minutes."""
    if not event.project_id:
        return Collected(ideas=0, votes=0, signups=0)
    return Collected(
        ideas=Idea.objects.filter(source_event=event).count(),
        votes=StatementVote.objects.filter(
            project_id=event.project_id,
            participant__external_id__startswith=on_site_prefix(event),
        ).count(),
        signups=event.signups.filter(cancelled_at__isnull=True).count(),
    )
