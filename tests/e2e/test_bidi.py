"""A title stored with a right-to-left override reads as typed, in the list and in the map's popup."""

from __future__ import annotations

from playwright.sync_api import expect

from koproduktion.ideas.models import Idea

RLO = "\u202e"


def test_a_stored_override_does_not_reorder_the_list_or_the_map(demo_town, visitor):
    idea = Idea.objects.filter(latitude__isnull=False, hidden_at__isnull=True).first()
    # Stored before titles were cleaned on input: written past the services.
    Idea.objects.filter(pk=idea.pk).update(title=f"Bänke {RLO}am Fluss")
    Idea.objects.exclude(pk=idea.pk).filter(project=idea.project).update(
        latitude=None, longitude=None
    )
    page = visitor.goto(f"/{idea.municipality.slug}/vorhaben/{idea.project.slug}/ideen/")
    expect(page.get_by_role("link", name="Bänke am Fluss")).to_be_visible()
    assert RLO not in page.evaluate("document.body.innerText")
    page.locator(".leaflet-marker-icon").first.click()
    popup_title = page.locator(".leaflet-popup-content a bdi")
    expect(popup_title).to_have_text("Bänke am Fluss")
    assert RLO not in popup_title.inner_text()
    # The popup fades in; axe measures contrast once it is fully shown.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    visitor.check()
