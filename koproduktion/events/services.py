"""Writes of events: set up, change, cancel; register, deregister, the waiting list; minutes.

Every change of who has a place happens under the event's row lock (SELECT … FOR UPDATE), so
two people taking the last place at once queue up on it: one gets the place, the other the
waiting list. ``Event.taken`` (the people confirmed) is kept under that lock, and a check
constraint refuses an overbooking even so.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.models import Municipality, Organisation
from koproduktion.core.permissions import require
from koproduktion.core.ratelimit import check_rate
from koproduktion.core.selectors import represents
from koproduktion.ideas.models import Idea
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import notify
from koproduktion.projects.rules import is_participant
from koproduktion.projects.services import project_content_changed

from .models import MAX_PEOPLE, Event, EventStatus, Registration, RegistrationStatus
from .rules import can_view

MANAGE_REFUSAL = gettext_lazy(
    "Veranstaltungen eines Vorhabens legen die an, die das Vorhaben verwalten; Veranstaltungen "
    "der ganzen Kommune die Koordination."
)
# What staff set on the event form; ``event_update`` compares these before and after.
EVENT_FIELDS = (
    "project",
    "neighbourhood",
    "title",
    "description",
    "kind",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "latitude",
    "longitude",
    "step_free",
    "hearing_loop",
    "sign_language",
    "childcare",
    "accessibility",
    "capacity",
    "registration_until",
    "department",
    "organisation",
    "contact",
    "is_published",
)


def event_url(event: Event) -> str:
    return reverse("events:detail", args=[event.municipality.slug, event.pk])


def _check(event: Event) -> None:
    """The rules of an event's own fields, each named at its field."""
    errors: dict[str, str] = {}
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = _("Das Ende muss nach dem Beginn liegen.")
    if event.registration_until and event.starts_at and event.registration_until > event.starts_at:
        errors["registration_until"] = _("Die Anmeldung muss spätestens zum Beginn schließen.")
    if (event.latitude is None) != (event.longitude is None):
        errors["latitude"] = _(
            "Bitte geben Sie Breiten- und Längengrad an – oder keinen von beiden."
        )
    elif event.latitude is not None and not event.municipality.contains(
        event.latitude, event.longitude
    ):
        errors["latitude"] = _("Dieser Ort liegt außerhalb von %(name)s.") % {
            "name": event.municipality.name
        }
    if event.capacity is not None and event.capacity < event.taken:
        errors["capacity"] = _(
            "Es sind schon %(taken)d Personen angemeldet. Weniger Plätze gehen nicht; bitte sagen "
            "Sie einzelnen Personen ab oder lassen Sie die Zahl."
        ) % {"taken": event.taken}
    if errors:
        raise ValidationError(errors)
    event.full_clean()


def _require_manage(actor: Any, event: Event) -> None:
    require("events.can_manage", actor, event, str(MANAGE_REFUSAL))


def _changed(event: Event) -> None:
    if event.project_id:
        project_content_changed(project_id=event.project_id)


@transaction.atomic
@audited(gettext_lazy("Veranstaltung angelegt"), fields=EVENT_FIELDS)
def event_create(*, actor: Any, municipality: Municipality, **fields: Any) -> Event:
    """A new event in ``municipality``; ``fields`` are those of ``EVENT_FIELDS``."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    event = Event(municipality=municipality, **fields)
    _require_manage(actor, event)
    _check(event)
    event.save()
    _changed(event)
    return event


@transaction.atomic
@audited(gettext_lazy("Veranstaltung geändert"), target="event", fields=EVENT_FIELDS)
def event_update(*, actor: Any, event: Event, **fields: Any) -> Event:
    """Change an event. More places move people up from the waiting list; fewer than are
    confirmed are refused at the field."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _require_manage(actor, event)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    old_project_id = locked.project_id
    for name, value in fields.items():
        setattr(locked, name, value)
    _require_manage(actor, locked)  # also for the project it moves to
    if locked.is_cancelled:
        raise ValidationError(_("Die Veranstaltung ist abgesagt und lässt sich nicht mehr ändern."))
    _check(locked)
    locked.save()
    _promote(locked)
    _changed(locked)
    if old_project_id and old_project_id != locked.project_id:
        project_content_changed(project_id=old_project_id)
    event.refresh_from_db()
    return locked


