"""Staff set up a workshop with two places; three residents register, the third waits; one
cancels and the third moves up and sees it. Staff record an idea on site, attach minutes, and
print the poster with its QR code. On a 375 px phone too."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from koproduktion.accounts.models import User
from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.demo.data import DEMO_PASSWORD

STAFF = "koordination@musterstadt.example"
PHONE = {"width": 375, "height": 800}


def _local(days: int, hour: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:00"


def _residents() -> list[str]:
    town = Municipality.objects.get(slug="musterstadt")
    emails = []
    for number in (1, 2, 3):
        person = person_with_role(
            town,
            Role.RESIDENT,
            email=f"nachbarin{number}@example.org",
            public_name=f"Nachbarin {number}",
        )
        person.set_password(DEMO_PASSWORD)
        person.save()
        emails.append(person.email)
    return emails


def _log_out(visitor):
    visitor.page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "button", name="Abmelden"
    ).click()
    visitor.check()


def test_workshop_waiting_list_minutes_and_poster(demo_town, visitor, settings):
    settings.MAP_TILE_URL = ""
    page = visitor.page
    residents = _residents()

    visitor.log_in(STAFF)
    visitor.goto("/musterstadt/veranstaltungen/neu/?vorhaben=fahrradstrasse-hafenallee")
    page.get_by_label("Titel", exact=True).fill("Werkstatt Radwege")
    page.get_by_label("Beginn", exact=True).fill(_local(5, 18))
    page.get_by_label("Ende", exact=True).fill(_local(5, 20))
    page.get_by_label("Veranstaltungsort", exact=True).fill("Hafenhaus")
    page.get_by_label(re.compile(r"^Plätze", re.IGNORECASE)).fill("2")
    page.get_by_label(re.compile(r"^stufenloser Zugang", re.IGNORECASE)).check()
    page.get_by_label(re.compile(r"^veröffentlicht", re.IGNORECASE)).check()
    page.get_by_role("button", name="Veranstaltung speichern").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Werkstatt Radwege")
    event_path = page.url.split(visitor.base_url, 1)[1]
    _log_out(visitor)

    for number, email in enumerate(residents, start=1):
        visitor.log_in(email, then=event_path)
        page.get_by_role(
            "button", name="Auf die Warteliste" if number == 3 else "Anmelden", exact=True
        ).click()
        visitor.check()
        if number == 3:
            expect(page.get_by_role("status")).to_contain_text("Warteliste (Platz 1)")
        else:
            expect(page.get_by_role("status")).to_contain_text("Sie sind angemeldet")
        _log_out(visitor)

    visitor.log_in(residents[0], then=event_path)
    page.get_by_role("button", name="Von der Veranstaltung abmelden").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Sie sind abgemeldet")
    _log_out(visitor)

    visitor.log_in(residents[2], then=event_path)
    expect(page.get_by_text("Sie sind angemeldet (für 1 Person).")).to_be_visible()
    visitor.goto("/konto/benachrichtigungen/")
    expect(page.get_by_text("Ein Platz ist frei geworden")).to_be_visible()
    _log_out(visitor)

    visitor.log_in(STAFF, then=event_path)
    page.get_by_role("link", name="Ideen vor Ort aufnehmen").click()
    visitor.check()
    page.get_by_label("Titel", exact=True).fill("Radbügel am Hafenhaus")
    page.get_by_label("Beschreibung", exact=True).fill(
        "Vor dem Hafenhaus fehlen Bügel zum Anschließen."
    )
    page.get_by_role("button", name="Idee aufnehmen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("ist aufgenommen")
    # The workshop took place: its dates move to yesterday, then the minutes follow.
    visitor.goto(event_path + "bearbeiten/")
    page.get_by_label("Beginn", exact=True).fill(_local(-1, 18))
    page.get_by_label("Ende", exact=True).fill(_local(-1, 20))
    page.get_by_role("button", name="Veranstaltung speichern").click()
    visitor.check()
    page.get_by_role("link", name="Protokoll eintragen").click()
    visitor.check()
    page.get_by_label(re.compile(r"^Protokoll( \(freiwillig\))?$", re.IGNORECASE)).fill(
        "Zwölf Menschen kamen; drei Tische."
    )
    page.get_by_role("button", name="Protokoll speichern").click()
    visitor.check()
    minutes = page.locator("#protokoll + *").first
    expect(page.get_by_text("Zwölf Menschen kamen; drei Tische.")).to_be_visible()
    expect(page.get_by_role("link", name="Radbügel am Hafenhaus")).to_be_visible()
    assert minutes is not None

    visitor.goto(event_path + "aushang/")
    expect(page.locator("svg.qr-code")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_text(visitor.base_url + event_path)).to_be_visible()
    page.emulate_media(media="screen")

    page.set_viewport_size(PHONE)
    visitor.goto(event_path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    visitor.goto("/musterstadt/veranstaltungen/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert User.objects.filter(email__startswith="nachbarin").count() == 3
