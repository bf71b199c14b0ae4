"""Staff publish a task with two shifts; a resident commits to one and finds it under "Meine
Zusagen" and in the private iCal feed; staff mark a milestone done and the progress bar moves.
Staff edit a sponsorship object and take it off the register."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

PROJECT = "/musterstadt/vorhaben/quartierstreff-nordstadt/"
OVERVIEW = PROJECT + "umsetzung/"


def _log_out(visitor):
    visitor.page.get_by_role("button", name="Abmelden").click()
    visitor.check()


def _local(days: int, hour: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:00"


def _progress(page) -> int:
    return int(page.locator("progress").first.get_attribute("value"))


def test_task_shifts_commitment_feed_and_progress(demo_town, visitor, settings):
    settings.MAP_TILE_URL = ""  # no tiles from the internet in tests
    page = visitor.page

    visitor.log_in("verwaltung@musterstadt.example")
    visitor.goto(OVERVIEW)
    progress_before = _progress(page)
    page.get_by_role("link", name="Aufgabe anlegen").click()
    visitor.check()
    page.get_by_label("Was ist zu tun?").fill("Garten am Treff anlegen")
    page.get_by_label("Wo?").fill("Hof hinter der Nordstraße 12")
    page.get_by_label("Wie viele Personen?").fill("3")
    page.get_by_label("Ansprechperson", exact=True).fill("Frau Yilmaz")
    page.get_by_label("veröffentlicht").check()
    page.get_by_label("Beginn (Schicht 1)").fill(_local(10, 9))
    page.get_by_label("Ende (Schicht 1)").fill(_local(10, 12))
    page.get_by_label("Beginn (Schicht 2)").fill(_local(10, 13))
    page.get_by_label("Ende (Schicht 2)").fill(_local(10, 16))
    page.get_by_role("button", name="Aufgabe speichern").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Garten am Treff anlegen")
    expect(page.locator("#schichten + ul li")).to_have_count(2)
    task_url = page.url
    _log_out(visitor)

    visitor.log_in("buergerin@musterstadt.example")
    page.goto(task_url)
    visitor.check()
    page.get_by_role("radio").first.check()
    page.get_by_label("Die Ansprechperson darf mich").check()
    page.get_by_role("button", name="Ich mache mit").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Ihre Zusage ist gespeichert")
    visitor.goto("/konto/")
    page.get_by_role("link", name="Meine Zusagen und Patenschaften").click()
    visitor.check()
    expect(page.get_by_role("link", name="Garten am Treff anlegen")).to_be_visible()
    page.get_by_role("button", name="Kalender-Adresse erzeugen").click()
    visitor.check()
    feed_url = page.get_by_label("Kalender-Adresse").input_value()
    feed = page.request.get(feed_url)
    assert feed.ok
    body = feed.text()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Garten am Treff anlegen" in body
    # The new shift, the demo's painting shift and the workshop she registered for, each once.
    summaries = sorted(re.findall(r"^SUMMARY:(.*)\r$", body, flags=re.MULTILINE))
    assert body.count("BEGIN:VEVENT") == len(summaries) == 3, summaries
    assert any("Garten am Treff anlegen" in summary for summary in summaries), summaries
    assert any("Wände streichen" in summary for summary in summaries), summaries
    assert any("Zweite Quartierswerkstatt" in summary for summary in summaries), summaries
    _log_out(visitor)

    visitor.log_in("verwaltung@musterstadt.example")
    visitor.goto(OVERVIEW)
    page.get_by_role("link", name="bearbeiten Umbau und Renovierung").click()
    visitor.check()
    page.get_by_label("Status").select_option(label="erledigt")
    page.get_by_role("button", name="Meilenstein speichern").click()
    visitor.check()
    progress_after = _progress(page)
    assert progress_after > progress_before
    visitor.goto(PROJECT)
    expect(page.locator("#projekt-fortschritt")).to_have_attribute("value", str(progress_after))


def test_accountability_and_sponsorship_pages_for_visitors(demo_town, visitor_without_js, settings):
    settings.MAP_TILE_URL = ""
    visitor = visitor_without_js
    page = visitor.goto("/musterstadt/umsetzung/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("umgesetzt")
    expect(page.get_by_text("Denkmalschutzes")).to_be_visible()
    page.get_by_role("link", name="Quartierstreff Nordstadt").click()
    visitor.check()
    expect(page.locator("progress").first).to_be_visible()
    page.get_by_role("link", name="Aufgaben zum Mitmachen").first.click()
    visitor.check()
    page.get_by_role("link", name="Wände streichen").click()
    visitor.check()
    expect(page.get_by_text("Bitte melden Sie sich an")).to_be_visible()
    page = visitor.goto("/musterstadt/patenschaften/")
    expect(page.get_by_text("in Patenschaft").first).to_be_visible()
    page.get_by_role("link", name="Hochbeet vor dem Quartierstreff").click()
    visitor.check()
    expect(page.get_by_role("heading", name="Patenschaft beantragen")).to_be_visible()


@pytest.mark.parametrize("fixture", ["visitor", "visitor_without_js"])
def test_staff_edit_a_sponsorship_object_and_take_it_off_the_register(
    demo_town, request, settings, fixture
):
    """The edit page (with its map picker) and the confirmation page work with and without JS."""
    settings.MAP_TILE_URL = ""
    visitor = request.getfixturevalue(fixture)
    page = visitor.page
    visitor.log_in("verwaltung@musterstadt.example")
    visitor.goto("/musterstadt/patenschaften/")
    page.get_by_role("link", name="Linde am Nordplatz").click()
    visitor.check()
    page.get_by_role("link", name="Bearbeiten", exact=True).click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("„Linde am Nordplatz“ bearbeiten")
    expect(page.get_by_label("Bezeichnung")).to_have_value("Linde am Nordplatz")
    page.get_by_label("Ort oder Adresse").fill("Nordplatz, vor der Kirche")
    page.get_by_role("button", name="Änderungen speichern").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Die Änderungen sind gespeichert.")
    expect(page.get_by_text("Nordplatz, vor der Kirche")).to_be_visible()

    page.get_by_role("link", name="Aus dem Register nehmen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("aus dem Register nehmen")
    expect(
        page.get_by_role("listitem").filter(has_text="Bürgerverein Altstadt e.V.")
    ).to_be_visible()
    page.get_by_role("button", name="Aus dem Register nehmen").click()  # without a reason
    visitor.check()
    expect(page.get_by_role("alert")).to_contain_text("Bitte nennen Sie den Grund")
    page.get_by_label("Grund").fill("Die Linde musste nach dem Sturm gefällt werden.")
    page.get_by_role("button", name="Aus dem Register nehmen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("aus dem Register genommen")
    expect(page.get_by_text("Dieses Objekt ist nicht mehr im Register.")).to_be_visible()
    expect(page.get_by_role("heading", name="Patenschaft beantragen")).to_have_count(0)
    visitor.goto("/musterstadt/patenschaften/")
    expect(page.get_by_role("link", name="Linde am Nordplatz")).to_have_count(0)
