from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.opinions import services
from koproduktion.opinions.background import held, run_held
from koproduktion.opinions.computation import opinion_map_compute
from koproduktion.opinions.models import (
    OpinionMap,
    OpinionMapInputs,
    Participant,
    Statement,
    StatementVote,
)
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import OpinionMapFactory, StatementFactory

pytestmark = pytest.mark.django_db

AGREE, DISAGREE, PASS = 1, -1, 0


@pytest.fixture
def project():
    project = ProjectFactory()
    OpinionMapFactory(project=project)
    return project


@pytest.fixture
def resident(project):
    return person_with_role(project.municipality, Role.RESIDENT)


def test_latest_vote_wins_and_is_stored_once(project, resident):
    statement = StatementFactory(project=project)
    services.vote_cast(actor=resident, statement=statement, value=AGREE)
    services.vote_cast(actor=resident, statement=statement, value=DISAGREE)
    services.vote_cast(actor=resident, statement=statement, value=DISAGREE)
    votes = StatementVote.objects.filter(statement=statement)
    assert [v.value for v in votes] == [DISAGREE]
    statement.refresh_from_db()
    assert statement.vote_count == 1


def test_database_refuses_a_second_vote_row(project, resident):
    statement = StatementFactory(project=project)
    vote = services.vote_cast(actor=resident, statement=statement, value=AGREE)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementVote.objects.create(
            municipality=project.municipality,
            project=project,
            statement=statement,
            participant=vote.participant,
            value=PASS,
            created_at=vote.created_at,
            updated_at=vote.updated_at,
        )


@pytest.mark.parametrize("phase", [p for p in PhaseKind if p != PhaseKind.DIALOGUE])
def test_voting_outside_the_dialogue_phase_is_refused(phase):
    project = ProjectFactory(phase=phase)
    statement = StatementFactory(project=project)
    person = person_with_role(project.municipality, Role.RESIDENT)
    with pytest.raises(services.OpinionRefused, match="Dialogphase"):
        services.vote_cast(actor=person, statement=statement, value=AGREE)
    assert not StatementVote.objects.exists()


def test_people_of_another_municipality_are_refused_with_a_reason(project):
    statement = StatementFactory(project=project)
    outsider = person_with_role(MunicipalityFactory(), Role.RESIDENT)
    with pytest.raises(services.OpinionRefused, match="registriert"):
        services.vote_cast(actor=outsider, statement=statement, value=AGREE)
    unconfirmed = person_with_role(project.municipality, Role.RESIDENT, email_confirmed_at=None)
    with pytest.raises(services.OpinionRefused, match="E-Mail"):
        services.vote_cast(actor=unconfirmed, statement=statement, value=AGREE)
    assert not StatementVote.objects.exists()


def test_pending_statements_cannot_be_voted_on(project, resident):
    statement = StatementFactory(project=project, status=Statement.Status.PENDING)
    with pytest.raises(services.OpinionRefused):
        services.vote_cast(actor=resident, statement=statement, value=AGREE)
    assert not StatementVote.objects.exists()


def test_an_unknown_value_is_refused(project, resident):
    statement = StatementFactory(project=project)
    with pytest.raises(ValidationError):
        services.vote_cast(actor=resident, statement=statement, value=5)
    assert not StatementVote.objects.exists()


def test_votes_recompute_the_map_in_the_background(
    project, resident, django_capture_on_commit_callbacks
):
    statement = StatementFactory(project=project)
    with django_capture_on_commit_callbacks(execute=True):
        services.vote_cast(actor=resident, statement=statement, value=AGREE)
    opinion_map = OpinionMap.objects.get(project=project)
    assert opinion_map.computed_at is None
    assert held() == [("compute_opinion_map", {"project_id": project.pk})]
    assert run_held() == 1
    opinion_map = OpinionMap.objects.get(project=project)
    assert opinion_map.computed_at is not None
    assert opinion_map.votes_at_computation == 1
    assert not OpinionMapInputs.objects.get(opinion_map=opinion_map).update_requested_at


