"""A resident fills a budget ballot (and finds it waiting to be counted); staff record a decision; the idea's author sees what
became of the idea, and why."""

from __future__ import annotations

from playwright.sync_api import expect

from .staff_steps import record_crossing_decision

BUDGET = "/musterstadt/vorhaben/buergerhaushalt-2027/abstimmungen/"


def test_budget_ballot_decision_and_feedback(demo_town, visitor):
    page = visitor.page
    visitor.log_in("radler@musterstadt.example")
    visitor.goto(BUDGET)
    page.get_by_role("link", name="Bürgerhaushalt 2027: Ihre Auswahl").click()
    visitor.check()
    for option in (
        "Beleuchtung des Uferwegs",
        "Bolzplatz Nordstadt erneuern",
        "Trinkbrunnen am Marktplatz",
        "Sitzbänke entlang der Hafenallee",
    ):
        page.get_by_label(option).check()
    page.get_by_role("button", name="Stimme abgeben").click()
    visitor.check()
    expect(page.get_by_role("alert")).to_contain_text(
        "Ihre Auswahl kostet 162.000 €, das Budget beträgt 150.000 €"
    )
    expect(page.get_by_label("Beleuchtung des Uferwegs")).to_be_checked()
    page.get_by_label("Sitzbänke entlang der Hafenallee").uncheck()
    page.get_by_role("button", name="Stimme abgeben").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Ihre Stimme ist abgegeben")
    page.get_by_role("link", name="Ergebnis ansehen").click()
    visitor.check()
    # Live results count whole batches of ballots: this one waits with the demo's last 14
    # (decisions.py casts 124), and the page says so.
    expect(page.get_by_text("15 Stimmen werden noch nicht gezählt.")).to_be_visible()
    expect(page.get_by_role("row", name="Beleuchtung des Uferwegs")).to_contain_text("nein")
    page.get_by_role("button", name="Abmelden").click()
    visitor.check()

    visitor.log_in("verwaltung@musterstadt.example")
    record_crossing_decision(visitor)
    page.get_by_role("button", name="Abmelden").click()
    visitor.check()

    visitor.log_in("buergerin@musterstadt.example")
    page.get_by_role("link", name="Benachrichtigungen").click()
    visitor.check()
    page.get_by_role(
        "link", name="„Sichere Querung an der Lindenstraße“ ist jetzt: angenommen"
    ).click()
    visitor.check()
    status = page.locator("#status")
    expect(status).to_contain_text("angenommen")
    expect(status).to_contain_text("Verkehrsausschuss")
    expect(status).to_contain_text("Zebrastreifen mit Beleuchtung")