@transaction.atomic
@audited(gettext_lazy("Veranstaltung abgesagt"), target="event", fields=["status", "cancel_reason"])
def event_cancel(*, actor: Any, event: Event, reason: str) -> Event:
    """Call the event off, with a public reason; everyone registered or waiting is told."""
    _require_manage(actor, event)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.is_cancelled:
        raise ValidationError(_("Die Veranstaltung ist schon abgesagt."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Bitte sagen Sie, warum die Veranstaltung ausfällt.")})
    locked.status = EventStatus.CANCELLED
    locked.cancel_reason = reason
    locked.save(update_fields=["status", "cancel_reason"])
    told = list(
        Registration.objects.filter(event=locked)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("user_id", flat=True)
    )
    title, when = locked.title, locked.starts_at
    notify(
        user_ids=told,
        municipality_id=locked.municipality_id,
        kind=Kind.EVENT,
        message=lambda: (
            _("Abgesagt: „%(title)s“ am %(date)s. %(reason)s")
            % {"title": title, "date": _date(when), "reason": reason}
        ),
        url=event_url(locked),
        exclude=[actor.pk],
    )
    _changed(locked)
    event.refresh_from_db()
    return locked


def _date(moment: datetime.datetime) -> str:
    from django.utils.formats import date_format  # noqa: PLC0415 - in the reader's language

    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _check_people(event: Event, people: int) -> None:
    if not 1 <= people <= MAX_PEOPLE:
        raise ValidationError(
            {
                "people": _("Bitte geben Sie zwischen 1 und %(max)d Personen an.")
                % {"max": MAX_PEOPLE}
            }
        )
    if event.capacity is not None and people > event.capacity:
        raise ValidationError(
            {
                "people": _(
                    "Die Veranstaltung hat nur %(capacity)d Plätze; so viele Personen passen nicht."
                )
                % {"capacity": event.capacity}
            }
        )


def _fits(event: Event, people: int) -> bool:
    return event.capacity is None or event.taken + people <= event.capacity


@transaction.atomic
def event_register(
    *,
    actor: Any,
    event: Event,
    people: int = 1,
    note: str = "",
    ip: str = "",
    organisation: Organisation | None = None,
) -> Registration:
    """Register ``actor`` with ``people`` in all; a full event puts them on the waiting list.
    A representative may register ``organisation`` instead, with the people it sends.

    Takes the event's row lock before the places are counted, so concurrent registrations for
    the last place never both get it. Someone who had deregistered registers anew, at the end
    of the queue.
    """
    if not event.is_published or event.is_cancelled:
        raise PermissionDenied(_("Für diese Veranstaltung kann man sich nicht anmelden."))
    if not (can_view.test(actor, event) and is_participant.test(actor, event)):
        raise PermissionDenied(
            _("Anmelden können sich alle, die in dieser Kommune registriert und bestätigt sind.")
        )
    if organisation is not None and (
        organisation.municipality_id != event.municipality_id
        or not represents(user=actor, organisation=organisation)
    ):
        raise PermissionDenied(_("Sie vertreten diese Organisation nicht."))
    check_rate(action="signup", user=actor, ip=ip)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if not locked.registration_open or locked.is_cancelled:
        raise ValidationError(
            {
                "people": _("Die Anmeldung ist geschlossen (seit %(date)s).")
                % {"date": _date(locked.registration_closes_at)}
            }
        )
    _check_people(locked, people)
    existing = Registration.objects.filter(event=locked, user=actor).first()
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        raise ValidationError({"people": _("Sie sind schon angemeldet.")}, code="twice")
    if (
        organisation is not None
        and Registration.objects.filter(event=locked, organisation=organisation)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    ):
        raise ValidationError(
            {"organisation": _("%(name)s ist schon angemeldet.") % {"name": organisation.name}},
            code="twice",
        )
    status = RegistrationStatus.REGISTERED if _fits(locked, people) else RegistrationStatus.WAITING
    registration = existing or Registration(
        event=locked, user=actor, municipality_id=locked.municipality_id
    )
    registration.organisation = organisation
    registration.people = people
    registration.note = note.strip()
    registration.status = status
    registration.created_at = timezone.now()
    registration.full_clean(exclude=["event", "user", "municipality"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as twice:  # the same person, twice at once
        raise ValidationError({"people": _("Sie sind schon angemeldet.")}, code="twice") from twice
    if status == RegistrationStatus.REGISTERED:
        _take(locked, people)
    return registration


def _take(event: Event, people: int) -> None:
    """Change the confirmed headcount; the caller holds the event's row lock."""
    event.taken += people
    Event.objects.filter(pk=event.pk).update(taken=event.taken)


@transaction.atomic
def registration_cancel(*, actor: Any, registration: Registration) -> Registration:
    """Deregister; the place goes to the oldest on the waiting list whose party fits."""
    # An organisation's registration belongs to whoever represents it now.
    if (
        not represents(user=actor, organisation=registration.organisation)
        if registration.organisation_id
        else registration.user_id != actor.pk
    ):
        raise PermissionDenied(_("Nur wer sich angemeldet hat, kann sich abmelden."))
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("Sie sind schon abgemeldet."))
    if event.starts_at <= timezone.now():
        raise ValidationError(_("Die Veranstaltung hat schon begonnen."))
    _release(event, registration)
    return registration


def _release(event: Event, registration: Registration) -> None:
    """Cancel ``registration`` and move people up; the caller holds the event's row lock."""
    was_confirmed = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    if was_confirmed:
        _take(event, -registration.people)
        _promote(event)


def _promote(event: Event) -> list[Registration]:
    """Give free places to the waiting list in order, skipping parties too large for what is
    free; tell each person promoted. The caller holds the event's row lock."""
    if event.is_cancelled or event.starts_at <= timezone.now():
        return []
    promoted = []
    for waiting in Registration.objects.filter(
        event=event, status=RegistrationStatus.WAITING
    ).order_by("created_at", "pk"):
        if event.capacity is not None and event.taken >= event.capacity:
            break
        if not _fits(event, waiting.people):
            continue
        waiting.status = RegistrationStatus.REGISTERED
        waiting.save(update_fields=["status"])
        _take(event, waiting.people)
        promoted.append(waiting)
    if promoted:
        title, when = event.title, event.starts_at
        notify(
            user_ids=[registration.user_id for registration in promoted],
            municipality_id=event.municipality_id,
            kind=Kind.EVENT,
            message=lambda: (
                _(
                    "Ein Platz ist frei geworden: Sie sind jetzt für „%(title)s“ am %(date)s angemeldet."
                )
                % {"title": title, "date": _date(when)}
            ),
            url=event_url(event),
        )
    return promoted


@transaction.atomic
def registrations_release(*, user: Any) -> int:
    """Deregister ``user`` everywhere and delete the registrations (account deletion), moving
    others up from the waiting list where the event is still ahead; returns how many were open."""
    count = 0
    # What they registered as an organisation stays the organisation's.
    own = Registration.objects.filter(user=user, organisation__isnull=True)
    for registration in own.exclude(status=RegistrationStatus.CANCELLED):
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        _release(event, Registration.objects.get(pk=registration.pk))
        count += 1
    own.delete()
    return count


@transaction.atomic
@audited(
    gettext_lazy("Protokoll einer Veranstaltung eingetragen"),
    target="event",
    fields=["minutes", "minutes_file"],
)
def event_minutes_set(
    *,
    actor: Any,
    event: Event,
    minutes: str,
    minutes_file: File | None = None,
    remove_file: bool = False,
    ideas: Iterable[Idea] = (),
) -> Event:
    """The minutes after the event: text, a document (checked like every upload), and the
    ideas discussed there (those recorded there count anyway, through ``Idea.source_event``)."""
    _require_manage(actor, event)
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.starts_at > timezone.now():
        raise ValidationError(
            {"minutes": _("Ein Protokoll gibt es, wenn die Veranstaltung begonnen hat.")}
        )
    ideas = list(ideas)
    foreign = [idea for idea in ideas if not _same_scope(locked, idea)]
    if foreign:
        raise ValidationError(
            {
                "ideas": _("„%(title)s“ gehört nicht zu dieser Veranstaltung.")
                % {"title": foreign[0]}
            }
        )
    locked.minutes = minutes.strip()
    if minutes_file is not None:
        locked.minutes_file = minutes_file
    elif remove_file:
        locked.minutes_file = ""
    locked.full_clean()
    locked.save()
    locked.ideas.set(ideas)
    _changed(locked)
    event.refresh_from_db()
    return locked


def _same_scope(event: Event, idea: Model) -> bool:
    if idea.municipality_id != event.municipality_id:
        return False
    return event.project_id is None or idea.project_id == event.project_id
