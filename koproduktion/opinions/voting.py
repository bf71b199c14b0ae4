"""How a vote is written: hand-written SQL for the most frequent write of a live map.

A vote is stored and counted in one statement (``vote_save``), and the map's input version is
raised with the request for a computation (``inputs_raise``, ``computation_claimed``); a later
vote on PostgreSQL does all of it in one statement (``later_vote_saved``). The services
(``services.vote_cast``, ``services.participant_vote_record``) check who may vote and call these;
nothing else writes votes.
"""

from __future__ import annotations

import datetime
from contextlib import nullcontext
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from koproduktion.projects.models import Project

from .models import OpinionMap, OpinionMapInputs, Participant, Statement, StatementVote

# A queued computation that has not started after this long is presumed lost and queued again.
STALE_REQUEST = datetime.timedelta(minutes=10)


def inputs_raise(project_id: int, *, only_if: str = "") -> tuple[str, list[Any]]:
    """The statement that raises the input version of ``project_id``'s map and claims the
    request for a computation (``services._inputs_changed``); it returns whether it claimed it.
    ``only_if``: a further condition (SQL), for the vote's own statement
    (``later_vote_saved``)."""
    field = OpinionMapInputs._meta.get_field("update_requested_at")
    now = timezone.now()
    claim, stale = (field.get_db_prep_value(t, connection) for t in (now, now - STALE_REQUEST))
    inputs, maps = OpinionMapInputs._meta.db_table, OpinionMap._meta.db_table
    # ``WHERE`` also keeps SQLite from reading ``ON CONFLICT`` as a join's ``ON``.
    sql = (
        f"INSERT INTO {inputs} (opinion_map_id, municipality_id, version, update_requested_at) "  # noqa: S608 - names from the models
        f"SELECT id, municipality_id, 1, %s FROM {maps} WHERE project_id = %s {only_if} "
        "ON CONFLICT (opinion_map_id) DO UPDATE SET version = "
        f"{inputs}.version + 1, update_requested_at = CASE WHEN "
        f"{inputs}.update_requested_at IS NULL OR {inputs}.update_requested_at < %s "
        f"THEN %s ELSE {inputs}.update_requested_at END "
        "RETURNING update_requested_at = %s"
    )
    return sql, [claim, project_id, stale, claim, claim]


def computation_claimed(project_id: int, *, claimed: bool) -> None:
    """Queue the computation whose request a raise of the inputs claimed."""
    from .tasks import enqueue_computation  # noqa: PLC0415 - tasks import the services

    if claimed:
        enqueue_computation(project_id=project_id)


def participant_of(*, project: Project, user: Any) -> Participant:
    """``services.participant_for_user`` for a vote: the person's participant of ``project``,
    its other fields deferred, in one hand-written query; made (``get_or_create``) at their
    first vote."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {Participant._meta.db_table} "  # noqa: S608 - names from the model
            "WHERE project_id = %s AND user_id = %s",
            [project.pk, user.pk],
        )
        row = cursor.fetchone()
    if row is None:  # their first vote here: made as get_or_create would, without its read
        # In a request (no transaction) the INSERT commits by itself and a conflict harms
        # nothing; inside a transaction, a savepoint keeps a conflict from breaking it.
        made = transaction.atomic() if connection.in_atomic_block else nullcontext()
        try:
            with made:
                return Participant.objects.create(
                    project=project, user=user, municipality_id=project.municipality_id
                )
        except IntegrityError:  # made by a vote of theirs at the same moment
            return Participant.objects.get(project=project, user=user)
    return Participant.from_db(
        connection.alias,
        ["id", "municipality_id", "project_id", "user_id"],
        (row[0], project.municipality_id, project.pk, user.pk),
    )


def new_vote(
    statement: Statement, value: int, participant: Participant | None = None
) -> StatementVote:
    """An answer to ``statement`` given now, to be stored (a new answer's ``created_at`` is its
    ``updated_at``)."""
    project = statement.project
    now = timezone.now()
    return StatementVote(
        municipality_id=project.municipality_id,
        project=project,
        statement=statement,
        participant=participant,
        value=value,
        created_at=now,
        updated_at=now,
    )


_VOTE_COLUMNS = (
    "municipality_id",
    "project_id",
    "statement_id",
    "participant_id",
    "value",
    "created_at",
    "updated_at",
)


def vote_save(vote: StatementVote) -> bool:
    """Store ``vote``, replacing its person's earlier answer to its statement, and count a new
    answer in its statement's ``vote_count``; whether it is new.

    A vote is the most frequent write of a live map, so it is hand-written: one upsert that
    tells a new answer from a changed one (a new row's ``created_at`` is its ``updated_at``;
    a changed one keeps the time of the first), and the count raised for a new one. On
    PostgreSQL both are one statement (a data-modifying ``WITH``), atomic without a transaction
    of its own; on SQLite, which has no such statement, they are two in one transaction. Where
    ``update_or_create`` took five statements (a savepoint each for the lock and the insert),
    the usual vote takes one. ``vote`` gets its id and, for a changed answer, the time of the
    first. (A later vote outside a transaction on PostgreSQL takes ``later_vote_saved``.)
    """
    params = _vote_params(vote)
    upsert = _vote_upsert(f"VALUES ({', '.join(['%s'] * len(_VOTE_COLUMNS))})")
    count = _vote_counted()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH vote AS ({upsert}), counted AS ({count} AND (SELECT new FROM vote)) "  # noqa: S608 - of the models' names
                "SELECT id, created_at, new FROM vote",
                [*params, vote.statement_id],
            )
            vote.pk, first, new = cursor.fetchone()
            vote.created_at = first
            return bool(new)
        with transaction.atomic():
            cursor.execute(upsert, params)
            vote.pk, _first, new = cursor.fetchone()  # SQLite's time is text: read below
            if new:
                cursor.execute(count, [vote.statement_id])
    if not new:
        vote.refresh_from_db(fields=["created_at"])
    return bool(new)


def _vote_counted() -> str:
    """The statement that counts a new answer in its statement's ``vote_count``."""
    return f"UPDATE {Statement._meta.db_table} SET vote_count = vote_count + 1 WHERE id = %s"  # noqa: S608 - the model's name


