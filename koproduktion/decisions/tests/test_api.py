from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koproduktion.accounts.services import api_token_create
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.decisions.models import Participation, PollKind, ResultsVisibility
from koproduktion.decisions.services import ballot_cast, decision_record
from koproduktion.decisions.tests.factories import PollFactory, PollOptionFactory, closed
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.projects.tests.factories import ProjectFactory, staff_of

pytestmark = pytest.mark.django_db


def _base(poll) -> str:
    return f"/api/v1/municipalities/{poll.municipality.slug}/projects/{poll.project.slug}/polls"


def test_ballot_through_the_api_with_reasons_for_refusals(client):
    poll = PollFactory(
        kind=PollKind.BUDGET, budget_cents=100_000, results_visibility=ResultsVisibility.LIVE
    )
    a = PollOptionFactory(poll=poll, cost_cents=70_000)
    b = PollOptionFactory(poll=poll, cost_cents=40_000)
    _token, key = api_token_create(
        user=person_with_role(poll.municipality, Role.RESIDENT), name="Test"
    )
    auth = {"Authorization": f"Bearer {key}"}
    url = f"{_base(poll)}/{poll.pk}/ballot"

    def post(choices):
        return client.post(
            url, json.dumps({"choices": choices}), content_type="application/json", headers=auth
        )

    over = post({a.pk: 1, b.pk: 1})
    assert over.status_code == 400
    assert "das Budget beträgt 1.000 €" in over.json()["detail"]
    assert post({a.pk: 1}).status_code == 201
    twice = post({b.pk: 1})
    assert twice.status_code == 400
    assert "schon abgestimmt" in twice.json()["detail"]
    assert Participation.objects.count() == 1
    results = client.get(f"{_base(poll)}/{poll.pk}/results").json()
    # One ballot is less than a batch: it waits, and is counted at the close.
    assert (results["ballots"], results["pending"], results["final"]) == (0, 1, False)
    closed(poll)
    results = client.get(f"{_base(poll)}/{poll.pk}/results").json()
    assert (results["ballots"], results["pending"], results["final"]) == (1, 0, True)
    assert results["rows"][0]["option_id"] == a.pk
    assert results["rows"][0]["funded"] is True
    assert client.get(f"{_base(poll)}/{poll.pk}/results.csv").content.decode().startswith("rank,")
    assert client.post(url, "{}", content_type="application/json").status_code == 401


def test_hidden_results_are_403_and_bad_ballots_422(client):
    poll = PollFactory()
    option = PollOptionFactory(poll=poll)
    ballot_cast(
        voter=person_with_role(poll.municipality, Role.RESIDENT), poll=poll, choices={option.pk: 1}
    )
    response = client.get(f"{_base(poll)}/{poll.pk}/results")
    assert response.status_code == 403
    assert "nach dem Ende" in response.json()["detail"]
    client.force_login(person_with_role(poll.municipality, Role.RESIDENT))
    bad = client.post(
        f"{_base(poll)}/{poll.pk}/ballot",
        json.dumps({"choices": "alle"}),
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert client.get(f"{_base(poll)}/999999/results").status_code == 404


@pytest.mark.parametrize("kind", [PollKind.APPROVAL, PollKind.BUDGET])
@pytest.mark.parametrize("value", [0, -5, 3])
def test_a_cross_of_any_value_but_one_is_400_with_a_reason(client, kind, value):
    poll = PollFactory(kind=kind, budget_cents=1_000_000, results_visibility=ResultsVisibility.LIVE)
    a = PollOptionFactory(poll=poll, cost_cents=1_000)
    client.force_login(person_with_role(poll.municipality, Role.RESIDENT))
    response = client.post(
        f"{_base(poll)}/{poll.pk}/ballot",
        json.dumps({"choices": {a.pk: value}}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Ein Kreuz hat den Wert 1" in response.json()["detail"]
    assert not Participation.objects.exists()


def test_decision_log_json_and_csv(client):
    idea = IdeaFactory()
    staff = staff_of(idea.project)
    decision_record(
        actor=staff,
        municipality=idea.municipality,
        project=idea.project,
        title="Bänke",
        body="council",
        decided_on="2026-11-20",
        outcome="adopted",
        reasons="Gut so.",
        ideas=[idea],
    )
    body = client.get(f"/api/v1/municipalities/{idea.municipality.slug}/decisions").json()
    assert body["count"] == 1
    assert body["items"][0]["ideas"] == [idea.pk]
    csv = client.get(
        f"/api/v1/municipalities/{idea.municipality.slug}/decisions.csv"
    ).content.decode()
    assert "Bänke" in csv


def _record(staff, project, title: str) -> None:
    decision_record(
        actor=staff,
        municipality=project.municipality,
        project=project,
        title=title,
        body="council",
        decided_on="2026-11-20",
        outcome="adopted",
        reasons="Gut so.",
    )


def test_the_decision_log_shows_drafts_to_staff_only_and_costs_the_same_at_any_size(client):
    published = ProjectFactory()
    staff = staff_of(published)
    draft = ProjectFactory(
        municipality=published.municipality, department=published.department, is_published=False
    )
    _record(staff, published, "Öffentlich")
    _record(staff, draft, "Im Entwurf")
    url = f"/api/v1/municipalities/{published.municipality.slug}/decisions"
    assert [d["title"] for d in client.get(url).json()["items"]] == ["Öffentlich"]
    client.force_login(staff)
    assert {d["title"] for d in client.get(url).json()["items"]} == {"Öffentlich", "Im Entwurf"}

    client.logout()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        _record(staff, published if n % 2 else draft, f"Beschluss {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).json()["count"] == 16
    assert len(many) == len(few)
