"""New residents on a 375 px phone, with JavaScript and without, in German and in English.

Every page is checked by axe-core (``Visitor.check``). On the phone no page may scroll sideways,
and no table may show cells without the name of their column once its header row has left the
screen (tables stack there, static/css/site.css).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from koproduktion.decisions.models import Decision, Poll
from koproduktion.ideas.models import Idea

PHONE = {"width": 375, "height": 800}
TOWN = "/musterstadt/"
IDEAS = "/musterstadt/vorhaben/fahrradstrasse-hafenallee/ideen/"

# Cells of tables whose header row is off the screen, without a label of their own.
UNLABELLED_CELLS = """() => {
  const bare = [];
  for (const table of document.querySelectorAll("main table")) {
    const head = table.querySelector("thead");
    if (head && head.getBoundingClientRect().right > 0) continue;
    for (const cell of table.querySelectorAll("tbody td")) {
      const label = getComputedStyle(cell, "::before").content;
      if (!label || label === "none" || label === "normal" || label === '""') {
        bare.push(cell.textContent.trim().slice(0, 40));
      }
    }
  }
  return bare;
}"""


def _main_pages() -> list[str]:
    idea = Idea.objects.filter(project__slug="fahrradstrasse-hafenallee").order_by("pk").first()
    poll = Poll.objects.get(project__slug="buergerhaushalt-2027")
    decision = Decision.objects.filter(municipality__slug="musterstadt").order_by("pk").first()
    return [
        "/",
        TOWN,
        TOWN + "quartiere/altstadt/",
        TOWN + "vorhaben/fahrradstrasse-hafenallee/",
        IDEAS,
        f"{IDEAS}{idea.pk}/",
        f"{TOWN}vorhaben/buergerhaushalt-2027/abstimmungen/{poll.pk}/ergebnis/",
        TOWN + "vorhaben/fahrradstrasse-hafenallee/meinungsbild/ergebnis/",
        TOWN + "beschluesse/",
        f"{TOWN}beschluesse/{decision.pk}/",
        TOWN + "antwortzeiten/",
        "/konto/benachrichtigungen/",
    ]


def _in_english(visitor) -> None:
    visitor.page.context.add_cookies([{"name": "language", "value": "en", "url": visitor.base_url}])


@pytest.mark.parametrize("language", ["de", "en"])
def test_main_pages_fit_a_phone_and_keep_their_table_labels(demo_town, visitor, language):
    page = visitor.page
    page.set_viewport_size(PHONE)
    visitor.log_in("buergerin@musterstadt.example")  # the notifications need an account
    if language == "en":
        _in_english(visitor)
    for path in _main_pages():
        visitor.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide"
        assert page.evaluate(UNLABELLED_CELLS) == [], path


def test_a_visitor_learns_ideas_can_be_posted_and_is_brought_back_after_log_in(
    demo_town, visitor_without_js
):
    visitor = visitor_without_js
    page = visitor.page
    page.set_viewport_size(PHONE)
    visitor.goto(TOWN)
    card = page.locator("tr", has=page.get_by_role("link", name="Fahrradstraße Hafenallee"))
    expect(card).to_contain_text("Eine Idee einreichen, bis")
    expect(card).to_contain_text("Dafür brauchen Sie ein Konto mit bestätigter E-Mail-Adresse.")
    visitor.goto(IDEAS)
    expect(page.get_by_text("Bitte melden Sie sich an, um mitzumachen.")).to_have_count(0)
    page.get_by_role("link", name="Anmelden, um eine Idee einzureichen").click()
    visitor.check()
    page.get_by_label("E-Mail-Adresse").fill("radler@musterstadt.example")
    page.get_by_label("Passwort").fill("Koproduktion-Demo")
    page.locator("main").get_by_role("button", name="Anmelden").click()
    visitor.check()
    expect(page).to_have_url(re.compile(re.escape(IDEAS + "neu/") + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Idee")


def test_an_over_long_text_is_refused_and_kept_without_javascript(demo_town, visitor_without_js):
    visitor = visitor_without_js
    page = visitor.log_in("radler@musterstadt.example", then=IDEAS + "neu/")
    description = page.get_by_label("Beschreibung")
    expect(page.locator("#id_text_limit")).to_have_text("höchstens 5.000 Zeichen")
    expect(description).to_have_attribute("aria-describedby", re.compile(r"\bid_text_limit\b"))
    # A browser that does not keep to maxlength (or a paste the browser let through).
    page.evaluate("document.getElementById('id_text').removeAttribute('maxlength')")
    page.get_by_label("Titel").fill("Eine sehr lange Idee")
    pasted = "Mehr Bänke am Hafen. " * 2500
    description.fill(pasted)
    page.get_by_role("button", name="Idee veröffentlichen").click()
    visitor.check()
    expect(page.get_by_role("alert")).to_contain_text("höchstens 5000 Zeichen")
    assert description.input_value() == pasted  # all of it, to shorten


def test_the_character_count_follows_the_typing(demo_town, visitor):
    page = visitor.log_in("radler@musterstadt.example", then=IDEAS + "neu/")
    page.get_by_label("Beschreibung").fill("Mehr Bänke.")
    expect(page.locator("#id_text_limit")).to_have_text("Noch 4.989 von 5.000 Zeichen")


@pytest.mark.parametrize(
    ("language", "zoom_in", "zoom_out"),
    [("de", "Karte vergrößern", "Karte verkleinern"), ("en", "Zoom in", "Zoom out")],
)
def test_the_maps_controls_speak_the_pages_language(
    demo_town, visitor, language, zoom_in, zoom_out
):
    if language == "en":
        _in_english(visitor)
    page = visitor.goto(IDEAS)
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", zoom_in)
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("aria-label", zoom_out)


def test_withdrawing_asks_first_without_javascript(demo_town, visitor_without_js):
    visitor = visitor_without_js
    idea = Idea.objects.filter(
        project__slug="fahrradstrasse-hafenallee", author__email="buergerin@musterstadt.example"
    ).first()
    page = visitor.log_in("buergerin@musterstadt.example", then=f"{IDEAS}{idea.pk}/")
    page.get_by_role("link", name="Idee zurückziehen …").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Idee zurückziehen?")
    page.get_by_role("button", name="Ja, Idee zurückziehen").click()
    visitor.check()
    status = page.locator("#status")
    expect(status).to_contain_text("Zurückgezogen am")
    expect(status).not_to_contain_text("wartet auf eine Antwort")


def test_staff_see_the_readability_while_they_write(demo_town, visitor):
    page = visitor.log_in("verwaltung@musterstadt.example", then=TOWN + "beschluesse/neu/")
    reasons = page.get_by_label("Begründung")
    reasons.fill(
        "Die Verkehrsberuhigungsmaßnahmen erfordern eine vorausschauende Abstimmung zwischen "
        "den zuständigen Fachbereichen und der Straßenverkehrsbehörde."
    )
    figures = page.locator("#id_reasons_lesbarkeit")
    expect(figures).to_contain_text("Lesbarkeit:")
    expect(figures).to_contain_text("(sehr schwer)")
    visitor.check()
