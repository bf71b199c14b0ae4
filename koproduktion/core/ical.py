"""iCalendar (RFC 5545) feeds, written by hand: tasks and shifts, events.

The format needs little: CRLF line ends, text escaping, lines folded at 75 octets, UTC times.
That is less code than a dependency and its updates.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date
    location: str = ""
    description: str = ""
    url: str = ""
    status: str = ""  # CONFIRMED, TENTATIVE or CANCELLED; none said: as planned


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a UTF-8 character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > limit:
            parts.append(current.decode())
            current, limit = b"", 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _stamp(moment: datetime.datetime | datetime.date) -> str:
    if isinstance(moment, datetime.datetime):
        return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    return moment.strftime("%Y%m%d")


def _time_line(name: str, moment: datetime.datetime | datetime.date) -> str:
    if isinstance(moment, datetime.datetime):
        return f"{name}:{_stamp(moment)}"
    return f"{name};VALUE=DATE:{_stamp(moment)}"


def calendar(name: str, events: Iterable[Event]) -> str:
    now = _stamp(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Koproduktion//Koproduktion//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{now}",
            _time_line("DTSTART", event.start),
            _time_line("DTEND", event.end),
            f"SUMMARY:{escape(event.summary)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        if event.status:
            lines.append(f"STATUS:{event.status}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def host() -> str:
    """The host in events' identifiers: calendars recognise an event by it, whichever address
    the feed was fetched from."""
    return settings.SITE_URL.split("://", 1)[-1]
