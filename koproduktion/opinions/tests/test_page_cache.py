"""The opinion map's results (page and API) come from the visitors' cache, never stale."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.opinions.background import run_held
from koproduktion.opinions.computation import opinion_map_compute
from koproduktion.opinions.models import Participant, Statement
from koproduktion.opinions.services import statement_moderate, vote_cast
from koproduktion.opinions.tasks import compute_opinion_map
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.projects.tests.page_cache_support import cached, cached_json, fresh, fresh_json

from .factories import StatementFactory, opinion_map_with_votes

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed():
    """A published project with a computed map of two camps."""
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    opinion_map, statements = opinion_map_with_votes(project, participants=30)
    opinion_map_compute(opinion_map=opinion_map)
    return project, opinion_map, statements


def _page(project) -> str:
    return reverse("opinions:results", args=[project.municipality.slug, project.slug])


def _api(project) -> str:
    return f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}/opinion-map"


def test_a_new_vote_shows_as_pending_until_the_computation_ran(
    client, computed, settings, django_capture_on_commit_callbacks
):
    project, _opinion_map, statements = computed
    page = cached(client, _page(project))
    assert "Gruppe A" in page
    assert "Neue Stimmen werden gerade eingerechnet." not in page
    votes_before = cached_json(client, _api(project))["votes"]

    # A queue that keeps the computation waiting, as a busy worker would.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    newcomer = person_with_role(project.municipality, Role.RESIDENT)
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(actor=newcomer, statement=statements[0], value=1)
    assert "Neue Stimmen werden gerade eingerechnet." in fresh(client, _page(project))
    # The API shows the latest computation, which has not changed.
    assert cached_json(client, _api(project))["votes"] == votes_before

    compute_opinion_map.call(project_id=project.pk)
    assert "Neue Stimmen werden gerade eingerechnet." not in fresh(client, _page(project))
    assert fresh_json(client, _api(project))["votes"] == votes_before + 1


def test_a_vote_shows_once_the_background_computation_ran(
    client, computed, django_capture_on_commit_callbacks
):
    project, _opinion_map, statements = computed
    votes_before = cached_json(client, _api(project))["votes"]
    newcomer = person_with_role(project.municipality, Role.RESIDENT)
    with django_capture_on_commit_callbacks(execute=True):
        vote_cast(actor=newcomer, statement=statements[0], value=1)
    assert fresh_json(client, _api(project))["votes"] == votes_before
    run_held()  # the in-process worker's turn
    assert fresh_json(client, _api(project))["votes"] == votes_before + 1


def test_a_rejected_statement_leaves_the_cached_results_at_once(client, computed):
    project, opinion_map, _statements = computed
    shown = Statement.objects.get(
        pk=opinion_map.result["groups"][0]["representative"][0]["statement"]
    )
    Statement.objects.filter(pk=shown.pk).update(text="Eine beleidigende These")
    assert "Eine beleidigende These" in cached(client, _page(project))
    assert shown.pk in _statements_named(cached_json(client, _api(project)))
    moderator = person_with_role(project.municipality, Role.MODERATOR)
    statement_moderate(actor=moderator, statement=shown, accept=False, reason="Regel 2")
    page = fresh(client, _page(project))
    assert "Eine beleidigende These" not in page
    assert "Gruppe A" in page
    named = _statements_named(fresh_json(client, _api(project)))
    assert named
    assert shown.pk not in named


def _statements_named(result: dict) -> set[int]:
    """The statements an API result names anywhere."""
    return (
        {r["statement"] for g in result["groups"] for r in g["representative"]}
        | {c["statement"] for c in result["consensus"]}
        | set(result["divisive"])
    )


def test_a_logged_in_participant_sees_their_own_group(client, computed):
    project, _opinion_map, _statements = computed
    cached(client, _page(project))
    participant = Participant.objects.filter(project=project).first()
    person = person_with_role(project.municipality, Role.RESIDENT)
    participant.user, participant.external_id = person, ""
    participant.save(update_fields=["user", "external_id"])
    client.force_login(person)
    response = client.get(_page(project))
    assert "X-Page-Cache" not in response
    assert "Ihre Gruppe" in response.content.decode()


def test_a_project_without_a_computed_map_is_not_cached_as_a_result(client):
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    StatementFactory(project=project)
    for _ in range(2):
        response = client.get(_api(project))
        assert response.status_code == 404
        assert "X-Page-Cache" not in response
    assert Statement.objects.filter(project=project).exists()
