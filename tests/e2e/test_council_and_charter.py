"""A council member reads the council's agenda from the header; the council's clerk records the
council's decision on an item from it, first without reasons, then with them; a resident opens
the town's participation charter from the town's page, on a wide screen and on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

PHONE = {"width": 375, "height": 740}
AGENDA_LINK = re.compile(r"^Tagesordnung des Rats \d+ Punkte$")


def _item(page, text: str):
    return page.locator("ol.agenda > li", has_text=text)


def test_a_council_member_reads_the_agenda(demo_town, visitor):
    page = visitor.log_in("rat@musterstadt.example", then="/musterstadt/")
    link = page.get_by_role("link", name=AGENDA_LINK)
    expect(link).to_have_text(re.compile(r"Tagesordnung des Rats 4"))
    link.click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tagesordnung des Rats")
    expect(page.get_by_text("4 Punkte warten auf den Rat.")).to_be_visible()
    items = page.locator("ol.agenda > li h2")
    expect(items).to_have_count(4)
    # Oldest first: the poll closed nine days ago, the two ideas over the quorum reached it
    # about a week ago, the budget is due in three weeks.
    expect(items.nth(0)).to_contain_text("Wann soll der Quartierstreff öffnen?")
    expect(items.nth(1)).to_contain_text("Sichere Querung an der Lindenstraße")
    expect(items.nth(2)).to_contain_text("Geschwindigkeitsmessung am Schulzentrum Nord")
    expect(items.nth(3)).to_contain_text("Bürgerhaushalt 2027")
    expect(_item(page, "Quartierstreff")).to_contain_text("wartet seit 9 Tagen")
    expect(page.get_by_role("link", name=re.compile("Beschluss des Rats eintragen"))).to_have_count(
        0
    )
    _item(page, "Sichere Querung").get_by_role(
        "link", name="Sichere Querung an der Lindenstraße"
    ).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sichere Querung an der Lindenstraße")


def test_the_clerk_records_the_council_decision_from_the_agenda(demo_town, visitor):
    page = visitor.log_in("ratsbuero@musterstadt.example", then="/musterstadt/")
    page.get_by_role("link", name=AGENDA_LINK).click()
    visitor.check()
    crossing = _item(page, "Sichere Querung an der Lindenstraße")
    crossing.get_by_role("link", name=re.compile("Beschluss des Rats eintragen")).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beschluss des Rats eintragen")
    expect(page.get_by_label("Gegenstand")).to_have_value("Sichere Querung an der Lindenstraße")
    page.get_by_label("Name des Gremiums").fill("Rat der Stadt Musterstadt")
    page.get_by_label("Ergebnis").select_option("adopted")
    page.get_by_role("button", name="Beschluss veröffentlichen").click()
    visitor.check()
    reasons = page.get_by_label("Begründung")
    expect(page.locator("#id_reasons_errors")).to_be_visible()
    expect(page.get_by_label("Name des Gremiums")).to_have_value("Rat der Stadt Musterstadt")
    reasons.fill("Der Rat folgt den Unterstützerinnen und Unterstützern: ein Zebrastreifen kommt.")
    page.get_by_role("button", name="Beschluss veröffentlichen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Der Beschluss des Rats ist veröffentlicht")
    expect(page.get_by_text("3 Punkte warten auf den Rat.")).to_be_visible()
    expect(_item(page, "Sichere Querung")).to_have_count(0)

    page.get_by_role("link", name="Alle Beschlüsse").click()
    visitor.check()
    page.get_by_role("link", name="Sichere Querung an der Lindenstraße").click()
    visitor.check()
    expect(page.get_by_text("Rat der Stadt Musterstadt")).to_be_visible()
    expect(page.get_by_text("ein Zebrastreifen kommt")).to_be_visible()


def _open_the_charter(visitor) -> None:
    page = visitor.goto("/musterstadt/")
    page.get_by_role("link", name=re.compile("^Beteiligungsleitlinien")).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Beteiligungsleitlinien von Musterstadt"
    )
    expect(page.get_by_role("img", name=re.compile("Versprechen gehalten"))).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile("binnen 14 Tagen eine offizielle"))
    ).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Beschlüsse begründet"))).to_contain_text(
        "100 %"
    )


def test_a_resident_opens_the_charter_from_the_town_page(demo_town, visitor):
    visitor.log_in("buergerin@musterstadt.example")
    _open_the_charter(visitor)
    page = visitor.page
    page.get_by_role("link", name="Antwortzeiten nach Fachbereich und Monat").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antwortzeiten der Verwaltung")


def test_the_charter_fits_a_phone(demo_town, visitor):
    page = visitor.page
    page.set_viewport_size(PHONE)
    _open_the_charter(visitor)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