def test_a_queued_computation_absorbs_further_votes(
    project, resident, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        "koproduktion.opinions.tasks.enqueue_computation",
        lambda *, project_id: queued.append(project_id),
    )
    statement, other = StatementFactory(project=project), StatementFactory(project=project)
    neighbour = person_with_role(project.municipality, Role.RESIDENT)
    for person, item in [(resident, statement), (neighbour, statement), (resident, other)]:
        with django_capture_on_commit_callbacks(execute=True):
            services.vote_cast(actor=person, statement=item, value=AGREE)
    assert queued == [project.pk]
    assert OpinionMapInputs.objects.get(opinion_map__project=project).update_requested_at


def test_residents_propose_and_moderators_decide(project, resident):
    statement = services.statement_propose(
        actor=resident, project=project, text="  Mehr   Bäume an der Allee  "
    )
    assert statement.status == Statement.Status.PENDING
    assert statement.text == "Mehr Bäume an der Allee"
    moderator = person_with_role(project.municipality, Role.MODERATOR)
    with pytest.raises(services.OpinionRefused):
        services.statement_moderate(actor=resident, statement=statement, accept=True)
    with pytest.raises(ValidationError):
        services.statement_moderate(actor=moderator, statement=statement, accept=False)
    services.statement_moderate(
        actor=moderator, statement=statement, accept=False, reason="Doppelt vorhanden."
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.REJECTED
    assert statement.moderation_reason == "Doppelt vorhanden."


def test_statements_are_short_and_not_duplicated(project, resident):
    with pytest.raises(ValidationError):
        services.statement_propose(actor=resident, project=project, text="x" * 301)
    services.statement_propose(actor=resident, project=project, text="Tempo 30 überall")
    with pytest.raises(ValidationError):
        services.statement_propose(actor=resident, project=project, text="TEMPO 30 überall")


def test_only_moderation_seeds_statements(project, resident):
    with pytest.raises(services.OpinionRefused):
        services.statement_seed(actor=resident, project=project, text="Eine These")
    staff = person_with_role(project.municipality, Role.STAFF)
    seeded = services.statement_seed(actor=staff, project=project, text="Eine These")
    assert seeded.status == Statement.Status.ACCEPTED
    assert seeded.is_seed


@pytest.mark.django_db(transaction=True)
def test_the_map_is_computed_before_the_transaction_that_stores_it(project, resident):
    """On SQLite a transaction holds the one write lock from its start: the math of a large
    map takes seconds, which every idea, comment and vote of the installation would wait."""
    for statement in StatementFactory.create_batch(3, project=project):
        services.vote_cast(actor=resident, statement=statement, value=AGREE)
    inside: list[str] = []

    def watch(execute, sql, params, many, context):
        if connection.in_atomic_block:
            inside.append(sql.split()[0].upper())
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        opinion_map_compute(opinion_map=OpinionMap.objects.get(project=project))
    assert inside
    assert set(inside) <= {"UPDATE", "SAVEPOINT", "RELEASE"}, inside
    assert OpinionMap.objects.get(project=project).votes_at_computation == 3


def _first_vote_meanwhile(person, project):
    """A query wrapper that makes ``person``'s participant right after the vote looked for it
    and found none: their other first vote, sent at the same moment, came first."""
    made = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not made and "opinions_participant" in sql and sql.lstrip().startswith("SELECT"):
            made.append(
                Participant.objects.create(
                    project=project, user=person, municipality_id=project.municipality_id
                )
            )
        return result

    return wrapper, made


def _first_vote_at_the_same_moment_keeps_one_participant(project, resident, *, in_transaction):
    statement = StatementFactory(project=project)
    wrapper, made = _first_vote_meanwhile(resident, project)
    with connection.execute_wrapper(wrapper):
        if in_transaction:
            with transaction.atomic():
                vote = services.vote_cast(actor=resident, statement=statement, value=AGREE)
        else:
            vote = services.vote_cast(actor=resident, statement=statement, value=AGREE)
    assert made, "the other vote's participant was not made in between"
    assert vote.participant_id == made[0].pk
    assert StatementVote.objects.get(statement=statement).participant_id == made[0].pk


def test_a_first_vote_inside_a_transaction_finds_the_participant_made_meanwhile(project, resident):
    _first_vote_at_the_same_moment_keeps_one_participant(project, resident, in_transaction=True)


@pytest.mark.django_db(transaction=True)
def test_a_first_vote_in_a_request_finds_the_participant_made_meanwhile(project, resident):
    # A request runs outside a transaction: the participant's INSERT commits by itself.
    _first_vote_at_the_same_moment_keeps_one_participant(project, resident, in_transaction=False)
