"""A staff member's day on the site's own pages, never through /admin/: set up a project with
five phases, a budget with three options and a poll, and publish it; answer two contributions
from the department inbox; change an idea's status with its reason; record a decision. Then a
resident sees what came of it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .staff_steps import (
    add_poll,
    answer_in_inbox,
    fill_basics,
    fill_timeline,
    inbox_item,
    open_items,
    publish,
    record_crossing_decision,
)

STAFF = "verwaltung@musterstadt.example"
RESIDENT = "buergerin@musterstadt.example"
PROJECT = "Spielplatz am Stadtpark"


def test_a_staff_members_day_without_the_admin(demo_town, visitor, settings):
    settings.MAP_TILE_URL = ""  # no tiles from the internet in tests
    page = visitor.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    navigation = page.get_by_role("navigation", name="Hauptnavigation")

    visitor.log_in(STAFF, then="/musterstadt/")
    # Staff get their workspaces in the header, not the town's administration.
    expect(navigation.get_by_role("link", name="Verwaltung", exact=True)).to_have_count(0)

    # Morning: a new project, set up and published.
    navigation.get_by_role("link", name="Vorhaben verwalten").click()
    visitor.check()
    page.get_by_role("link", name="Neues Vorhaben anlegen").click()
    visitor.check()
    fill_basics(
        visitor,
        title=PROJECT,
        summary="Der Spielplatz wird neu gebaut: Kinder und Eltern planen mit.",
        lead="Stadtplanung",
    )
    fill_timeline(visitor)
    page.get_by_role("link", name="Weiter zu den Abstimmungen").click()
    visitor.check()
    add_poll(
        visitor,
        title="Bürgerhaushalt Spielplatz",
        kind="Bürgerhaushalt",
        budget="60.000",
        options=(
            ("Kletterturm", "35.000"),
            ("Wasserspielplatz", "22.500"),
            ("Schattensegel", "8.000"),
        ),
    )
    page.get_by_role("link", name="Alle Abstimmungen des Vorhabens").click()
    visitor.check()
    add_poll(
        visitor,
        title="Wann soll gebaut werden?",
        kind="Zustimmung (mehrere ankreuzen)",
        options=(("In den Sommerferien", ""), ("Im Herbst", "")),
    )
    public_url = publish(visitor, PROJECT)
    expect(page.get_by_role("link", name="2 Abstimmungen")).to_be_visible()

    # Late morning: the inbox. Two answers, then a status with its reason.
    inbox = navigation.get_by_role("link", name=re.compile(r"^Posteingang \d+ offen$"))
    waiting = open_items(inbox)
    assert waiting >= 3  # the demo town's two questions and the idea on bicycle stands at least
    inbox.click()
    visitor.check()
    answer_in_inbox(
        visitor,
        "Anwohnerparken statt Durchgangsverkehr",
        "Das Anwohnerparken prüfen wir mit der Parkraumbewirtschaftung im Frühjahr.",
    )
    answer_in_inbox(visitor, "Gibt es schon Zahlen", "Die Messung läuft im Dezember.")

    bikes = inbox_item(page, "Fahrradbügel am Hafenbecken")
    bikes.locator("summary", has_text="Status ändern").click()
    bikes.get_by_label("Neuer Status").select_option(label="abgelehnt")
    bikes.get_by_label("Öffentliche Begründung").fill(
        "Am Hafenbecken ist kein Platz; die Bügel kommen an die Kaistraße."
    )
    bikes.get_by_role("button", name="Status ändern").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("hat den neuen Status")
    expect(inbox_item(page, "Fahrradbügel am Hafenbecken")).to_contain_text("Status: abgelehnt")
    # A status is no answer: only the two answered items left the inbox.
    expect(navigation.get_by_role("link", name=re.compile("^Posteingang"))).to_have_text(
        re.compile(rf"Posteingang {waiting - 2}\b")
    )

    # Afternoon: the committee's decision, recorded with its reasons.
    record_crossing_decision(visitor)
    page.get_by_role("button", name="Abmelden").click()
    visitor.check()

    # What a resident sees: the new project in the town's list, the decision on her idea.
    visitor.log_in(RESIDENT, then="/musterstadt/")
    page.get_by_role("link", name=PROJECT).first.click()
    visitor.check()
    assert page.url.split("#")[0] == public_url
    expect(page.get_by_role("link", name="2 Abstimmungen")).to_be_visible()
    navigation.get_by_role("link", name="Benachrichtigungen").click()
    visitor.check()
    page.get_by_role(
        "link", name="„Sichere Querung an der Lindenstraße“ ist jetzt: angenommen"
    ).click()
    visitor.check()
    status = page.locator("#status")
    expect(status).to_contain_text("Verkehrsausschuss")
    expect(status).to_contain_text("Zebrastreifen mit Beleuchtung")
    expect(page.get_by_text("Die Messung läuft im Dezember.")).to_be_visible()

    assert requested, "the browser's requests were recorded"
    assert not [url for url in requested if "/admin/" in url]
