"""Staff set up and run a project on the site's own pages, step by step."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.models import AuditEntry
from koproduktion.decisions.models import Poll, PollKind
from koproduktion.notifications.models import Kind, Notification
from koproduktion.notifications.services import follow
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project

from .conftest import client_of, plan_data

pytestmark = pytest.mark.django_db


def _basics(town, **changes):
    data = {
        "title": "Spielplatz Lindenhof",
        "summary": "Ein Spielplatz für alle Generationen.",
        "description": "Wir planen **gemeinsam**.",
        "neighbourhood": "",
        "topic": "",
        "department": str(town.lead.pk),
        "involved_departments": [str(town.other.pk)],
        "cost_estimate_cents": "12.500,50",
        "next_decision_date": "",
    }
    data.update(changes)
    return data


def test_staff_set_up_a_project_step_by_step_and_publish_it(town):
    staff = client_of(town.people["lead_staff"])
    slug = town.municipality.slug
    response = staff.post(reverse("workspace:create", args=[slug]), _basics(town))
    project = Project.objects.get(title="Spielplatz Lindenhof")
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:timeline", args=[slug, project.slug])
    assert project.cost_estimate_cents == 1250050
    assert not project.is_published
    assert list(project.involved_departments.all()) == [town.other]

    # The timeline screen says what each phase allows.
    page = staff.get(reverse("workspace:timeline", args=[slug, project.slug])).content.decode()
    assert "Ideen einbringen und diskutieren" in page
    assert "an Abstimmungen und am Bürgerhaushalt teilnehmen" in page
    response = staff.post(
        reverse("workspace:timeline", args=[slug, project.slug]),
        plan_data(datetime.date(2026, 1, 1)),
    )
    assert response.status_code == 302
    assert [p.kind for p in project.phases.order_by("starts_on")] == list(PhaseKind)

    response = staff.post(
        reverse("workspace:documents", args=[slug, project.slug]),
        {"title": "Lageplan", "url": "https://example.org/plan.pdf"},
    )
    assert response.status_code == 302
    assert project.documents.get().url == "https://example.org/plan.pdf"

    now = timezone.now()
    response = staff.post(
        reverse("workspace:polls", args=[slug, project.slug]),
        {
            "title": "Was bauen wir zuerst?",
            "kind": PollKind.BUDGET,
            "opens_at": (now + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + datetime.timedelta(days=15)).strftime("%Y-%m-%dT%H:%M"),
            "budget_cents": "50.000",
            "results_visibility": "after_close",
        },
    )
    poll = Poll.objects.get(project=project)
    assert poll.budget_cents == 5_000_000
    for title, cost in (("Schaukel", "8.000"), ("Sandkasten", "4.500,50")):
        response = staff.post(
            reverse("workspace:option_add", args=[slug, project.slug, poll.pk]),
            {"option-title": title, "option-cost_cents": cost},
        )
        assert response.status_code == 302
    assert [(o.title, o.cost_cents) for o in poll.options.all()] == [
        ("Schaukel", 800_000),
        ("Sandkasten", 450_050),
    ]

    # Before publishing, the public page is a 404 for visitors; the preview shows it to staff.
    public_url = reverse("projects:detail", args=[slug, project.slug])
    assert client_of(None).get(public_url).status_code == 404
    preview = staff.get(reverse("workspace:preview", args=[slug, project.slug]))
    assert "Spielplatz Lindenhof" in preview.content.decode()
    assert "Vorhaben veröffentlichen" in preview.content.decode()

    response = staff.post(reverse("workspace:publish", args=[slug, project.slug]))
    assert response["Location"] == public_url
    assert client_of(None).get(public_url).status_code == 200
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "projects.project_create",
        "projects.timeline_set",
        "projects.document_add",
        "decisions.poll_create",
        "decisions.option_add",
        "projects.project_publish",
    } <= actions


def test_english_amounts_are_read_in_english(town):
    staff = client_of(town.people["lead_staff"])
    staff.get("/sprache/en/")
    staff.post(
        reverse("workspace:create", args=[town.municipality.slug]),
        _basics(town, cost_estimate_cents="12,500.50"),
    )
    assert Project.objects.get().cost_estimate_cents == 1250050


def test_plain_amounts_are_read_in_german_too(town):
    staff = client_of(town.people["lead_staff"])
    staff.post(
        reverse("workspace:create", args=[town.municipality.slug]),
        _basics(town, cost_estimate_cents="12500.50"),
    )
    assert Project.objects.get().cost_estimate_cents == 1250050


def test_advancing_a_phase_shows_the_note_and_tells_the_followers(
    town, django_capture_on_commit_callbacks
):
    staff = client_of(town.people["lead_staff"])
    slug = town.municipality.slug
    staff.post(reverse("workspace:create", args=[slug]), _basics(town))
    project = Project.objects.get()
    staff.post(
        reverse("workspace:timeline", args=[slug, project.slug]),
        plan_data(datetime.date(2026, 1, 1)),
    )
    staff.post(reverse("workspace:publish", args=[slug, project.slug]))
    follower = town.people["resident"]
    follow(user=follower, project=project)

    page = staff.get(reverse("workspace:advance", args=[slug, project.slug])).content.decode()
    assert "Weiter in die Phase „Dialog“" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("workspace:advance", args=[slug, project.slug]),
            {"note": "Die Planung steht. Jetzt sind Ihre Ideen gefragt."},
        )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.phase == PhaseKind.DIALOGUE
    public = client_of(None).get(reverse("projects:detail", args=[slug, project.slug]))
    assert "Jetzt sind Ihre Ideen gefragt." in public.content.decode()
    notice = Notification.objects.get(user=follower, kind=Kind.PHASE)
    assert "Dialog" in notice.message
    assert any("Dialog" in message.body for message in mail.outbox)
    entry = AuditEntry.objects.get(action="projects.project_advance")
    assert entry.before == {"phase": "information"}
    assert entry.after == {"phase": "dialogue"}
    assert entry.reason == "Die Planung steht. Jetzt sind Ihre Ideen gefragt."


def test_the_header_and_the_town_page_lead_staff_to_their_projects(town):
    staff = client_of(town.people["lead_staff"])
    page = staff.get(reverse("projects:municipality", args=[town.municipality.slug]))
    html = page.content.decode()
    workspace = reverse("workspace:list", args=[town.municipality.slug])
    assert html.count(f'href="{workspace}"') == 2  # header and town page
    assert "/admin/" not in html.split("<main")[1]
    resident = client_of(town.people["resident"]).get(
        reverse("projects:municipality", args=[town.municipality.slug])
    )
    assert workspace not in resident.content.decode()


def test_the_list_shows_the_departments_projects_with_drafts_only(town):
    from koproduktion.projects.services import project_create  # noqa: PLC0415

    mine = project_create(
        municipality=town.municipality, title="Mein Entwurf", summary="x", department=town.lead
    )
    involved = project_create(
        municipality=town.municipality, title="Beteiligt", summary="x", department=town.other
    )
    involved.involved_departments.add(town.lead)
    project_create(
        municipality=town.municipality, title="Fremder Entwurf", summary="x", department=town.other
    )
    html = (
        client_of(town.people["lead_staff"])
        .get(reverse("workspace:list", args=[town.municipality.slug]))
        .content.decode()
    )
    assert mine.title in html
    assert involved.title in html
    assert "Fremder Entwurf" not in html
