"""A visitor finds a project from the home page: with JavaScript, without it, and on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

NARROW_PHONE = {"width": 320, "height": 720}


def _find_the_cycle_lane_project(visitor, *, filter_by_phase) -> None:
    page = visitor.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemeinsam die Kommune gestalten")
    page.get_by_role("link", name="Musterstadt").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Musterstadt")
    expect(page.get_by_text("7 Vorhaben")).to_be_visible()

    filter_by_phase(page)
    expect(page.get_by_text("2 Vorhaben (gefiltert)")).to_be_visible()
    expect(page.get_by_role("link", name="Neugestaltung Marktplatz")).to_have_count(0)
    visitor.check()

    page.get_by_role("link", name="Fahrradstraße Hafenallee").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fahrradstraße Hafenallee")
    current = page.locator(".timeline li[aria-current=step]")
    expect(current).to_contain_text("Dialog")
    expect(page.get_by_role("link", name="Verkehrszählung 2026 (PDF)")).to_be_visible()
    expect(page.get_by_text("verkehr@musterstadt.example")).to_be_visible()


def test_visitor_reaches_a_project_with_htmx_filtering(demo_town, visitor):
    def filter_by_phase(page):
        # htmx swaps the list as soon as the choice changes, and puts the filter in the address.
        page.get_by_label("Phase").select_option("dialogue")
        expect(page).to_have_url(re.compile(r"phase=dialogue"))

    _find_the_cycle_lane_project(visitor, filter_by_phase=filter_by_phase)


def test_visitor_reaches_a_project_without_javascript(demo_town, visitor_without_js):
    def filter_by_phase(page):
        page.get_by_label("Phase").select_option("dialogue")
        page.get_by_role("button", name="Filtern").click()

    _find_the_cycle_lane_project(visitor_without_js, filter_by_phase=filter_by_phase)


def test_pages_fit_a_narrow_phone(demo_town, visitor):
    page = visitor.page
    page.set_viewport_size(NARROW_PHONE)
    for path in ("/", "/musterstadt/", "/musterstadt/vorhaben/fahrradstrasse-hafenallee/"):
        visitor.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW_PHONE["width"], path


def test_language_switch_and_skip_link(demo_town, visitor):
    page = visitor.goto("/musterstadt/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    page.get_by_role("navigation", name="Sprache").get_by_role("link", name="English").click()
    visitor.check()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/musterstadt/$"))
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()


def test_missing_page_is_helpful(demo_town, visitor, settings):
    page = visitor.goto("/musterstadt/vorhaben/gibt-es-nicht/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
