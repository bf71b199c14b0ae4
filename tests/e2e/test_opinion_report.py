"""The opinion map's report on a phone, on a desktop and on paper, and a Polis export imported
by staff through the upload form; every page checked with axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from koproduktion.opinions.background import run_held
from koproduktion.opinions.models import PolisImport, Statement
from koproduktion.opinions.polis_export import SAMPLE_CONVERSATIONS

RESULTS = "/musterstadt/vorhaben/fahrradstrasse-hafenallee/meinungsbild/ergebnis/"
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
SEATTLE = SAMPLE_CONVERSATIONS / "15-per-hour-seattle"
IMPORT = "/musterstadt/vorhaben/tempo-30-vor-schulen/meinungsbild/import/"


def _report_reads_completely(page) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ergebnis des Meinungsbilds")
    facts = page.locator(".report-facts")
    expect(facts).to_contain_text("Teilnehmende mit mindestens einer Stimme")
    expect(facts).to_contain_text("abgegebene Stimmen")
    expect(
        page.get_by_role("heading", name=re.compile(r"^Gruppe A \(\d+ Personen\)"))
    ).to_be_visible()
    # Each bar says in words what it draws.
    first = page.locator(".report-group .share-line").first
    expect(first.locator(".share-text")).to_contain_text(re.compile(r"\d+ % stimmen zu"))
    expect(first.locator("svg.share-bar")).to_be_visible()
    expect(first.locator("svg.share-bar")).to_have_attribute("aria-hidden", "true")
    expect(page.get_by_role("heading", name="Was fast alle teilen")).to_be_visible()
    expect(page.get_by_role("heading", name="Wo die Meinungen auseinandergehen")).to_be_visible()


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_report_on_a_phone_keeps_every_label(demo_town, visitor):
    page = visitor.page
    page.set_viewport_size(PHONE)
    visitor.goto(RESULTS)
    _report_reads_completely(page)
    _fits(page, PHONE["width"])
    # The groups' table stacks its cells on a phone; each cell then shows its column's name.
    cell = page.locator(".project-table td[data-label]").first
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert "Teilnehmende" in label
    expect(page.locator(".project-table th[scope=row]").first).to_be_visible()
    # Where groups are compared, every share stands under its group's name.
    for split in page.locator(".group-shares > div").all():
        expect(split.locator("dt")).to_be_visible()
        expect(split.locator("dt")).to_have_text(re.compile(r"^Gruppe [A-E]$"))
        expect(split.locator(".share-text")).to_be_visible()


def test_the_report_on_a_desktop_and_on_paper(demo_town, visitor):
    page = visitor.page
    page.set_viewport_size(DESKTOP)
    visitor.goto(RESULTS)
    _report_reads_completely(page)
    _fits(page, DESKTOP["width"])
    page.emulate_media(media="print")
    visitor.check()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Selbst abstimmen")).to_be_hidden()
    expect(page.locator(".report-group .share-bar").first).to_be_visible()
    colour = page.locator(".report-group .share-bar").first.evaluate(
        "bar => getComputedStyle(bar).printColorAdjust"
    )
    assert colour == "exact"
    expect(page.get_by_role("heading", name="Wer denkt ähnlich?")).to_be_visible()
    assert page.pdf(format="A4")[:4] == b"%PDF"


def test_staff_import_a_polis_export_through_the_form(demo_town, visitor):
    page = visitor.log_in("koordination@musterstadt.example", then=IMPORT)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Polis-Export importieren")

    # A file that is no part of a Polis export: refused next to the field, nothing stored.
    page.get_by_label("Polis-Export").set_input_files(
        files=[{"name": "notizen.txt", "mimeType": "text/plain", "buffer": b"Notizen"}]
    )
    page.get_by_role("button", name="Hochladen und importieren").click()
    visitor.check()
    expect(page.locator("#id_dateien_errors")).to_contain_text(
        "notizen.txt: Diese Datei gehört nicht zu einem Polis-Export"
    )
    assert not PolisImport.objects.exists()

    page.get_by_label("Polis-Export").set_input_files(
        [SEATTLE / "comments.csv", SEATTLE / "votes.csv", SEATTLE / "participants-votes.csv"]
    )
    page.get_by_role("button", name="Hochladen und importieren").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Polis-Import")
    expect(page.get_by_text("wartet", exact=True)).to_be_visible()
    expect(page.get_by_text("comments.csv, votes.csv, participants-votes.csv")).to_be_visible()

    # Off the page that asks for its progress, the worker's turn comes.
    page.get_by_role("link", name="Zur Importseite").click()
    visitor.check()
    expect(page.get_by_role("link", name=re.compile(r"^Import vom .*: wartet$"))).to_be_visible()
    run_held()
    visitor.goto(IMPORT)
    page.get_by_role("link", name=re.compile(r"^Import vom .*: fertig$")).click()
    visitor.check()
    expect(page.get_by_role("heading", name="Der Import ist fertig.")).to_be_visible()
    report = page.locator(".import-report")
    expect(report).to_contain_text("54, davon")
    expect(report).to_contain_text("339")
    expect(report).to_contain_text("2872 (die letzte je Person und These, aus 2995 gelesenen)")
    expect(report).to_contain_text("bereinigter Rand-Index")
    assert Statement.objects.filter(project__slug="tempo-30-vor-schulen").count() == 54

    page.get_by_role("link", name="Zum Ergebnis").click()
    visitor.check()
    _report_reads_completely(page)
