"""Events as iCalendar entries: one event's download and a person's registrations in their
private feed (``implementation``'s "Meine Zusagen" feed takes them in)."""

from __future__ import annotations

from collections.abc import Iterable

from koproduktion.core.ical import Event as Entry
from koproduktion.core.ical import host

from .models import Event, Registration
from .services import event_url


def event_entry(event: Event, *, base_url: str) -> Entry:
    """``base_url``: scheme and host of the link (``core.links.site_url``)."""
    description = event.description
    if event.is_cancelled:
        description = f"{event.cancel_reason}\n\n{description}".strip()
    return Entry(
        uid=f"event-{event.pk}@{host()}",
        summary=event.title,
        start=event.starts_at,
        end=event.ends_at,
        location=event.place,
        description=description,
        url=base_url + event_url(event),
        status="CANCELLED" if event.is_cancelled else "CONFIRMED",
    )


def registration_entries(registrations: Iterable[Registration], *, base_url: str) -> list[Entry]:
    """The events of a person's registrations (waiting-list places included: one plans for them)."""
    return [event_entry(registration.event, base_url=base_url) for registration in registrations]
