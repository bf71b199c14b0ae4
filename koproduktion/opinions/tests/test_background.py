"""A vote's request does the same small work whatever the conversation's size, and the map is
computed afterwards, outside every request, with any task backend."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.opinions import background
from koproduktion.opinions.computation import opinion_map_compute
from koproduktion.opinions.models import OpinionMap, OpinionMapInputs
from koproduktion.opinions.tasks import MIN_INTERVAL, compute_opinion_map
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import opinion_map_with_votes

pytestmark = pytest.mark.django_db


def _computed_map(participants: int, statements: int):
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    opinion_map, items = opinion_map_with_votes(
        project, participants=participants, statements=statements
    )
    opinion_map_compute(opinion_map=opinion_map)
    return project, items


def _vote(client, project, statement) -> int:
    base = f"/api/v1/municipalities/{project.municipality.slug}/projects/{project.slug}"
    response = client.post(
        f"{base}/statements/{statement.pk}/vote",
        {"vote": "agree"},
        content_type="application/json",
    )
    return response.status_code


def _stored(project) -> tuple:
    return (
        OpinionMap.objects.filter(project=project)
        .values_list("computed_at", "computed_version", "votes_at_computation", "result")
        .get()
    )


def test_the_map_stored_right_after_a_vote_is_the_one_from_before(
    client, django_capture_on_commit_callbacks
):
    project, statements = _computed_map(30, 8)
    before = _stored(project)
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    # The callbacks run at commit, as they would at the end of the request.
    with django_capture_on_commit_callbacks(execute=True):
        assert _vote(client, project, statements[0]) == 200
    assert _stored(project) == before
    assert background.held() == [("compute_opinion_map", {"project_id": project.pk})]

    background.run_held()  # what the worker does after the response
    computed_at, version, votes, _result = _stored(project)
    assert votes == before[2] + 1
    assert computed_at > before[0]
    assert version == OpinionMapInputs.objects.get(opinion_map__project=project).version


def _queries_of_a_first_vote(client, project, statement, capture) -> list[str]:
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        assert _vote(client, project, statement) == 200
    return [q["sql"] for q in queries.captured_queries]


def test_a_vote_costs_the_same_queries_in_a_small_and_a_large_conversation(
    client, django_capture_on_commit_callbacks
):
    small, small_statements = _computed_map(10, 5)
    large, large_statements = _computed_map(400, 40)
    in_small = _queries_of_a_first_vote(
        client, small, small_statements[0], django_capture_on_commit_callbacks
    )
    client.logout()
    in_large = _queries_of_a_first_vote(
        client, large, large_statements[0], django_capture_on_commit_callbacks
    )
    assert len(in_small) == len(in_large), "\n".join(in_large)
    assert not any(
        "opinions_statementvote" in sql and "participant_id" not in sql for sql in in_large
    )


def test_with_the_database_queue_a_vote_queues_the_computation_after_the_interval(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    project, statements = _computed_map(20, 5)
    before = _stored(project)
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    with django_capture_on_commit_callbacks(execute=True):
        assert _vote(client, project, statements[0]) == 200
    assert _stored(project) == before
    assert background.held() == []
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path.endswith("compute_opinion_map")
    assert queued.args_kwargs["kwargs"] == {"project_id": project.pk}
    # The previous computation has just started: the next one waits for the interval.
    assert queued.run_after == before[0] + MIN_INTERVAL


def test_a_vote_while_a_computation_runs_queues_the_next_after_the_interval_from_its_start(
    client, settings, django_capture_on_commit_callbacks
):
    """A vote during a computation queues the next one. Counted from the result stored before
    (a minute old here), it would start as soon as the worker is free: under live votes the
    worker computed one map without a pause. It waits the interval from the running one's
    start."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    project, statements = _computed_map(20, 5)
    before = timezone.now()
    compute_opinion_map.call(project_id=project.pk)
    inputs = OpinionMapInputs.objects.get(opinion_map__project=project)
    assert before <= inputs.computation_started_at <= timezone.now()
    opinion_map = OpinionMap.objects.get(project=project)
    # Another computation has started and not yet stored; the stored one is a minute old.
    started = timezone.now()
    OpinionMapInputs.objects.filter(pk=inputs.pk).update(computation_started_at=started)
    OpinionMap.objects.filter(pk=opinion_map.pk).update(
        computed_at=started - datetime.timedelta(minutes=1)
    )
    client.force_login(person_with_role(project.municipality, Role.RESIDENT))
    with django_capture_on_commit_callbacks(execute=True):
        assert _vote(client, project, statements[0]) == 200
    [queued] = DBTaskResult.objects.all()
    assert queued.run_after == started + MIN_INTERVAL


ran_in: list[str] = []
done = threading.Event()


@task()
def note_the_thread() -> None:
    ran_in.append(threading.current_thread().name)
    done.set()


def test_the_in_process_backend_runs_the_work_in_a_thread_of_its_own(settings):
    settings.OPINION_MAP_TASKS_IN_PROCESS = background.THREAD
    ran_in.clear()
    done.clear()
    background.enqueue(note_the_thread, run_after=timezone.now())
    assert done.wait(timeout=30)
    assert ran_in == ["opinion-map-background"]
    assert threading.current_thread().name != ran_in[0]


def test_queued_work_never_runs_in_the_caller_with_the_in_process_backend():
    assert background.runs_in_caller(note_the_thread)
    background.enqueue(note_the_thread)
    assert background.held() == [("note_the_thread", {})]
