"""A resident opens the library of good practice from the town's page, filters it by tag and
opens an example from the other demo town; a project's page shows similar examples; the plain
-language page on taking part; staff reach a method guide from setting up a project and write
an example. On a 375 px phone too; axe on every page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

COORDINATION = "koordination@musterstadt.example"
PHONE = {"width": 375, "height": 800}


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_a_resident_finds_good_practice_and_how_taking_part_works(demo_town, visitor, settings):
    settings.MAP_TILE_URL = ""
    page = visitor.page
    page.set_viewport_size(PHONE)

    visitor.goto("/musterstadt/")
    page.get_by_role("link", name="Praxisbeispiele: was andere Kommunen ausprobiert haben").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Praxisbeispiele")
    expect(page.get_by_text("aus Beispielheim").first).to_be_visible()
    _fits_the_phone(page)

    page.get_by_label("Schlagwort").select_option(label="Mobilität")
    page.get_by_role("button", name="Anzeigen").click()
    visitor.check()
    cards = page.locator(".practice-card")
    expect(cards).to_have_count(3)
    expect(page.get_by_role("link", name="Sitzmöbel auf Probe für den Marktplatz")).to_have_count(0)

    page.get_by_role("link", name="Mitfahrbänke zwischen den Ortsteilen").click()
    visitor.check()
    expect(page).to_have_url(re.compile(r"/beispielheim/praxisbeispiele/\d+/$"))
    expect(page.get_by_role("heading", name="Was nicht funktioniert hat")).to_be_visible()
    _fits_the_phone(page)

    # A project's page: similar examples, and the way to how taking part works here.
    visitor.goto("/musterstadt/vorhaben/fahrradstrasse-hafenallee/")
    similar = page.get_by_role("region", name="Ähnliche Vorhaben")
    expect(similar.get_by_role("listitem")).to_have_count(3)
    expect(similar).to_contain_text("gleiches Thema")
    page.get_by_role("link", name="So funktioniert Mitmachen hier").first.click()
    visitor.check()
    expect(page.locator("#antwort-frist")).to_contain_text("höchstens 14 Tagen")
    _fits_the_phone(page)

    # An unknown tag in the address is named, the page stands.
    visitor.goto("/musterstadt/praxisbeispiele/?schlagwort=gibt-es-nicht")
    expect(page.get_by_role("alert")).to_contain_text("Einen Filter gibt es so nicht")


def test_staff_reach_a_method_guide_and_write_an_example(demo_town, visitor, settings):
    settings.MAP_TILE_URL = ""
    page = visitor.page

    visitor.log_in(COORDINATION, then="/musterstadt/vorhaben-verwalten/neu/")
    methods = page.get_by_role("complementary", name="Methoden für die Beteiligung")
    methods.get_by_role("link", name="Zukunftswerkstatt").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zukunftswerkstatt")
    expect(
        page.get_by_role("heading", name="Ergebnisse auf der Plattform festhalten")
    ).to_be_visible()
    page.get_by_role("link", name="Praxisbeispiele anderer Kommunen").click()
    visitor.check()

    page.get_by_role("link", name="Praxisbeispiel anlegen").click()
    visitor.check()
    page.get_by_label("Titel").fill("Offene Turnhalle am Sonntag")
    page.get_by_label("Ausgangslage: welches Problem?").fill("Jugendliche hatten keinen Ort.")
    page.get_by_label("Vorgehen: was wurde getan?").fill("Die Halle öffnet sonntags.")
    page.get_by_label("Jahr").fill("1800")
    page.get_by_label("Schlagwörter").fill("Jugend, Sport")
    page.get_by_label("veröffentlicht").check()
    page.get_by_role("button", name="Praxisbeispiel speichern").click()
    visitor.check()
    # Refused at the field, with what was typed kept.
    expect(page.get_by_label("Titel")).to_have_value("Offene Turnhalle am Sonntag")
    expect(
        page.get_by_text("Dieser Wert muss größer oder gleich 1970 sein.", exact=True)
    ).to_be_visible()
    page.get_by_label("Jahr").fill("2025")
    page.get_by_role("button", name="Praxisbeispiel speichern").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offene Turnhalle am Sonntag")
    expect(page.get_by_role("link", name="Jugend")).to_be_visible()
