"""The workspace's permission matrix: role × phase × action, asserted through the pages.

Each cell sends the request a person would send and checks the answer and what was stored:
managers (staff of the lead department, the coordination, the town's admin, platform admins)
get their change stored; everyone else is sent to log in (visitors), gets a 403 (a published
project they see but may not manage) or a 404 (a draft they may not even see), and nothing is
stored. Freezing a poll is the one action refused to everyone: after the first ballot, the
service says why.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from koproduktion.decisions.models import Decision, Participation, Poll, PollKind, PollOption
from koproduktion.decisions.services import option_add, poll_create
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Document, Phase, Project
from koproduktion.projects.services import project_create, timeline_set

from .conftest import MANAGERS, ROLES, client_of, plan_data

pytestmark = pytest.mark.django_db


@dataclass
class Setup:
    town: Any
    project: Project
    poll: Poll
    option: PollOption


def _setup(town, phase: PhaseKind, *, published: bool) -> Setup:
    project = project_create(
        municipality=town.municipality,
        title="Hafenpark",
        summary="Ein Park am Hafen.",
        department=town.lead,
        phase=phase,
        is_published=published,
    )
    now = timezone.now()
    admin = town.people["admin"]
    poll = poll_create(
        actor=admin,
        project=project,
        title="Bürgerhaushalt",
        kind=PollKind.BUDGET,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10),
        budget_cents=100_000,
    )
    option = option_add(actor=admin, poll=poll, title="Bänke", cost_cents=20_000)
    return Setup(town=town, project=project, poll=poll, option=option)


def _url(name: str, s: Setup, *extra: Any) -> str:
    return reverse(f"workspace:{name}", args=[s.town.municipality.slug, s.project.slug, *extra])


def _create(client, s: Setup) -> Callable[[], bool]:
    response = client.post(
        reverse("workspace:create", args=[s.town.municipality.slug]),
        {"title": "Neues Vorhaben", "summary": "Kurz.", "department": str(s.town.lead.pk)},
    )
    return response, lambda: Project.objects.filter(title="Neues Vorhaben").exists()


def _edit(client, s: Setup):
    response = client.post(
        _url("basics", s),
        {"title": "Hafenpark neu", "summary": "Kurz.", "department": str(s.town.lead.pk)},
    )
    return response, lambda: Project.objects.filter(title="Hafenpark neu").exists()


def _add_phase(client, s: Setup):
    data = plan_data(datetime.date(2026, 1, 1), kinds=(PhaseKind.INFORMATION,))
    response = client.post(_url("timeline", s), data)
    return response, lambda: Phase.objects.filter(project=s.project).exists()


def _upload(client, s: Setup):
    response = client.post(
        _url("documents", s), {"title": "Plan", "url": "https://example.org/plan.pdf"}
    )
    return response, lambda: Document.objects.filter(project=s.project).exists()


def _publish(client, s: Setup):
    timeline_set(
        actor=s.town.people["admin"],
        project=s.project,
        plan={PhaseKind.INFORMATION: _phase()},
    )
    Project.objects.filter(pk=s.project.pk).update(is_published=False)
    response = client.post(_url("publish", s))
    return response, lambda: Project.objects.get(pk=s.project.pk).is_published


def _phase():
    from koproduktion.projects.services import PlannedPhase  # noqa: PLC0415

    return PlannedPhase(starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 2, 1))


def _add_poll(client, s: Setup):
    now = timezone.now()
    response = client.post(
        _url("polls", s),
        {
            "title": "Welche Bäume?",
            "kind": PollKind.APPROVAL,
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "results_visibility": "after_close",
        },
    )
    return response, lambda: Poll.objects.filter(title="Welche Bäume?").exists()


def _add_option(client, s: Setup):
    response = client.post(
        _url("option_add", s, s.poll.pk),
        {"option-title": "Brunnen", "option-cost_cents": "300,00"},
    )
    return response, lambda: PollOption.objects.filter(title="Brunnen").exists()


def _edit_frozen_poll(client, s: Setup):
    Participation.objects.create(
        municipality=s.town.municipality, poll=s.poll, voter=s.town.people["resident"]
    )
    response = client.post(
        _url("option", s, s.poll.pk, s.option.pk),
        {"title": "Bänke aus Holz", "cost_cents": "200,00"},
    )
    return response, lambda: PollOption.objects.filter(title="Bänke aus Holz").exists()


def _advance(client, s: Setup):
    before = s.project.phase
    response = client.post(_url("advance", s), {"note": "Weiter geht es."})
    return response, lambda: Project.objects.get(pk=s.project.pk).phase != before


def _record_decision(client, s: Setup):
    response = client.post(
        reverse("decisions:record", args=[s.town.municipality.slug])
        + f"?vorhaben={s.project.slug}",
        {
            "title": "Park wird gebaut",
            "project": str(s.project.pk),
            "body": "council",
            "decided_on": "2026-03-01",
            "outcome": "adopted",
            "reasons": "Breite Zustimmung.",
        },
    )
    return response, lambda: Decision.objects.filter(title="Park wird gebaut").exists()


ACTIONS = {
    "create": _create,
    "edit": _edit,
    "add phase": _add_phase,
    "upload document": _upload,
    "publish": _publish,
    "add poll": _add_poll,
    "add option": _add_option,
    "edit frozen poll": _edit_frozen_poll,
    "advance phase": _advance,
    "record decision": _record_decision,
}


def _allowed(action: str, role: str, phase: PhaseKind) -> bool:
    if action == "edit frozen poll":
        return False  # nobody: the service refuses after the first ballot
    if action == "advance phase":
        return role in MANAGERS and phase != PhaseKind.EVALUATION
    return role in MANAGERS


def _refusal(role: str, published: bool, action: str) -> set[int]:
    """The answers a person gets who may not do ``action``."""
    if role == "anonymous":
        return {302}  # to the log-in
    if action == "create" and role == "other_staff":
        return {400}  # creates, but leads with their own department (the reason is shown)
    if action == "record decision" and role == "other_staff" and not published:
        return {404}  # records decisions of the town, but does not see this draft
    if action in ("create", "record decision"):
        return {403}  # the town's forms
    if (not published or action == "publish") and role not in MANAGERS:
        return {404}  # a draft they may not see (publishing starts from one)
    return {403}


# Every role × phase × action on a published project, and on a draft in its first phase.
CELLS = [
    pytest.param(role, action, phase, published, id=f"{role}-{action}-{phase.value}-{state}")
    for published, state, phases in (
        (True, "published", list(PhaseKind)),
        (False, "draft", [PhaseKind.INFORMATION]),
    )
    for phase in phases
    for action in ACTIONS
    for role in ROLES
]


@pytest.mark.parametrize(("role", "action", "phase", "published"), CELLS)
def test_matrix(town, role, action, phase, published):
    setup = _setup(town, phase, published=published)
    client = client_of(town.people[role])
    response, stored = ACTIONS[action](client, setup)
    if _allowed(action, role, phase):
        assert response.status_code == 302, response.content.decode()[:2000]
        assert "/konto/anmelden/" not in response["Location"]
        assert stored()
    else:
        assert not stored()
        if action == "edit frozen poll" and role in MANAGERS:
            assert response.status_code == 400
            assert "Es wurde schon abgestimmt" in response.content.decode()
        elif action == "advance phase" and role in MANAGERS:
            assert response.status_code == 200  # the page says it is the last phase
            assert "in der letzten Phase" in response.content.decode()
        else:
            assert response.status_code in _refusal(role, published, action)
            if response.status_code == 400:
                assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
