"""Events in the API: a town's list (filters as on the page), one event, and registering for
it (a person logged in or with an API token; for an organisation its representative), through
the same service as the page: the waiting list, the capacity lock and the rate limit hold alike.
"""

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from koproduktion.api.auth import session_or_token
from koproduktion.api.filters import neighbourhood_or_400
from koproduktion.api.openapi import Detail
from koproduktion.api.pagination import PageNumbers
from koproduktion.core.models import Municipality, Organisation
from koproduktion.core.ratelimit import client_ip
from koproduktion.projects.models import Project

from . import services
from .models import MAX_PEOPLE, Event, EventKind, EventStatus, Registration, RegistrationStatus
from .selectors import public_events

router = Router(tags=["Veranstaltungen"])


class AccessibilityOut(Schema):
    step_free: bool
    hearing_loop: bool
    sign_language: bool = Field(description="Gebärdensprache auf Anfrage.")
    childcare: bool
    notes: str = Field(alias="accessibility")


class EventOut(Schema):
    id: int
    title: str
    kind: EventKind
    status: EventStatus
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: str
    address: str
    latitude: float | None
    longitude: float | None
    project: str | None = Field(None, description="Kurzname des Vorhabens.")
    neighbourhood: str | None = Field(None, description="Kurzname des Quartiers.")
    capacity: int | None = Field(description="Plätze; null ohne Platzbeschränkung.")
    places_left: int | None
    registration_until: datetime.datetime = Field(alias="registration_closes_at")
    organiser: str
    url: str

    @staticmethod
    def resolve_project(event: Event) -> str | None:
        return event.project.slug if event.project_id else None

    @staticmethod
    def resolve_neighbourhood(event: Event) -> str | None:
        return event.neighbourhood.slug if event.neighbourhood_id else None

    @staticmethod
    def resolve_url(event: Event) -> str:
        from .services import event_url  # noqa: PLC0415 - URLs load after the API

        return event_url(event)


class EventDetailOut(EventOut):
    description: str
    contact: str
    cancel_reason: str
    accessibility: AccessibilityOut
    minutes: str
    ideas: list[int]

    @staticmethod
    def resolve_accessibility(event: Event) -> Event:
        return event

    @staticmethod
    def resolve_ideas(event: Event) -> list[int]:
        from .selectors import event_ideas  # noqa: PLC0415

        return [idea.pk for idea in event_ideas(event=event)]


class EventQuery(Schema):
    neighbourhood: str | None = Field(None, max_length=80, description="Kurzname des Quartiers.")
    project: str | None = Field(None, max_length=80, description="Kurzname des Vorhabens.")
    kind: EventKind | None = None
    past: bool = Field(False, description="Vergangene statt kommende Veranstaltungen.")


def _town(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug, is_public=True)


@router.get("/municipalities/{slug}/events", response=list[EventOut])
@paginate(PageNumbers, page_size=50)
def list_events(request: HttpRequest, slug: str, filters: Query[EventQuery]):
    """Published events of the town: coming ones soonest first, or with ``past`` the latest
    past first. An unknown quartier or project answers 400 with the reason."""
    municipality = _town(slug)
    events = public_events(municipality=municipality)
    if filters.neighbourhood:
        events = events.filter(
            neighbourhood=neighbourhood_or_400(municipality, filters.neighbourhood)
        )
    if filters.project:
        project = Project.objects.filter(
            municipality=municipality, slug=filters.project, is_published=True
        ).first()
        if project is None:
            raise HttpError(400, _("Dieses Vorhaben gibt es hier nicht."))
        events = events.filter(project=project)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    now = timezone.now()
    if filters.past:
        return events.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
    return events.filter(ends_at__gt=now).order_by("starts_at", "pk")


@router.get("/municipalities/{slug}/events/{event_id}", response=EventDetailOut)
def get_event(request: HttpRequest, slug: str, event_id: int) -> Event:
    event = public_events(municipality=_town(slug)).filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


class RegistrationIn(Schema):
    people: int = Field(1, description=f"Wie viele kommen, 1 bis {MAX_PEOPLE}.")
    note: str = Field(
        "", max_length=500, description="Hinweis für das Team, z. B. zur Barrierefreiheit."
    )
    organisation: str | None = Field(
        None, max_length=80, description="Kurzname der Organisation, die man vertritt."
    )


class RegistrationOut(Schema):
    event: int = Field(alias="event_id")
    status: RegistrationStatus = Field(
        description="registered: einen Platz; waiting: auf der Warteliste; cancelled: abgemeldet."
    )
    people: int
    organisation: str | None = None

    @staticmethod
    def resolve_organisation(registration: Registration) -> str | None:
        return registration.organisation.slug if registration.organisation_id else None


def _event(slug: str, event_id: int) -> Event:
    event = public_events(municipality=_town(slug)).filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


def _organisation(event: Event, slug: str | None) -> Organisation | None:
    if not slug:
        return None
    organisation = Organisation.objects.filter(municipality=event.municipality, slug=slug).first()
    if organisation is None:
        raise HttpError(400, _("Diese Organisation gibt es hier nicht."))
    return organisation


@router.post(
    "/municipalities/{slug}/events/{event_id}/registration",
    auth=session_or_token,
    response={200: RegistrationOut, 400: Detail, 403: Detail, 404: Detail, 429: Detail},
)
def register(request: HttpRequest, slug: str, event_id: int, payload: RegistrationIn):
    """Register for the event, oneself or (as its representative) an organisation with the
    people it sends. A full event puts the registration on the waiting list (``status``);
    a place that frees up goes to the first on it whose party fits. The service's refusals
    answer 400 (per field in ``errors``) and 403 with their reason (``api.api``)."""
    event = _event(slug, event_id)
    return services.event_register(
        actor=request.user,
        event=event,
        people=payload.people,
        note=payload.note,
        ip=client_ip(request),
        organisation=_organisation(event, payload.organisation),
    )


@router.delete(
    "/municipalities/{slug}/events/{event_id}/registration",
    auth=session_or_token,
    response={200: RegistrationOut, 400: Detail, 403: Detail, 404: Detail},
)
def deregister(request: HttpRequest, slug: str, event_id: int, organisation: str | None = None):
    """Take back one's registration, or with ``organisation`` the organisation's; its place
    goes to the waiting list. 404 where there is none to take back."""
    event = _event(slug, event_id)
    represented = _organisation(event, organisation)
    mine = Registration.objects.filter(event=event).exclude(status=RegistrationStatus.CANCELLED)
    mine = (
        mine.filter(organisation=represented)
        if represented is not None
        else mine.filter(user=request.user, organisation__isnull=True)
    )
    registration = mine.first()
    if registration is None:
        raise HttpError(404, _("Hier gibt es keine Anmeldung zurückzunehmen."))
    return services.registration_cancel(actor=request.user, registration=registration)
