from __future__ import annotations

import json

import pytest

from koproduktion.accounts.services import api_token_create
from koproduktion.ideas.tests.factories import IdeaFactory
from koproduktion.implementation.models import Commitment, Shift
from koproduktion.implementation.tests.factories import (
    MilestoneFactory,
    ShiftFactory,
    TaskFactory,
    in_days,
    resident_of,
)
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.sponsorships.tests.factories import SponsorshipObjectFactory

pytestmark = pytest.mark.django_db


def _base(project) -> str:
    return f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}"


def _post(client, url, data, **headers):
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def test_read_milestones_tasks_and_objects(client):
    shift = ShiftFactory(capacity=4)
    project = shift.task.project
    idea = IdeaFactory(project=project)
    milestone = MilestoneFactory(project=project, percent_complete=40)
    milestone.ideas.add(idea)
    TaskFactory(project=project, is_published=False)
    plan = client.get(_base(project) + "/milestones").json()
    assert plan["progress"] == 40
    assert plan["milestones"][0]["ideas"] == [idea.pk]
    tasks = client.get(_base(project) + "/tasks").json()
    assert tasks["count"] == 1
    assert tasks["items"][0]["free_places"] == 4
    assert tasks["items"][0]["shifts"][0]["free"] == 4
    SponsorshipObjectFactory(municipality=project.municipality)
    geo = client.get(
        f"/api/v1/municipalities/{project.municipality.slug}/sponsorship-objects.geojson"
    ).json()
    assert geo["type"] == "FeatureCollection"
    assert geo["features"][0]["properties"]["sponsored"] is False


def test_commit_and_cancel_with_a_token(client):
    shift = ShiftFactory(capacity=1)
    project = shift.task.project
    person = resident_of(project)
    _token, secret = api_token_create(user=person, name="Kalender-App")
    auth = {"Authorization": f"Bearer {secret}"}
    url = f"{_base(project)}/tasks/{shift.task.pk}/commitments"
    response = _post(client, url, {"shift": shift.pk, "share_contact": True}, **auth)
    assert response.status_code == 201, response.json()
    commitment_id = response.json()["id"]
    second = _post(client, url, {"shift": shift.pk}, **auth)
    assert second.status_code == 400
    assert "schon zugesagt" in second.json()["detail"]
    other = resident_of(project)
    _t, other_secret = api_token_create(user=other, name="x")
    full = _post(client, url, {"shift": shift.pk}, Authorization=f"Bearer {other_secret}")
    assert full.status_code == 400
    assert "voll" in full.json()["detail"]
    response = client.delete(f"/api/v1/commitments/{commitment_id}", headers=auth)
    assert response.status_code == 200
    assert Shift.objects.get(pk=shift.pk).taken == 0
    assert (
        client.delete(
            f"/api/v1/commitments/{commitment_id}",
            headers={"Authorization": f"Bearer {other_secret}"},
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("setup", "status", "detail"),
    [
        ("anonymous", 401, "melden Sie sich an"),
        ("wrong_phase", 403, "Phase"),
        ("past_shift", 400, "begonnen"),
        ("foreign_shift", 400, "gehört zu einer anderen Aufgabe"),
        ("no_shift", 400, "Schicht"),
    ],
)
def test_refusals_are_json_with_a_reason(client, setup, status, detail):
    shift = ShiftFactory()
    project = shift.task.project
    body = {"shift": shift.pk}
    headers = {}
    if setup != "anonymous":
        _t, secret = api_token_create(user=resident_of(project), name="x")
        headers = {"Authorization": f"Bearer {secret}"}
    if setup == "wrong_phase":
        project.phase = PhaseKind.DIALOGUE
        project.save()
    if setup == "past_shift":
        Shift.objects.filter(pk=shift.pk).update(starts_at=in_days(-1), ends_at=in_days(-1, 12))
    if setup == "foreign_shift":
        body = {"shift": ShiftFactory().pk}
    if setup == "no_shift":
        body = {}
    response = _post(client, f"{_base(project)}/tasks/{shift.task.pk}/commitments", body, **headers)
    assert response.status_code == status
    assert detail in response.json()["detail"]
    assert not Commitment.objects.exists()
