"""Workshop mode on a tablet (768 × 1024): the facilitator records an idea said at the event, two
people answer statements of the opinion map at the tablet, one signs up for a shift; the event
page counts all three; every page axe-clean, and usable at 375 px too."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from koproduktion.core.models import Municipality
from koproduktion.events.models import Event
from koproduktion.ideas.models import Idea
from koproduktion.implementation.models import Commitment
from koproduktion.implementation.tests.factories import ShiftFactory
from koproduktion.opinions.models import StatementVote
from koproduktion.projects.models import Project

STAFF = "koordination@musterstadt.example"
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 375, "height": 800}


def _running_event() -> Event:
    town = Municipality.objects.get(slug="musterstadt")
    project = Project.objects.get(municipality=town, slug="fahrradstrasse-hafenallee")
    start = timezone.now() - datetime.timedelta(minutes=30)
    ShiftFactory(
        task__project=project,
        task__title="Infostand am Hafenfest",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        capacity=2,
    )
    return Event.objects.create(
        municipality=town,
        project=project,
        title="Werkstatt Hafenallee",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        venue="Hafenhaus",
        is_published=True,
    )


def _answer(page, visitor, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    visitor.check()


def test_a_facilitator_collects_an_idea_votes_and_a_signup_at_a_tablet(demo_town, visitor):
    page = visitor.page
    page.set_viewport_size(TABLET)
    event = _running_event()
    event_path = f"/musterstadt/veranstaltungen/{event.pk}/"

    visitor.log_in(STAFF, then=event_path)
    page.get_by_role("link", name="Werkstatt-Modus (Tablet)").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Was möchte die Person tun?")

    # An idea, first without text: the reason stands at the field and the title stays.
    page.get_by_role("link", name="Idee aufnehmen").first.click()
    visitor.check()
    page.get_by_label("Titel", exact=True).fill("Trinkbrunnen am Anleger")
    page.get_by_role("button", name="Idee speichern").click()
    visitor.check()
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Trinkbrunnen am Anleger")
    expect(page.locator("#id_text_errors")).to_be_visible()
    page.get_by_label("Beschreibung", exact=True).fill(
        "Im Sommer fehlt am Anleger frisches Wasser."
    )
    page.get_by_label("Name oder Initialen").fill("H. K.")
    page.get_by_role("button", name="Idee speichern").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Danke!")
    expect(page.get_by_text("Trinkbrunnen")).to_have_count(0)

    # Two people at the tablet, two statements each.
    for answers in (
        ("Stimme zu", "Stimme nicht zu"),
        ("Stimme nicht zu", "Weiß nicht / überspringen"),
    ):
        page.get_by_role("link", name="Meinungsbild").first.click()
        visitor.check()
        page.get_by_role("button", name="Neue Person").click()
        visitor.check()
        expect(page.get_by_text("These 1 von")).to_be_visible()
        for answer in answers:
            _answer(page, visitor, answer)
        page.get_by_role("button", name="Fertig – nächste Person").click()
        visitor.check()
        expect(page.get_by_text("Die Antworten sind gezählt")).to_be_visible()

    # A sign-up for a shift, by name and phone.
    page.get_by_role("link", name="Mithelfen").first.click()
    visitor.check()
    page.get_by_label("Infostand am Hafenfest", exact=False).check()
    page.get_by_label("Name", exact=True).fill("Hanna Krüger")
    page.get_by_label("Telefon").fill("0171 234567")
    page.get_by_role("button", name="Zusage speichern").click()
    visitor.check()
    expect(page.get_by_text("Die Zusage ist notiert")).to_be_visible()
    expect(page.get_by_text("Hanna")).to_have_count(0)

    # Every button and link of the screen is at least 44 px high.
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('.workshop a.button, .workshop-tabs a,"
        " .workshop button')).map(e => e.getBoundingClientRect().height)"
    )
    assert heights
    assert min(heights) >= 44, heights

    visitor.goto(event_path)
    collected = page.locator(".workshop-collected")
    expect(collected).to_contain_text("1 Idee")
    expect(collected).to_contain_text("4 Stimmen im Meinungsbild")
    expect(collected).to_contain_text("1 Zusage zum Mithelfen")

    assert Idea.objects.get(source_event=event).contributor_name == "H. K."
    assert (
        StatementVote.objects.filter(
            participant__external_id__startswith=f"event-{event.pk}-"
        ).count()
        == 4
    )
    assert Commitment.objects.get(source_event=event).contributor_name == "Hanna Krüger"

    page.set_viewport_size(PHONE)
    visitor.goto(f"{event_path}werkstatt/meinungsbild/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    visitor.goto(f"{event_path}werkstatt/mithelfen/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
