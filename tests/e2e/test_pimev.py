"""Beteiligung in Zahlen: a visitor finds the town's figures in the footer and chooses a
neighbourhood; the town's admin opens the full figures from "Verwaltung". Axe on every page,
and at a phone's width no page is wider than the phone."""

from __future__ import annotations

from playwright.sync_api import expect

ADMIN = "admin@musterstadt.example"


def _fits_a_phone(visitor) -> None:
    page = visitor.page
    page.set_viewport_size({"width": 375, "height": 800})
    visitor.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_visitor_reads_the_figures_from_the_footer(demo_town, visitor):
    page = visitor.goto("/musterstadt/")
    page.get_by_role("contentinfo").get_by_role("link", name="Beteiligung in Zahlen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beteiligung in Zahlen")
    expect(page.get_by_role("img", name="Beteiligungstrichter: Menschen je Stufe")).to_be_visible()
    table = page.get_by_role(
        "table", name="Menschen je Stufe, insgesamt und je Monat, mit dem Anteil der Stufe davor"
    )
    expect(table.get_by_role("rowheader", name="insgesamt")).to_be_visible()
    _fits_a_phone(visitor)

    neighbourhood = page.get_by_label("Quartier").locator("option").nth(1).inner_text()
    page.get_by_label("Quartier").select_option(label=neighbourhood)
    page.get_by_role("button", name="Quartier zeigen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Beteiligung in Zahlen: {neighbourhood}"
    )


def test_the_admin_reads_the_exact_figures_from_verwaltung(demo_town, visitor):
    page = visitor.log_in(ADMIN, then="/musterstadt/verwaltung/")
    page.get_by_role("link", name="Beteiligung in Zahlen", exact=True).first.click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beteiligung in Zahlen (vollständig)")
    expect(
        page.get_by_role("table", name="Beteiligte je 1.000 Einwohner*innen, nach Quartier")
    ).to_be_visible()
    _fits_a_phone(visitor)
