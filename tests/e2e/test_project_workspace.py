"""A staff member sets up a project on the site's own pages — basics, five phases, a budget
with three options and a poll, a preview, publication — and moves it on to its next phase with a
public note, without ever opening Django's admin. One screen at 375 px, one form without
JavaScript."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from koproduktion.projects.capabilities import PhaseKind

STAFF = "verwaltung@musterstadt.example"


def _day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def _moment(offset: int, hour: int) -> str:
    return f"{_day(offset)}T{hour:02d}:00"


def _add_option(visitor, title: str, cost: str = "") -> None:
    page = visitor.page
    page.get_by_label("Titel der Option").fill(title)
    if cost:
        page.get_by_label("Kosten (freiwillig)").fill(cost)
    page.get_by_role("button", name="Option hinzufügen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text(f"„{title}“ ist hinzugefügt")


def test_staff_set_up_publish_and_advance_a_project(demo_town, visitor, settings):
    settings.MAP_TILE_URL = ""  # no tiles from the internet in tests
    page = visitor.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    visitor.log_in(STAFF, then="/musterstadt/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Vorhaben verwalten"
    ).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vorhaben verwalten")
    page.get_by_role("link", name="Neues Vorhaben anlegen").click()
    visitor.check()

    # Step 1: the basics.
    page.get_by_label("Titel", exact=True).fill("Sichere Schulwege Nordstadt")
    page.get_by_label("Kurzbeschreibung").fill("Zebrastreifen und Tempo 30 vor drei Schulen.")
    page.get_by_label("Beschreibung (freiwillig)").fill("Wir fragen Eltern und Kinder.")
    page.get_by_label("Federführender Fachbereich").select_option(label="Tiefbau und Verkehr")
    page.get_by_label("Stadtplanung").check()
    page.get_by_label("Geschätzte Kosten (freiwillig)").fill("245.000,50")
    page.get_by_role("button", name="Speichern und weiter zum Zeitplan").click()
    visitor.check()

    # Step 2: five phases, on a phone's width.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zeitplan")
    page.set_viewport_size({"width": 375, "height": 800})
    visitor.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.get_by_text("an Abstimmungen und am Bürgerhaushalt teilnehmen")).to_be_visible()
    for number, kind in enumerate(PhaseKind):
        page.get_by_label(f"Beginn: {kind.label}").fill(_day(30 * number))
        page.get_by_label(f"Ende: {kind.label}").fill(_day(30 * number + 29))
    page.get_by_role("button", name="Speichern und weiter zu den Dokumenten").click()
    visitor.check()
    page.set_viewport_size({"width": 1280, "height": 900})

    # Step 3: a link as the project's document.
    page.get_by_label("Titel", exact=True).fill("Schulwegplan")
    page.get_by_label("oder ein Link (freiwillig)").fill("https://example.org/schulwege.pdf")
    page.get_by_role("button", name="Hinzufügen").click()
    visitor.check()
    expect(page.get_by_role("link", name="Schulwegplan")).to_be_visible()
    page.get_by_role("link", name="Weiter zu den Abstimmungen").click()
    visitor.check()

    # Step 4: a budget with three options, then a poll.
    page.get_by_label("Titel", exact=True).fill("Bürgerhaushalt Schulwege")
    page.get_by_label("Bürgerhaushalt", exact=True).check()
    page.get_by_label("Beginn", exact=True).fill(_moment(60, 8))
    page.get_by_label("Ende", exact=True).fill(_moment(80, 18))
    page.get_by_label("Budget (freiwillig)").fill("100.000")
    page.get_by_role("button", name="Abstimmung anlegen").click()
    visitor.check()
    for title, cost in (
        ("Zebrastreifen Lindenstraße", "25.000"),
        ("Tempo-30-Schilder", "4.800,50"),
        ("Schülerlotsen-Ausrüstung", "1.200"),
    ):
        _add_option(visitor, title, cost)
    expect(page.locator("#optionen + ol > li")).to_have_count(3)

    page.get_by_role("link", name="Alle Abstimmungen des Vorhabens").click()
    visitor.check()
    page.get_by_label("Titel", exact=True).fill("Welche Schule zuerst?")
    page.get_by_label("Zustimmung (mehrere ankreuzen)").check()
    page.get_by_label("Beginn", exact=True).fill(_moment(60, 8))
    page.get_by_label("Ende", exact=True).fill(_moment(80, 18))
    page.get_by_role("button", name="Abstimmung anlegen").click()
    visitor.check()
    for title in ("Grundschule am Park", "Gesamtschule Nord"):
        _add_option(visitor, title)

    # Step 5: the preview shows the public page; publishing makes it public.
    page.get_by_role("link", name="Vorschau und Veröffentlichen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sichere Schulwege Nordstadt")
    expect(page.get_by_text("245.000 €")).to_be_visible()
    page.get_by_role("button", name="Vorhaben veröffentlichen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("ist veröffentlicht")
    public_url = page.url
    expect(page.get_by_text("Entwurf: nur für die Verwaltung sichtbar.")).to_have_count(0)
    expect(page.get_by_role("link", name="2 Abstimmungen")).to_be_visible()

    # Then on to the dialogue, with a public note.
    page.get_by_role("link", name="Dieses Vorhaben verwalten").click()
    visitor.check()
    page.get_by_role("link", name="In die nächste Phase").click()
    visitor.check()
    page.get_by_label("Öffentliche Notiz zum Phasenwechsel").fill(
        "Die Pläne liegen aus. Sagen Sie uns, wo der Schulweg gefährlich ist."
    )
    page.get_by_role("button", name="Weiter in die Phase „Dialog“").click()
    visitor.check()
    assert page.url.split("#")[0] == public_url
    history = page.locator("#verlauf + ol")
    expect(history).to_contain_text("weiter in die Phase „Dialog“")
    expect(history).to_contain_text("wo der Schulweg gefährlich ist")
    assert not [url for url in requested if "/admin/" in url]


def test_a_document_is_added_without_javascript(demo_town, visitor_without_js):
    visitor = visitor_without_js
    page = visitor.log_in(STAFF, then="/musterstadt/")
    visitor.goto("/musterstadt/vorhaben-verwalten/fahrradstrasse-hafenallee/dokumente/")
    page.get_by_label("Titel", exact=True).fill("Querungen Hafenallee")
    page.get_by_role("button", name="Hinzufügen").click()
    visitor.check()
    # Neither file nor link: the reason stands next to the field, the title stays.
    expect(page.locator("#id_file_errors")).to_contain_text("Datei hoch")
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Querungen Hafenallee")
    page.get_by_label("oder ein Link (freiwillig)").fill("https://example.org/zaehlung.pdf")
    page.get_by_role("button", name="Hinzufügen").click()
    visitor.check()
    expect(page.get_by_role("link", name="Querungen Hafenallee")).to_be_visible()
