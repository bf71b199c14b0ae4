"""A staff member works through the department inbox: answers two contributions in place and
changes a status, first without the reason it needs, then with it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .staff_steps import answer_in_inbox, open_items
from .staff_steps import inbox_item as _item


def test_staff_answer_two_items_and_change_a_status_from_the_inbox(demo_town, visitor):
    page = visitor.log_in("verwaltung@musterstadt.example", then="/musterstadt/")
    inbox_link = page.get_by_role("link", name=re.compile(r"^Posteingang \d+ offen$"))
    waiting = open_items(inbox_link)
    inbox_link.click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Posteingang")

    answer_in_inbox(
        visitor,
        "Anwohnerparken statt Durchgangsverkehr",
        "Das Anwohnerparken prüfen wir mit dem Vorhaben zur Parkraumbewirtschaftung.",
    )
    expect(_item(page, "Gibt es schon Zahlen")).to_contain_text("Frage")
    answer_in_inbox(visitor, "Gibt es schon Zahlen", "Die Messung läuft im Dezember.")

    bikes = _item(page, "Fahrradbügel am Hafenbecken")
    bikes.locator("summary", has_text="Status ändern").click()
    bikes.get_by_label("Neuer Status").select_option(label="abgelehnt")
    bikes.get_by_role("button", name="Status ändern").click()
    visitor.check()
    bikes = _item(page, "Fahrradbügel am Hafenbecken")
    expect(bikes.get_by_label("Neuer Status")).to_have_value("rejected")
    reason = bikes.get_by_label("Öffentliche Begründung")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(bikes.locator(".errorlist")).to_have_text(
        "Bitte begründen Sie diesen Status öffentlich."
    )
    reason.fill("Am Hafenbecken ist kein Platz; Bügel kommen an die Kaistraße.")
    bikes.get_by_role("button", name="Status ändern").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("hat den neuen Status")
    expect(_item(page, "Fahrradbügel am Hafenbecken")).to_contain_text("Status: abgelehnt")
    # A status is no answer: only the two answered items left the inbox.
    expect(page.get_by_role("link", name=re.compile(r"^Posteingang \d+ offen$"))).to_have_text(
        re.compile(rf"Posteingang {waiting - 2}\b")
    )

    page.get_by_role("link", name="Antwortzeiten", exact=True).click()
    visitor.check()
    expect(page.get_by_role("img", name=re.compile("rechtzeitig beantworteten"))).to_be_visible()
