"""A visitor searches the town from the box in the header, with and without JavaScript and on a
375 px phone: the hits by kind with counts, the words found marked, a kind page by page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

PHONE = {"width": 375, "height": 800}


def _search_from_the_header(visitor, text: str):
    page = visitor.goto("/musterstadt/")
    header = page.get_by_role("search", name="Suche in Musterstadt")
    header.get_by_label("Suchbegriff für Musterstadt").fill(text)
    header.get_by_role("button", name="Suchen").click()
    page.wait_for_url(re.compile(r"/musterstadt/suche/\?q="))
    visitor.check()
    return page


def test_a_visitor_searches_from_the_header_and_sees_the_words_found(demo_town, visitor):
    page = _search_from_the_header(visitor, "Spielplätze")

    expect(page.get_by_role("heading", level=1)).to_have_text("Suche in Musterstadt")
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Treffer für „Spielplätze“"))
    ).to_be_visible()
    hit = page.get_by_role("link", name="Spielplatz im Lindenpark")
    expect(hit).to_be_visible()
    expect(hit.locator("mark")).to_have_text("Spielplatz")
    # The refined search keeps the words; a kind shows its own page.
    expect(page.get_by_label("Suchbegriff", exact=True)).to_have_value("Spielplätze")
    page.get_by_role("navigation", name="Treffer nach Art").get_by_role(
        "link", name=re.compile(r"^Vorhaben \(\d+\)")
    ).click()
    visitor.check()
    expect(
        page.get_by_role("navigation", name="Treffer nach Art").locator("[aria-current=page]")
    ).to_contain_text("Vorhaben")
    hit = page.get_by_role("link", name="Spielplatz im Lindenpark")
    hit.click()
    page.wait_for_url("**/musterstadt/vorhaben/**")
    visitor.check()


def test_the_search_works_without_javascript(demo_town, visitor_without_js):
    page = _search_from_the_header(visitor_without_js, "Spielplatz")

    expect(page.locator(".search-hit mark").first).to_be_visible()
    # Too long a query says why, at the field, and keeps what was typed.
    page.get_by_label("Suchbegriff", exact=True).evaluate(
        "field => field.removeAttribute('maxlength')"
    )
    page.get_by_label("Suchbegriff", exact=True).fill("Spielplatz " * 20)
    page.get_by_role("search", name="Suche verfeinern").get_by_role("button", name="Suchen").click()
    visitor_without_js.check()
    expect(page.get_by_text("höchstens 200 Zeichen")).to_be_visible()


def test_the_search_fits_a_phone(demo_town, visitor):
    visitor.page.set_viewport_size(PHONE)
    page = _search_from_the_header(visitor, "Markt")

    expect(page.locator(".search-hit").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
