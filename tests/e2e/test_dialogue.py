"""A resident posts an idea with a place, another argues against it, the moderation hides the
reply with a public reason."""

from __future__ import annotations

import re

from playwright.sync_api import expect

IDEAS = "/musterstadt/vorhaben/fahrradstrasse-hafenallee/ideen/"


def _log_out(visitor):
    visitor.page.get_by_role("button", name="Abmelden").click()
    visitor.check()


def test_idea_with_place_contra_reply_and_moderation(demo_town, visitor, settings):
    settings.MAP_TILE_URL = ""  # no tiles from the internet in tests
    page = visitor.page

    visitor.log_in("buergerin@musterstadt.example")
    visitor.goto(IDEAS)
    page.get_by_role("link", name="Idee einbringen").click()
    visitor.check()
    page.get_by_label("Titel").fill("Wasserspender am Hafenbecken")
    page.get_by_label("Beschreibung").fill("Im Sommer brauchen Radfahrende und Kinder Trinkwasser.")
    page.get_by_label("Ort oder Adresse").fill("Am Hafenbecken")
    # Clicking the map fills latitude and longitude.
    page.locator(".map").click()
    expect(page.get_by_label("Breitengrad")).not_to_have_value("")
    expect(page.get_by_label("Längengrad")).not_to_have_value("")
    page.get_by_role("button", name="Idee veröffentlichen").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wasserspender am Hafenbecken")
    expect(page.get_by_role("status")).to_contain_text("Ihre Idee ist veröffentlicht")
    expect(page.get_by_text("Am Hafenbecken (Breite")).to_be_visible()
    idea_url = page.url
    _log_out(visitor)

    visitor.log_in("radler@musterstadt.example")
    page.goto(idea_url)
    visitor.check()
    page.get_by_label("dagegen").check()
    page.get_by_label("Ihr Kommentar").fill("Wer soll den Spender sauber halten? Ihr Idioten.")
    page.get_by_role("button", name="Kommentar veröffentlichen").click()
    visitor.check()
    contra = page.locator(".argument-contra")
    expect(contra).to_contain_text("Wer soll den Spender sauber halten?")
    _log_out(visitor)

    visitor.log_in("moderation@musterstadt.example")
    page.goto(idea_url)
    visitor.check()
    comment = page.locator(".comment", has_text="Wer soll den Spender sauber halten?")
    comment.get_by_text("Moderieren").click()
    comment.get_by_label("Öffentliche Begründung").fill("Beleidigung, verstößt gegen Regel 1.")
    comment.get_by_role("button", name="Ausblenden").click()
    visitor.check()
    expect(page.get_by_role("status")).to_contain_text("im Moderationsprotokoll vermerkt")
    _log_out(visitor)

    page.goto(idea_url)
    visitor.check()
    expect(page.get_by_text("Wer soll den Spender sauber halten?")).to_have_count(0)
    expect(page.locator(".hidden-note")).to_contain_text("Beleidigung, verstößt gegen Regel 1.")
    expect(page).to_have_url(re.compile(r"/ideen/\d+/$"))


def test_idea_list_without_javascript_lists_places(demo_town, visitor_without_js):
    page = visitor_without_js.goto(IDEAS)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ideen zu")
    expect(page.locator(".idea-card").get_by_text("Hafenallee / Lindenstraße")).to_be_visible()
    # The map's list of places, drawn by the server, names it too.
    expect(page.locator(".place-map-list")).to_contain_text("Hafenallee / Lindenstraße")
    page.get_by_label("Sortierung").select_option("unterstuetzt")
    page.get_by_role("button", name="Anzeigen").click()
    visitor_without_js.check()
    first = page.locator(".idea-card h2").first
    expect(first).to_have_text("Sichere Querung an der Lindenstraße")


def _long_thread() -> tuple[str, str]:
    """The demo's first argument for the crossing gets eight replies; its idea's address."""
    from koproduktion.accounts.models import User  # noqa: PLC0415 - after Django is set up
    from koproduktion.dialogue.models import Comment  # noqa: PLC0415
    from koproduktion.dialogue.services import comment_create  # noqa: PLC0415
    from koproduktion.ideas.services import idea_url  # noqa: PLC0415

    top = Comment.objects.filter(depth=0, idea__title__startswith="Sichere Querung").first()
    person = User.objects.get(email="radler@musterstadt.example")
    for n in range(8):
        comment_create(actor=person, idea=top.idea, text=f"Antwort Nummer {n + 1}.", parent=top)
    return idea_url(top.idea), "Antwort Nummer 8."


def test_more_replies_load_in_place(demo_town, visitor):
    url, last = _long_thread()
    page = visitor.goto(url)
    visitor.check()
    expect(page.get_by_text(last)).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"weitere Antworten zeigen")).first.click()
    expect(page.get_by_text(last)).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    visitor.check()


def test_more_replies_without_javascript_on_a_page_of_their_own(demo_town, visitor_without_js):
    url, last = _long_thread()
    page = visitor_without_js.goto(url)
    visitor_without_js.check()
    page.get_by_role("link", name=re.compile(r"weitere Antworten zeigen")).first.click()
    visitor_without_js.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Antworten auf")
    expect(page.get_by_text(last)).to_be_visible()
    page.get_by_role("link", name="Sichere Querung an der Lindenstraße").click()
    visitor_without_js.check()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
