"""Steps a staff member takes on the site's own pages, shared by the browser tests: setting up a
project in the workspace (basics, five phases, polls and budgets, publication), answering in the
department inbox, recording a decision. Each step checks every page it lands on."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from koproduktion.projects.capabilities import PhaseKind


def day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def moment(offset: int, hour: int) -> str:
    return f"{day(offset)}T{hour:02d}:00"


def fill_basics(
    visitor,
    *,
    title: str,
    summary: str,
    lead: str,
    involved: tuple[str, ...] = (),
    description: str = "",
    cost: str = "",
) -> None:
    """Step 1, on the basics form: fills it and goes on to the timeline."""
    page = visitor.page
    page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_label("Kurzbeschreibung").fill(summary)
    if description:
        page.get_by_label("Beschreibung (freiwillig)").fill(description)
    page.get_by_label("Federführender Fachbereich").select_option(label=lead)
    for department in involved:
        page.get_by_label(department).check()
    if cost:
        page.get_by_label("Geschätzte Kosten (freiwillig)").fill(cost)
    page.get_by_role("button", name="Speichern und weiter zum Zeitplan").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zeitplan")


def fill_timeline(visitor) -> None:
    """Step 2: the five phases of the cycle, 30 days each from today; on to the documents."""
    page = visitor.page
    for number, kind in enumerate(PhaseKind):
        page.get_by_label(f"Beginn: {kind.label}").fill(day(30 * number))
        page.get_by_label(f"Ende: {kind.label}").fill(day(30 * number + 29))
    page.get_by_role("button", name="Speichern und weiter zu den Dokumenten").click()
    visitor.check()


def add_option(visitor, title: str, cost: str = "") -> None:
    page = visitor.page
    page.get_by_label("Titel der Option").fill(title)
    if cost:
        page.get_by_label("Kosten (freiwillig)").fill(cost)
    page.get_by_role("button", name="Option hinzufügen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text(f"„{title}“ ist hinzugefügt")


def add_poll(
    visitor, *, title: str, kind: str, options: tuple[tuple[str, str], ...], budget: str = ""
) -> None:
    """Step 4, on the polls form: a poll of ``kind`` (its label) open in the decision phase
    (days 60 to 80), with ``options`` as (title, cost)."""
    page = visitor.page
    page.get_by_label("Titel", exact=True).fill(title)
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Beginn", exact=True).fill(moment(60, 8))
    page.get_by_label("Ende", exact=True).fill(moment(80, 18))
    if budget:
        page.get_by_label("Budget (freiwillig)").fill(budget)
    page.get_by_role("button", name="Abstimmung anlegen").click()
    visitor.check()
    for option, cost in options:
        add_option(visitor, option, cost)
    expect(page.locator("#optionen + ol > li")).to_have_count(len(options))


def publish(visitor, title: str) -> str:
    """Step 5: the preview, then publication; returns the public page's address."""
    page = visitor.page
    page.get_by_role("link", name="Vorschau und Veröffentlichen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("button", name="Vorhaben veröffentlichen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("ist veröffentlicht")
    expect(page.get_by_text("Entwurf: nur für die Verwaltung sichtbar.")).to_have_count(0)
    return page.url


def inbox_item(page: Page, text: str) -> Locator:
    """The department inbox's entry that mentions ``text``."""
    return page.locator("ol.department-inbox > li", has_text=text)


def answer_in_inbox(visitor, item: str, answer: str) -> None:
    """Answers the inbox's entry mentioning ``item`` officially, in place; it leaves the inbox."""
    page = visitor.page
    entry = inbox_item(page, item)
    entry.get_by_text("Offiziell antworten").click()
    entry.get_by_label("Offizielle Antwort").fill(answer)
    entry.get_by_role("button", name="Antwort veröffentlichen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("ist veröffentlicht")
    expect(inbox_item(page, item)).to_have_count(0)


def record_crossing_decision(visitor) -> None:
    """The traffic committee's decision on the demo town's crossing, recorded by staff from the
    cycle street's decisions; the idea "Sichere Querung an der Lindenstraße" takes its outcome."""
    page = visitor.page
    visitor.goto("/musterstadt/vorhaben/fahrradstrasse-hafenallee/beschluesse/")
    page.get_by_role("link", name="Beschluss eintragen").click()
    visitor.check()
    page.get_by_label("Gegenstand").fill("Querung Lindenstraße")
    page.get_by_label("Gremium", exact=True).select_option("committee")
    page.get_by_label("Name des Gremiums").fill("Verkehrsausschuss")
    page.get_by_label("Datum der Entscheidung").fill("2026-11-24")
    page.get_by_label("Ergebnis").select_option("modified")
    page.get_by_label("Begründung").fill(
        "Statt einer Mittelinsel kommt ein Zebrastreifen mit Beleuchtung."
    )
    page.get_by_label("Sichere Querung an der Lindenstraße").check()
    page.get_by_role("button", name="Veröffentlichen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Querung Lindenstraße")


def open_items(inbox_link) -> int:
    """The number of items the header's inbox link says are waiting."""
    expect(inbox_link).to_have_text(re.compile(r"Posteingang \d+"))
    return int(re.search(r"Posteingang (\d+)", inbox_link.inner_text()).group(1))
