from __future__ import annotations

import pytest
from django.test import Client

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.opinions.computation import opinion_map_compute
from koproduktion.opinions.models import Statement, StatementVote
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import OpinionMapFactory, StatementFactory, opinion_map_with_votes

pytestmark = pytest.mark.django_db


def _base(project):
    return f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}"


@pytest.fixture
def project():
    project = ProjectFactory()
    OpinionMapFactory(project=project)
    return project


def _vote(client, project, statement_id, body, **kwargs):
    return client.post(
        f"{_base(project)}/statements/{statement_id}/vote",
        body,
        content_type="application/json",
        **kwargs,
    )


def test_statements_with_counts(client, project):
    statement = StatementFactory(project=project)
    StatementFactory(project=project, status=Statement.Status.PENDING)
    resident = person_with_role(project.municipality, Role.RESIDENT)
    client.force_login(resident)
    assert _vote(client, project, statement.pk, {"vote": "agree"}).status_code == 200
    data = client.get(f"{_base(project)}/statements").json()
    assert data == [
        {
            "id": statement.pk,
            "text": statement.text,
            "is_meta": False,
            "agrees": 1,
            "disagrees": 0,
            "passes": 0,
        }
    ]


def test_latest_result():
    project = ProjectFactory()
    opinion_map, _ = opinion_map_with_votes(project, participants=30)
    client = Client()
    response = client.get(f"{_base(project)}/opinion-map")
    assert response.status_code == 404
    assert "detail" in response.json()
    opinion_map_compute(opinion_map=opinion_map)
    data = client.get(f"{_base(project)}/opinion-map").json()
    assert len(data["groups"]) >= 2
    assert sum(g["size"] for g in data["groups"]) == len(data["participants"]) == 30


def test_voting_twice_keeps_the_latest(client, project):
    statement = StatementFactory(project=project)
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    _vote(client, project, statement.pk, {"vote": "agree"})
    response = _vote(client, project, statement.pk, {"vote": "disagree"})
    assert response.json() == {"statement": statement.pk, "vote": "disagree"}
    assert list(StatementVote.objects.values_list("value", flat=True)) == [-1]


def test_bad_requests_get_a_reason(client, project):
    statement = StatementFactory(project=project)
    # Not logged in.
    response = _vote(client, project, statement.pk, {"vote": "agree"})
    assert response.status_code == 401
    assert response.json()["detail"]
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    for body in ({"vote": "vielleicht"}, {}, {"vote": 1}):
        response = _vote(client, project, statement.pk, body)
        assert response.status_code == 422, body
        assert response.json()["detail"]
    response = client.post(
        f"{_base(project)}/statements/{statement.pk}/vote",
        "{kaputt",
        content_type="application/json",
    )
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    for missing in (999_999, StatementFactory(project=project, status="pending").pk):
        response = _vote(client, project, missing, {"vote": "agree"})
        assert response.status_code == 404
        assert response.json()["detail"]
    response = client.post(
        f"{_base(project)}/statements/abc/vote", {"vote": "agree"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert not StatementVote.objects.exists()


def test_the_rules_apply(client):
    project = ProjectFactory(phase=PhaseKind.DECISION)
    statement = StatementFactory(project=project)
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    response = _vote(client, project, statement.pk, {"vote": "agree"})
    assert response.status_code == 403
    assert "Dialogphase" in response.json()["detail"]
    other = ProjectFactory()
    other_statement = StatementFactory(project=other)
    client.force_login(person_with_role(MunicipalityFactory(), Role.RESIDENT))
    response = _vote(client, other, other_statement.pk, {"vote": "agree"})
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not StatementVote.objects.exists()


def test_session_votes_need_the_csrf_token(project):
    statement = StatementFactory(project=project)
    client = Client(enforce_csrf_checks=True)
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    response = _vote(client, project, statement.pk, {"vote": "agree"})
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not StatementVote.objects.exists()


def test_a_draft_or_unknown_project_takes_no_vote(client):
    draft = ProjectFactory(is_published=False)
    statement = StatementFactory(project=draft)
    client.force_login(person_with_role(draft.municipality, Role.RESIDENT))
    response = _vote(client, draft, statement.pk, {"vote": "agree"})
    assert response.status_code == 404
    assert response.json()["detail"]
    response = client.post(
        f"/api/v1/municipalities/{draft.municipality.slug}/projects/gibt-es-nicht/statements/"
        f"{statement.pk}/vote",
        {"vote": "agree"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not StatementVote.objects.exists()
