"""A staff member sets up a project on the site's own pages — basics, five phases, a budget
with three options and a poll, a preview, publication — and moves it on to its next phase with a
public note, without ever opening Django's admin. One screen at 375 px, one form without
JavaScript."""

from __future__ import annotations

from playwright.sync_api import expect

from .staff_steps import add_poll, fill_basics, fill_timeline, publish

STAFF = "verwaltung@musterstadt.example"


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
    fill_basics(
        visitor,
        title="Sichere Schulwege Nordstadt",
        summary="Zebrastreifen und Tempo 30 vor drei Schulen.",
        description="Wir fragen Eltern und Kinder.",
        lead="Tiefbau und Verkehr",
        involved=("Stadtplanung",),
        cost="245.000,50",
    )

    # Step 2: five phases, on a phone's width.
    page.set_viewport_size({"width": 375, "height": 800})
    visitor.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.get_by_text("an Abstimmungen und am Bürgerhaushalt teilnehmen")).to_be_visible()
    fill_timeline(visitor)
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
    add_poll(
        visitor,
        title="Bürgerhaushalt Schulwege",
        kind="Bürgerhaushalt",
        budget="100.000",
        options=(
            ("Zebrastreifen Lindenstraße", "25.000"),
            ("Tempo-30-Schilder", "4.800,50"),
            ("Schülerlotsen-Ausrüstung", "1.200"),
        ),
    )
    page.get_by_role("link", name="Alle Abstimmungen des Vorhabens").click()
    visitor.check()
    add_poll(
        visitor,
        title="Welche Schule zuerst?",
        kind="Zustimmung (mehrere ankreuzen)",
        options=(("Grundschule am Park", ""), ("Gesamtschule Nord", "")),
    )

    # Step 5: the preview shows the public page; publishing makes it public.
    public_url = publish(visitor, "Sichere Schulwege Nordstadt")
    expect(page.get_by_text("245.000 €")).to_be_visible()
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
