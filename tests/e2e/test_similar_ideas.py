"""A resident writing an idea sees a similar one appear and supports it instead; staff merge a
duplicate into its original, and whoever supported the duplicate finds their support there."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from koproduktion.ideas.models import Idea
from koproduktion.ideas.services import idea_create, idea_support

PROJECT = "/musterstadt/vorhaben/fahrradstrasse-hafenallee/ideen/"
BIKES = "Fahrradbügel am Hafenbecken"


def _log_out(visitor):
    visitor.page.get_by_role("button", name="Abmelden").click()
    visitor.check()


def test_a_similar_idea_appears_while_typing_and_is_supported_instead(demo_town, visitor):
    page = visitor.page
    visitor.log_in("buergerin@musterstadt.example")
    visitor.goto(PROJECT + "neu/")
    hints = page.locator("#aehnliche-ideen-liste")
    expect(hints).to_contain_text("Während Sie Titel und Beschreibung schreiben")
    page.get_by_label("Titel").press_sequentially("Mehr Fahrradbügel am Hafenbecken", delay=10)
    expect(hints.get_by_role("link", name=BIKES)).to_be_visible()
    visitor.check()  # the page with its hints
    hints.get_by_role("button", name="Stattdessen unterstützen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(BIKES)
    expect(page.get_by_role("button", name="Unterstützung zurücknehmen")).to_be_visible()
    assert Idea.objects.filter(title="Mehr Fahrradbügel am Hafenbecken").count() == 0


def test_without_javascript_the_button_shows_the_similar_ideas(demo_town, visitor_without_js):
    page = visitor_without_js.page
    visitor_without_js.log_in("buergerin@musterstadt.example")
    visitor_without_js.goto(PROJECT + "neu/")
    page.get_by_label("Titel").fill("Mehr Fahrradbügel am Hafenbecken")
    page.get_by_role("button", name="Ähnliche Ideen prüfen").click()
    visitor_without_js.check()
    expect(page.locator("#aehnliche-ideen-liste").get_by_role("link", name=BIKES)).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_value("Mehr Fahrradbügel am Hafenbecken")
    # Published anyway.
    page.get_by_label("Beschreibung").fill("Am Hafenbecken fehlen Bügel für die Räder.")
    page.get_by_role("button", name="Idee veröffentlichen").click()
    visitor_without_js.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mehr Fahrradbügel am Hafenbecken")


def test_staff_merge_and_the_supporter_finds_their_support_on_the_original(demo_town, visitor):
    people = get_user_model().objects
    original = Idea.objects.get(title=BIKES)
    duplicate = idea_create(
        actor=people.get(email="radler@musterstadt.example"),
        project=original.project,
        title="Mehr Fahrradbügel am Hafenbecken",
        text="Am Hafenbecken fehlen Bügel für die Räder.",
    )
    idea_support(actor=people.get(email="buergerin@musterstadt.example"), idea=duplicate)
    page = visitor.page

    visitor.log_in("verwaltung@musterstadt.example")
    visitor.goto(f"{PROJECT}{duplicate.pk}/")
    expect(page.get_by_role("heading", name="Doppelte Idee zusammenführen")).to_be_visible()
    expect(page.get_by_role("link", name=BIKES)).to_be_visible()  # suggested, with its number
    page.get_by_label("Original: Nummer oder Adresse der Idee").fill(str(original.pk))
    page.get_by_label("Öffentliche Begründung der Zusammenführung").fill("Dasselbe Anliegen.")
    page.get_by_role("button", name="Mit dem Original zusammenführen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(BIKES)
    expect(page.get_by_role("status")).to_contain_text("Zusammengeführt")
    _log_out(visitor)

    visitor.log_in("buergerin@musterstadt.example")
    visitor.goto(f"{PROJECT}{duplicate.pk}/")
    expect(page.get_by_text("Dasselbe Anliegen.")).to_be_visible()
    page.locator(".idea").get_by_role("link", name=BIKES).first.click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text(BIKES)
    expect(page.get_by_role("button", name="Unterstützung zurücknehmen")).to_be_visible()
