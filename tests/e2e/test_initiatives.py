"""A resident starts an initiative, a second joins as co-initiator and a third supports it; the
starter asks for a partner department, staff of a department accept with a named contact; the
initiative's page links the project, and a need is answered with an offer the starter accepts.
Every page is checked with axe; the pages fit a 375 px phone."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from koproduktion.core.models import Municipality
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.demo.data import DEMO_PASSWORD
from koproduktion.initiatives.models import Initiative, State

STAFF = "verwaltung@musterstadt.example"  # Stadtplanung, Tiefbau und Verkehr
PHONE = {"width": 375, "height": 800}


def _residents() -> list[str]:
    town = Municipality.objects.get(slug="musterstadt")
    # One supporter is enough in this test's town.
    Municipality.objects.filter(pk=town.pk).update(initiative_threshold=1)
    emails = []
    for name in ("Anna", "Ben", "Cem"):
        person = person_with_role(
            town, Role.RESIDENT, email=f"{name.lower()}@example.org", public_name=name
        )
        person.set_password(DEMO_PASSWORD)
        person.save()
        emails.append(person.email)
    return emails


def _log_out(visitor):
    visitor.page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "button", name="Abmelden"
    ).click()
    visitor.check()


def test_an_initiative_becomes_a_project(demo_town, visitor):
    page = visitor.page
    anna, ben, cem = _residents()

    visitor.log_in(anna)
    visitor.goto("/musterstadt/")
    page.get_by_role("link", name="Initiativen", exact=True).click()
    visitor.check()
    page.get_by_role("link", name="Initiative starten").click()
    visitor.check()
    # A first try without the summary keeps what was typed.
    page.get_by_label("Titel", exact=True).fill("Trinkbrunnen am Spielplatz")
    page.get_by_label(re.compile(r"^Warum\?")).fill("Im Sommer haben die Kinder Durst.")
    page.get_by_role("button", name="Initiative starten").click()
    visitor.check()
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Trinkbrunnen am Spielplatz")
    expect(page.locator(".field-invalid")).to_contain_text("Was wollen Sie machen?")
    page.get_by_label(re.compile(r"^Was wollen Sie machen\?")).fill(
        "Ein Trinkbrunnen am Spielplatz Lindenstraße."
    )
    page.get_by_label(re.compile(r"^So erreicht man Sie")).fill("Anna, 0555 4711")
    page.get_by_role("button", name="Initiative starten").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trinkbrunnen am Spielplatz")
    path = page.url.split(visitor.base_url, 1)[1]
    page.get_by_role("link", name="Gesuch hinzufügen").click()
    visitor.check()
    page.get_by_label(re.compile(r"^Was wird gesucht\?")).select_option("know_how")
    page.get_by_label(re.compile(r"^Beschreibung")).fill(
        "Wer kennt sich mit Wasseranschlüssen aus?"
    )
    page.get_by_role("button", name="Gesuch speichern").click()
    visitor.check()
    _log_out(visitor)

    visitor.log_in(ben, then=path)
    page.get_by_label(re.compile(r"^Was möchten Sie beitragen")).fill("Ich bin Installateur.")
    page.get_by_role("button", name="Als Mit-Initiator*in mitmachen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Ihre Anfrage ist bei den Initiator*innen")
    _log_out(visitor)

    visitor.log_in(cem, then=path)
    page.get_by_role("button", name="Unterstützen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Sie unterstützen die Initiative")
    page.get_by_text("Etwas anbieten").click()
    page.get_by_label(re.compile(r"^Was bieten Sie an\?")).fill("Mein Schwager baut Brunnen.")
    page.get_by_label(re.compile(r"^So erreicht man Sie")).fill("Cem, 0555 0815")
    page.get_by_role("button", name="Angebot senden").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Danke für Ihr Angebot")
    _log_out(visitor)

    visitor.log_in(anna, then=path)
    expect(page.get_by_text("0555 0815")).to_have_count(0)  # not before she accepts
    page.get_by_role("button", name=re.compile(r"^Aufnehmen.*Ben")).click()
    visitor.check()
    page.get_by_role("button", name=re.compile(r"^Annehmen.*Cem")).click()
    visitor.check()
    expect(page.get_by_text("Kontakt: Cem, 0555 0815")).to_be_visible()
    page.get_by_role("button", name="Verwaltung um einen Partner-Fachbereich bitten").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Die Verwaltung ist gefragt")
    _log_out(visitor)

    visitor.log_in(STAFF)
    visitor.goto("/musterstadt/vorhaben-verwalten/")
    page.get_by_role("link", name="Initiativen, die einen Partner-Fachbereich suchen").click()
    visitor.check()
    page.get_by_role("link", name="Trinkbrunnen am Spielplatz").click()
    visitor.check()
    page.get_by_label("Partner-Fachbereich").select_option(label="Tiefbau und Verkehr")
    page.get_by_label(re.compile(r"^Ansprechperson")).select_option(
        label="Stadtplanung Musterstadt (Stadtplanung, Tiefbau und Verkehr)"
    )
    page.get_by_role("button", name="Als Partner annehmen").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("Angenommen")
    expect(page.get_by_text("Tiefbau und Verkehr")).to_be_visible()
    page.get_by_role("link", name="Trinkbrunnen am Spielplatz").last.click()
    visitor.check()
    expect(page.get_by_role("heading", name="Aus einer Initiative")).to_be_visible()
    expect(page.get_by_text("Anna, Ben")).to_be_visible()

    initiative = Initiative.objects.get(slug="trinkbrunnen-am-spielplatz")
    assert initiative.state == State.ACCEPTED
    assert initiative.project.department.name == "Tiefbau und Verkehr"
    assert initiative.support_count == 1

    page.set_viewport_size(PHONE)
    for address in (path, "/musterstadt/initiativen/", "/musterstadt/initiativen/gesucht/"):
        visitor.goto(address)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
