"""The moderation works through a queue holding a reported idea and a reported comment."""

from __future__ import annotations

from playwright.sync_api import expect


def test_moderator_dismisses_the_report_about_an_idea(demo_town, visitor):
    page = visitor.log_in("moderation@musterstadt.example", then="/musterstadt/moderation/")
    items = page.locator("ol.queue > li")
    expect(items).to_have_count(2)
    idea = items.filter(has_text="Idee: Anwohnerparken statt Durchgangsverkehr")
    expect(idea).to_contain_text("Parken gehört zu einem anderen Vorhaben.")
    expect(items.filter(has_text="Kommentar: Eine Mittelinsel")).to_have_count(1)
    idea.get_by_label("Öffentliche Begründung").fill("Passt zum Vorhaben, bleibt stehen.")
    idea.get_by_role("button", name="Meldungen zurückweisen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("im Moderationsprotokoll vermerkt")
    expect(page.locator("ol.queue > li")).to_have_count(1)
