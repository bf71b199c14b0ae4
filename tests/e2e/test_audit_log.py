"""The town's admin finds the administration's log, reads who changed what, and filters it."""

from __future__ import annotations

from playwright.sync_api import expect

from koproduktion.accounts.models import User
from koproduktion.ideas.models import Idea, IdeaStatus
from koproduktion.ideas.services import idea_set_status


def test_admin_reads_and_filters_the_log_without_javascript(demo_town, visitor_without_js):
    visitor = visitor_without_js
    page = visitor.page
    staff = User.objects.get(email="verwaltung@musterstadt.example")
    idea = Idea.objects.filter(municipality__slug="musterstadt", status=IdeaStatus.NEW).first()
    idea_set_status(
        actor=staff, idea=idea, status=IdeaStatus.UNDER_REVIEW, reason="Das Amt prüft die Kosten."
    )

    visitor.log_in("admin@musterstadt.example")
    visitor.goto("/musterstadt/")
    page.get_by_role("link", name="Protokoll der Verwaltung").click()
    visitor.check()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protokoll der Verwaltung")
    row = page.get_by_role("row").filter(has_text="Das Amt prüft die Kosten.")
    expect(row).to_contain_text("Stadtplanung Musterstadt")
    expect(row).to_contain_text("Status einer Idee geändert")
    expect(row).to_contain_text(idea.title)
    expect(row).to_contain_text("in Prüfung")

    page.get_by_label("Aktion").select_option(label="Beschluss eingetragen")
    page.get_by_role("button", name="Filtern").click()
    visitor.check()
    expect(page.get_by_role("row").filter(has_text="Das Amt prüft die Kosten.")).to_have_count(0)
    expect(page.get_by_label("Aktion")).to_have_value("decisions.decision_record")
