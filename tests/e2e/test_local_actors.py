"""A resident registers their association; the town's admin confirms it; the representative
registers the association for a workshop with three people and commits it to a shift with two
(after asking for more than are left, which is refused at the field with the number kept). The
public profile shows both, on a 375 px phone too."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.demo.data import DEMO_PASSWORD
from koproduktion.events.models import Event
from koproduktion.implementation.models import Task

ADMIN = "admin@musterstadt.example"
RESIDENT = "vorsitz@example.org"
NAME = "Bürgerverein Nordstadt"
PHONE = {"width": 375, "height": 800}


def _resident() -> None:
    person = person_with_role(
        Municipality.objects.get(slug="musterstadt"),
        Role.RESIDENT,
        email=RESIDENT,
        public_name="Vorsitzende Nordstadt",
    )
    person.set_password(DEMO_PASSWORD)
    person.save()


def _log_out(visitor):
    visitor.page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "button", name="Abmelden"
    ).click()
    visitor.check()


def test_an_association_registers_and_acts_as_the_association(demo_town, visitor, settings):
    settings.MAP_TILE_URL = ""
    page = visitor.page
    _resident()

    # The resident proposes the association from the town's directory.
    visitor.log_in(RESIDENT, then="/musterstadt/akteure/")
    page.get_by_role("link", name="Ihre Organisation eintragen").click()
    visitor.check()
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("Beschreibung").fill("Wir kümmern uns um die Nordstadt.")
    page.get_by_label("Nordstadt").check()
    page.get_by_label("Ihre Rolle in der Organisation").fill("Vorsitzende seit 2021.")
    page.get_by_role("button", name="Zur Prüfung senden").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Die Kommune prüft Ihren Vorschlag")
    _log_out(visitor)

    # The town's admin confirms it from the administration's overview.
    visitor.log_in(ADMIN, then="/musterstadt/verwaltung/")
    page.get_by_role("link", name="Organisationen bestätigen").click()
    visitor.check()
    page.get_by_role("link", name=NAME).click()
    visitor.check()
    page.get_by_role("button", name="Bestätigen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text(f"Bestätigt: {NAME}")
    _log_out(visitor)

    # The representative registers the association for a workshop with three people.
    workshop = Event.objects.get(title="Zweite Quartierswerkstatt: Querungen")
    event_path = f"/musterstadt/veranstaltungen/{workshop.pk}/"
    visitor.log_in(RESIDENT, then=event_path)
    page.get_by_label("Anmelden als").select_option(label=NAME)
    page.get_by_label("Anzahl Personen").fill("3")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    visitor.check()
    expect(page.get_by_text(f"{NAME} ist angemeldet (für 3 Personen)")).to_be_visible()

    # … and commits it to a shift: more people than are left is refused at the field.
    task = Task.objects.get(title="Wände streichen")
    visitor.goto(f"/musterstadt/vorhaben/{task.project.slug}/umsetzung/aufgaben/{task.pk}/")
    page.get_by_label(re.compile(r"3 von 4 Plätzen frei")).check()
    page.get_by_label("Zusagen als").select_option(label=NAME)
    people = page.get_by_label("Wie viele Personen kommen?")
    people.fill("5")
    page.get_by_role("button", name="Ich mache mit").click()
    visitor.check()
    expect(page.get_by_text("Hier sind nur noch 3 Plätze frei.", exact=True)).to_be_visible()
    expect(page.get_by_label("Wie viele Personen kommen?")).to_have_value("5")
    page.get_by_label(re.compile(r"3 von 4 Plätzen frei")).check()
    page.get_by_label("Wie viele Personen kommen?").fill("2")
    page.get_by_role("button", name="Ich mache mit").click()
    visitor.check()
    expect(page.get_by_text(f"als {NAME}, 2 Personen")).to_be_visible()

    # The public profile shows both, to everyone, on a phone as well.
    _log_out(visitor)
    page.set_viewport_size(PHONE)
    visitor.goto("/musterstadt/akteure/")
    page.get_by_role("link", name=NAME).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_text("von der Kommune bestätigt")).to_be_visible()
    expect(page.get_by_role("link", name="Zweite Quartierswerkstatt: Querungen")).to_be_visible()
    expect(page.get_by_text(f"angemeldet: {NAME}, 3 Personen")).to_be_visible()
    expect(page.get_by_role("link", name="Wände streichen")).to_be_visible()
    expect(page.get_by_text(f"{NAME}, 2 Personen")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
