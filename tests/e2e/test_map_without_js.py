"""The maps without JavaScript: the places drawn by the server and listed by neighbourhood, and an
idea posted with a place found by its street's name — on a 375 px phone, checked with axe-core.

Without JavaScript means ``visitor_without_js``: every script the site serves is refused, so the
page is what a browser with JavaScript off gets. Playwright's ``java_script_enabled=False`` would
also stop axe-core's timers, and the accessibility check would never finish.
"""

from __future__ import annotations

from playwright.sync_api import expect

PHONE = {"width": 375, "height": 800}
IDEAS = "/musterstadt/vorhaben/fahrradstrasse-hafenallee/ideen/"


def _fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"


def test_a_resident_posts_an_idea_with_a_place_found_by_its_street(demo_town, visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    page.set_viewport_size(PHONE)

    # The map of the ideas: a drawing with numbered places and the list, no empty box.
    visitor.goto(IDEAS)
    drawing = page.get_by_role("img", name="Karte der Ideen auf dieser Seite")
    expect(drawing).to_be_visible()
    expect(page.locator("[data-map]")).to_be_hidden()
    places = page.locator("details.place-map-list")
    # One numbered place in the drawing for each idea with a place in the list.
    pinned = places.get_by_role("link").count()
    assert pinned >= 3
    expect(drawing.locator("circle")).to_have_count(pinned)
    expect(places).to_contain_text("Am Hafen")
    expect(places.get_by_role("link", name="Sichere Querung an der Lindenstraße")).to_be_visible()
    _fits_the_phone(page)

    visitor.log_in("radler@musterstadt.example", then=IDEAS + "neu/")
    expect(page.get_by_text("Klicken Sie auf die Karte")).to_be_hidden()
    page.get_by_label("Titel").fill("Fahrradbügel vor der Bäckerei")
    page.get_by_label("Beschreibung").fill("Vor der Bäckerei stehen die Räder auf dem Gehweg.")
    page.get_by_label("Straße, Platz oder Ort suchen").fill("Lindenstr")
    page.get_by_role("button", name="Ort suchen").click()
    visitor.check()
    # What was typed is still there; the matches are offered to choose from.
    expect(page.get_by_label("Titel")).to_have_value("Fahrradbügel vor der Bäckerei")
    expect(page.get_by_role("status")).to_contain_text("1 Ort gefunden für „Lindenstr“")
    _fits_the_phone(page)
    page.get_by_label("Lindenstraße (Straße, Altstadt)").check()
    page.get_by_role("button", name="Idee veröffentlichen").click()
    visitor.check()

    expect(page.get_by_role("heading", level=1)).to_have_text("Fahrradbügel vor der Bäckerei")
    place = page.locator("h2", has_text="Ort").locator("xpath=following-sibling::p[1]")
    expect(place).to_contain_text("Lindenstraße")
    expect(page.get_by_role("img", name="Karte mit dem Ort der Idee")).to_be_visible()
    expect(page.locator(".idea-meta")).to_contain_text("Altstadt")
    _fits_the_phone(page)


def test_with_javascript_leaflet_takes_the_drawings_place_with_its_own_icons(
    demo_town, visitor, settings
):
    settings.MAP_TILE_URL = ""  # no tiles from the internet in tests
    page = visitor.page
    icons = []
    page.on(
        "response",
        lambda response: icons.append(response.status) if "marker-icon" in response.url else None,
    )
    visitor.goto(IDEAS)
    # One marker for each idea with a place on the page, as the page hands them to the map.
    features = page.evaluate("JSON.parse(document.getElementById('map-features').textContent)")
    pinned = len(features["features"])
    assert pinned >= 3
    expect(page.locator(".leaflet-marker-icon")).to_have_count(pinned)
    expect(page.get_by_role("img", name="Karte der Ideen auf dieser Seite")).to_be_hidden()
    # The list folds away, one click off.
    expect(page.locator("details.place-map-list")).not_to_have_attribute("open", "")
    assert icons
    assert set(icons) == {200}
    visitor.log_in("radler@musterstadt.example", then=IDEAS + "neu/")
    expect(page.get_by_text("Oder klicken Sie auf die Karte")).to_be_visible()