def _vote_params(vote: StatementVote) -> list[Any]:
    fields = [StatementVote._meta.get_field(c.removesuffix("_id")) for c in _VOTE_COLUMNS]
    return [field.get_db_prep_save(getattr(vote, field.attname), connection) for field in fields]


def _vote_upsert(rows: str) -> str:
    """The upsert of a vote whose columns (``_VOTE_COLUMNS``) are ``rows`` (``VALUES …`` or a
    ``SELECT``): it returns the vote's id, the time of the person's first answer to the
    statement, and whether this answer is new (a new row's ``created_at`` is its
    ``updated_at``; a changed one keeps the time of the first)."""
    return (
        f"INSERT INTO {StatementVote._meta.db_table} ({', '.join(_VOTE_COLUMNS)}) {rows} "
        "ON CONFLICT (statement_id, participant_id) DO UPDATE "
        "SET value = excluded.value, updated_at = excluded.updated_at "
        "RETURNING id, created_at, created_at = updated_at AS new"
    )


def later_vote_saved(*, user: Any, statement: Statement, value: int) -> StatementVote | None:
    """``user``'s vote on ``statement``, where they have voted in its map before, on PostgreSQL
    and outside a transaction: in one statement. None where it does not apply (SQLite, inside a
    transaction, the person's first vote in the map): the vote is then recorded as
    ``services.participant_vote_record`` does.

    What the usual way takes four statements for (the person's participant, the vote with its
    count, and after the commit the raise of the map's input version) is one ``WITH``: the
    participant is read, the vote stored and counted, and the version raised only if a vote was
    stored. The statement commits by itself, so it holds the map's inputs row no longer than the
    raise after a commit does (``services._inputs_changed``), and a computation that reads the
    raised version reads the vote with it. A first vote finds no participant and stores
    nothing; the usual way makes the participant, which records the person's act.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    project = statement.project
    vote = new_vote(statement, value)
    # The columns as ``_vote_params`` gives them, the participant read in the statement.
    rows = ", ".join("participant.id" if c == "participant_id" else "%s" for c in _VOTE_COLUMNS)
    params = [
        p for c, p in zip(_VOTE_COLUMNS, _vote_params(vote), strict=True) if c != "participant_id"
    ]
    raise_sql, raise_params = inputs_raise(project.pk, only_if="AND EXISTS (SELECT 1 FROM vote)")
    upsert = _vote_upsert(f"SELECT {rows} FROM participant")  # noqa: S608 - placeholders only
    sql = (
        f"WITH participant AS (SELECT id FROM {Participant._meta.db_table} "  # noqa: S608 - names from the models
        "WHERE project_id = %s AND user_id = %s), "
        f"vote AS ({upsert}), "
        f"counted AS ({_vote_counted()} AND (SELECT new FROM vote)), "
        f"raised AS ({raise_sql}) "
        "SELECT vote.id, vote.created_at, vote.new, participant.id, (SELECT * FROM raised) "
        "FROM vote, participant"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [project.pk, user.pk, *params, statement.pk, *raise_params])
        row = cursor.fetchone()
    if row is None:
        return None
    vote.pk, vote.created_at, _new, vote.participant_id, claimed = row
    computation_claimed(project.pk, claimed=bool(claimed))
    return vote
