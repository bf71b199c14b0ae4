"""A resident reads the town's accessibility statement and the help on using the site, and reports
a barrier with the keyboard alone; the town's admin writes the statement. Every page is checked
with axe-core."""

from __future__ import annotations

from django.core import mail
from playwright.sync_api import expect

from koproduktion.accessibility.models import BarrierReport

TOWN = "/musterstadt/"
STATEMENT = TOWN + "barrierefreiheit/"


def tab_to(page, selector: str, *, presses: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reached with the Tab key")


def test_a_resident_reads_the_statement_and_reports_a_barrier_with_the_keyboard(
    demo_town, visitor, settings
):
    settings.OPERATOR_EMAIL = "beteiligung@musterstadt.example"
    page = visitor.goto(TOWN)
    page.get_by_role("contentinfo").get_by_role("link", name="Barrierefreiheit").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erklärung zur Barrierefreiheit")
    expect(page.get_by_role("heading", name="Schlichtungsverfahren")).to_be_visible()

    page.get_by_role(
        "link", name="So nutzen Sie die Plattform mit Tastatur und Screenreader"
    ).click()
    visitor.check()
    expect(page.get_by_role("heading", name="Karten")).to_be_visible()
    page.go_back()
    visitor.check()

    tab_to(page, "a[href$='/barrierefreiheit/melden/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{STATEMENT}melden/")
    visitor.check()
    expect(page.get_by_label("Auf welcher Seite?")).to_have_value(STATEMENT)
    tab_to(page, "#id_description")
    page.keyboard.type("Der Knopf zum Filtern ist mit der Tastatur nicht zu erreichen.")
    tab_to(page, "#id_contact_email")
    page.keyboard.type("erika@example.org")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{STATEMENT}melden/gesendet/")
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke für Ihre Meldung")

    report = BarrierReport.objects.get()
    assert report.page == STATEMENT
    [message] = [sent for sent in mail.outbox if "Barriere gemeldet" in sent.subject]
    assert message.to == ["beteiligung@musterstadt.example"]
    assert message.reply_to == ["erika@example.org"]


def test_an_empty_report_is_shown_again_with_the_error_at_the_field(demo_town, visitor_without_js):
    page = visitor_without_js.goto(STATEMENT + "melden/")
    page.get_by_label("Auf welcher Seite?").fill("/musterstadt/")
    page.get_by_role("button", name="Meldung senden").click()
    visitor_without_js.check()
    expect(page.locator("#id_description_errors")).to_be_visible()
    expect(page.get_by_label("Auf welcher Seite?")).to_have_value("/musterstadt/")
    assert not BarrierReport.objects.exists()


def test_the_towns_admin_writes_the_statement(demo_town, visitor):
    page = visitor.log_in("admin@musterstadt.example", then=STATEMENT + "bearbeiten/")
    page.get_by_label("teilweise vereinbar").check()
    page.get_by_label("Nicht barrierefreie Inhalte").fill("Die Ratsprotokolle sind gescannt.")
    page.get_by_label("Erklärung erstellt am").fill("2026-11-02")
    page.get_by_label("Prüfung durch Dritte").check()
    page.get_by_label("E-Mail-Adresse für Rückmeldungen").fill("barrierefrei@musterstadt.example")
    page.get_by_role("button", name="Erklärung veröffentlichen").click()
    page.wait_for_url(f"**{STATEMENT}")
    visitor.check()
    expect(page.get_by_text("Die Ratsprotokolle sind gescannt.")).to_be_visible()
    expect(page.get_by_text("Die Aussagen beruhen auf einer Prüfung durch Dritte.")).to_be_visible()
