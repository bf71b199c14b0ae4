"""The town's admin opens "Verwaltung" from the header, changes a setting, adds a neighbourhood
and a department (first with what the form refuses), and tries to delete a department that
still leads projects — reading why it stays. On a phone's width too; never through /admin/."""

from __future__ import annotations

import re

from playwright.sync_api import expect

ADMIN = "admin@musterstadt.example"


def _named(action: str, name: str) -> re.Pattern:
    """A link's name with the record it acts on, which only screen readers read: Chromium
    counts the hidden part as a block of its own and puts a space before it."""
    return re.compile(rf"^{action}\s*: {re.escape(name)}$")


def _fits_a_phone(visitor) -> None:
    page = visitor.page
    page.set_viewport_size({"width": 375, "height": 800})
    visitor.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_admin_sets_up_the_town_from_the_header(demo_town, visitor, settings):
    settings.MAP_TILE_URL = ""  # no tiles from the internet in tests
    page = visitor.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    visitor.log_in(ADMIN, then="/musterstadt/")
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Verwaltung", exact=True
    ).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwaltung von Musterstadt")
    _fits_a_phone(visitor)

    # A setting: the support quorum.
    page.get_by_role("link", name="Einstellungen der Kommune").click()
    visitor.check()
    quorum = page.get_by_label("Quorum für Unterstützungen")
    quorum.fill("25")
    page.get_by_role("button", name="Einstellungen speichern").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text(
        "Die Einstellungen der Kommune sind gespeichert"
    )
    expect(page.get_by_label("Quorum für Unterstützungen")).to_have_value("25")
    _fits_a_phone(visitor)

    # A neighbourhood: the empty name is refused next to the field, then it is added.
    page.get_by_role("navigation", name="Sie sind hier").get_by_role(
        "link", name="Verwaltung"
    ).click()
    visitor.check()
    page.get_by_role("link", name="Quartiere", exact=True).click()
    visitor.check()
    page.get_by_role("link", name="Quartier anlegen").click()
    visitor.check()
    page.get_by_label("Beschreibung").fill("Rund um den neuen Bahnhof.")
    page.get_by_role("button", name="Quartier anlegen").click()
    visitor.check()
    name = page.get_by_label("Name", exact=True)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_name_errors")).to_be_visible()
    expect(page.get_by_label("Beschreibung")).to_have_value("Rund um den neuen Bahnhof.")
    name.fill("Südstadt")
    page.get_by_role("button", name="Quartier anlegen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("„Südstadt“ ist angelegt")
    expect(page.get_by_role("row", name=re.compile("Südstadt"))).to_contain_text(
        "Rund um den neuen Bahnhof."
    )
    _fits_a_phone(visitor)
    page.get_by_role("link", name=_named("Öffentliche Seite", "Südstadt")).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Südstadt")
    page.go_back()
    visitor.check()

    # A department: a name the town has already is refused, with what was typed kept.
    page.get_by_role("link", name="Zurück zur Verwaltung").click()
    visitor.check()
    page.get_by_role("link", name="Fachbereiche", exact=True).click()
    visitor.check()
    page.get_by_role("link", name="Fachbereich anlegen").click()
    visitor.check()
    page.get_by_label("Name", exact=True).fill("stadtplanung")
    page.get_by_label("E-Mail").fill("wirtschaft@musterstadt.example")
    page.get_by_role("button", name="Fachbereich anlegen").click()
    visitor.check()
    expect(page.locator("#id_name_errors")).to_contain_text(
        "„stadtplanung“ gibt es in dieser Kommune schon"
    )
    expect(page.get_by_label("E-Mail")).to_have_value("wirtschaft@musterstadt.example")
    page.get_by_label("Name", exact=True).fill("Wirtschaftsförderung")
    page.get_by_role("button", name="Fachbereich anlegen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("„Wirtschaftsförderung“ ist angelegt")
    expect(page.get_by_role("row", name=re.compile("Wirtschaftsförderung"))).to_contain_text(
        "wirtschaft@musterstadt.example"
    )

    # A department that leads projects stays, and the page says by what.
    page.get_by_role("link", name=_named("Löschen", "Tiefbau und Verkehr")).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("„Tiefbau und Verkehr“ löschen")
    expect(page.get_by_role("main")).to_contain_text(
        re.compile(r"Vorhaben \(zuständiger Fachbereich\): \d+")
    )
    expect(page.get_by_role("button", name=re.compile("endgültig löschen"))).to_have_count(0)
    _fits_a_phone(visitor)

    # The new, unused department goes after asking.
    page.get_by_role("link", name="Zurück zu: Fachbereiche").click()
    visitor.check()
    page.get_by_role("link", name=_named("Löschen", "Wirtschaftsförderung")).click()
    visitor.check()
    page.get_by_role("button", name="„Wirtschaftsförderung“ endgültig löschen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("„Wirtschaftsförderung“ ist gelöscht")
    expect(page.get_by_role("row", name=re.compile("Wirtschaftsförderung"))).to_have_count(0)
    assert not [url for url in requested if "/admin/" in url]
