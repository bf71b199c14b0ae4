"""A resident works through the opinion map of the demo project and looks at the result."""

from __future__ import annotations

from playwright.sync_api import expect

from koproduktion.opinions.models import StatementVote

VOTE_PAGE = "/musterstadt/vorhaben/fahrradstrasse-hafenallee/meinungsbild/"
RESIDENT = "buergerin@musterstadt.example"


def _resident_votes() -> int:
    return StatementVote.objects.filter(participant__user__email=RESIDENT).count()


def test_resident_votes_with_htmx_and_sees_the_groups(demo_town, visitor):
    page = visitor.goto("/musterstadt/vorhaben/fahrradstrasse-hafenallee/")
    page.get_by_role("link", name="Thesen bewerten").click()
    visitor.check()
    expect(page.get_by_text("Bitte melden Sie sich an")).to_be_visible()
    visitor.log_in(RESIDENT, then=VOTE_PAGE)
    loads = len(visitor.loaded)
    answers = ["Stimme zu", "Stimme nicht zu", "Weiß nicht / überspringen"]
    for turn in range(3):
        shown = page.locator(".statement-text").inner_text()
        page.get_by_role("button", name=answers[turn], exact=True).click()
        expect(page.get_by_text(f"Sie haben {turn + 1} von")).to_be_visible()
        expect(page.locator(".statement-text")).not_to_have_text(shown)
    # htmx swapped the statements in place: no page was loaded while voting.
    assert len(visitor.loaded) == loads
    assert _resident_votes() == 3
    visitor.check()

    page.get_by_role("link", name="Ergebnis ansehen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ergebnis des Meinungsbilds")
    expect(page.get_by_role("img", name="Karte der Meinungsgruppen")).to_be_visible()
    expect(page.get_by_role("heading", name="Gruppe A", exact=False).first).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Gruppe B")


def test_resident_votes_without_javascript(demo_town, visitor_without_js):
    visitor = visitor_without_js
    visitor.log_in(RESIDENT, then=VOTE_PAGE)
    page = visitor.page
    page.get_by_role("button", name="Stimme nicht zu", exact=True).click()
    page.wait_for_load_state("load")
    visitor.check()
    expect(page.get_by_text("Danke, Ihre Stimme ist gespeichert.")).to_be_visible()
    expect(page.get_by_text("Sie haben 1 von")).to_be_visible()
    assert _resident_votes() == 1
    page.get_by_role("button", name="Stimme zu", exact=True).click()
    page.wait_for_load_state("load")
    visitor.check()
    assert _resident_votes() == 2
