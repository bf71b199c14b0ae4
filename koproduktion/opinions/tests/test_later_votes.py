"""A later vote, as a request casts it (outside a transaction) on PostgreSQL, is one statement:
the person's participant read, the vote stored and counted, the map's input version raised. What
it writes is what the usual way writes; a first vote takes the usual way, which makes the
participant and records the person's act."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from koproduktion.activity.models import Activity, Kind
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.opinions import services
from koproduktion.opinions.computation import opinion_map_read
from koproduktion.opinions.models import (
    OpinionMapInputs,
    Participant,
    Statement,
    StatementVote,
)
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import opinion_map_with_votes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has no data-modifying WITH"
    ),
]

AGREE, DISAGREE = 1, -1


def _voting():
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    opinion_map, statements = opinion_map_with_votes(project, participants=6, statements=3)
    for statement in statements:
        statement.project = project
    return project, opinion_map, statements, person_with_role(project.municipality, Role.RESIDENT)


def _version(opinion_map) -> int:
    return OpinionMapInputs.objects.get(opinion_map=opinion_map).version


def _count(statement: Statement) -> int:
    return Statement.objects.get(pk=statement.pk).vote_count


def test_a_later_vote_is_stored_counted_and_raises_the_map_in_one_statement():
    project, opinion_map, (first, second, _third), voter = _voting()
    services.vote_cast(actor=voter, statement=first, value=AGREE)  # makes the participant
    participant = Participant.objects.get(project=project, user=voter)
    version, count = _version(opinion_map), _count(second)

    with CaptureQueriesContext(connection) as queries:
        vote = services.vote_cast(actor=voter, statement=second, value=DISAGREE)

    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("WITH", "INSERT", "UPDATE"))
    ]
    assert len(writes) == 1, writes
    stored = StatementVote.objects.get(statement=second, participant=participant)
    assert (stored.pk, stored.value, vote.participant_id) == (vote.pk, DISAGREE, participant.pk)
    assert vote.created_at == stored.created_at
    assert _count(second) == count + 1
    assert _version(opinion_map) == version + 1
    assert Participant.objects.filter(project=project, user=voter).count() == 1
    # The next computation reads the raised version with the vote in it.
    inputs = opinion_map_read(opinion_map=opinion_map)
    assert inputs.version == version + 1
    assert len(inputs.value) == StatementVote.objects.filter(project=project).count()


def test_a_changed_answer_replaces_the_first_keeps_its_time_and_counts_once():
    """And a statement not accepted takes no later vote. (One test: each test that runs outside
    a transaction empties every table after it, some ten seconds on PostgreSQL.)"""
    project, opinion_map, (first, second, third), voter = _voting()
    for statement in (first, second):  # the first makes the participant and records the act
        services.vote_cast(actor=voter, statement=statement, value=AGREE)
    before = StatementVote.objects.get(statement=first, participant__user=voter)
    count, version = _count(first), _version(opinion_map)

    changed = services.vote_cast(actor=voter, statement=first, value=DISAGREE)

    after = StatementVote.objects.get(statement=first, participant__user=voter)
    assert (after.pk, after.value) == (before.pk, DISAGREE)
    assert changed.created_at == after.created_at == before.created_at
    assert after.updated_at > before.updated_at
    assert _count(first) == count
    assert _version(opinion_map) == version + 1
    assert Participant.objects.filter(project=project, user=voter).count() == 1
    assert Activity.objects.filter(user=voter, kind=Kind.STATEMENT_VOTE).count() == 1

    Statement.objects.filter(pk=third.pk).update(status=Statement.Status.PENDING)
    third.status = Statement.Status.PENDING
    with pytest.raises(services.OpinionRefused):
        services.vote_cast(actor=voter, statement=third, value=AGREE)
    assert not StatementVote.objects.filter(statement=third, participant__user=voter).exists()
    assert _version(opinion_map) == version + 1
