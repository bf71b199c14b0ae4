"""Run the opinion-map math on a project's votes and store the result.

Called by the background task (and by the import and the commands); never from a request
(``background``). Three steps: ``opinion_map_read`` takes the map's input version and then its
votes and statements, ``compute_result`` does the math, ``opinion_map_store`` stores the result
unless a result computed from newer input is stored already. So two computations of the same
map may run at once (two workers, a worker and a command) without the slower one putting an
older picture back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import OpinionMap, Statement, StatementVote
from .polismath import PolisState, build_vote_matrix, compute
from .summary import divisive, group_votes

# Read in chunks, so 2 million votes never sit in memory as Python tuples.
_CHUNK = 100_000
_VOTES_SQL = (
    "SELECT participant_id, statement_id, value "  # noqa: S608 - the model's table name
    f"FROM {StatementVote._meta.db_table} WHERE project_id = %s"
)
# On PostgreSQL the votes come as one bytea of fixed-size records (participant and statement
# as int8, the value as int2, big-endian), which numpy reads without a Python object per vote:
# row by row, 2 million votes take seconds in the driver alone.
_VOTE_RECORD = np.dtype([("participant", ">i8"), ("statement", ">i8"), ("value", ">i2")])
_VOTES_AS_BYTES = (
    "SELECT string_agg(int8send(participant_id) || int8send(statement_id) "  # noqa: S608
    f"|| int2send(value), '') FROM {StatementVote._meta.db_table} WHERE project_id = %s"
)


# A statement's priority, unless a newer result than the one it comes from was stored meanwhile.
_PRIORITY_SQL = (
    f"UPDATE {Statement._meta.db_table} SET priority = %s WHERE id = %s "  # noqa: S608
    f"AND EXISTS (SELECT 1 FROM {OpinionMap._meta.db_table} "
    "WHERE id = %s AND computed_version = %s)"
)


@dataclass(frozen=True)
class ComputationInput:
    """What one computation read: the map's input version first, then votes and statements."""

    project_id: int
    version: int
    read_at: datetime.datetime
    participant: np.ndarray
    statement: np.ndarray
    value: np.ndarray
    statements: list[tuple[int, str, bool]]  # (id, status, is_meta) of every statement
    previous_state: dict[str, Any] | None


@dataclass(frozen=True)
class ComputedResult:
    payload: dict[str, Any]
    state: dict[str, Any]
    priorities: dict[int, float]
    votes: int


def _vote_arrays_postgresql(project_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import psycopg  # noqa: PLC0415 - only on PostgreSQL

    connection.ensure_connection()
    # A cursor of psycopg's own: Django's binds parameters on the client, which allows no
    # results in binary, and the bytea would come as hexadecimal text twice its size.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(_VOTES_AS_BYTES, [project_id], binary=True)
        data = cursor.fetchone()[0] or b""
    rows = np.frombuffer(data, dtype=_VOTE_RECORD)
    return (
        rows["participant"].astype(np.int64),
        rows["statement"].astype(np.int64),
        rows["value"].astype(np.int8),
    )


def _vote_arrays(project_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(participant, statement, value) of every vote of the project: one row per pair."""
    if connection.vendor == "postgresql":
        return _vote_arrays_postgresql(project_id)
    chunks = []
    with connection.cursor() as cursor:
        cursor.execute(_VOTES_SQL, [project_id])
        while rows := cursor.fetchmany(_CHUNK):
            chunks.append(np.array(rows, dtype=np.int64).reshape(-1, 3))
    if not chunks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty.astype(np.int8)
    table = np.concatenate(chunks)
    return table[:, 0].copy(), table[:, 1].copy(), table[:, 2].astype(np.int8)


def opinion_map_read(*, opinion_map: OpinionMap) -> ComputationInput:
    """Read the map's input: its version first, then the votes, then the statements.

    Outside a transaction: every change counted in the version read first has committed, so
    the votes read after it include it (and perhaps a few more). The statements come after the
    votes, so every statement voted on is there.
    """
    version, state = (
        OpinionMap.objects.filter(pk=opinion_map.pk)
        .values_list(Coalesce("inputs__version", 0), "state")
        .get()
    )
    read_at = timezone.now()
    participant, statement, value = _vote_arrays(opinion_map.project_id)
    statements = list(
        Statement.objects.filter(project_id=opinion_map.project_id)
        .order_by("pk")
        .values_list("pk", "status", "is_meta")
    )
    return ComputationInput(
        project_id=opinion_map.project_id,
        version=version,
        read_at=read_at,
        participant=participant,
        statement=statement,
        value=value,
        statements=statements,
        previous_state=state,
    )


def admitted(
    participant: np.ndarray, statement: np.ndarray, statement_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Polis's caps: which votes the math takes, and how many participants and statements
    are left out.

    The first ``OPINION_MAP_MAX_PARTICIPANTS`` people to vote (participant rows are created at a
    person's first vote, imported ones in Polis's order) and the first
    ``OPINION_MAP_MAX_STATEMENTS`` statements are counted; the votes of later ones are kept but
    not part of the map. Returns (mask of the votes taken, statement ids taken, participants
    left out, statements left out).
    """
    max_people = settings.OPINION_MAP_MAX_PARTICIPANTS
    max_statements = settings.OPINION_MAP_MAX_STATEMENTS
    keep = np.ones(len(participant), dtype=bool)
    people = np.unique(participant)
    people_out = max(len(people) - max_people, 0)
    if people_out:
        keep &= participant <= people[max_people - 1]
    statements_out = max(len(statement_ids) - max_statements, 0)
    if statements_out:
        statement_ids = np.sort(statement_ids)[:max_statements]
        keep &= statement <= statement_ids[-1]
    return keep, statement_ids, people_out, statements_out


def compute_result(inputs: ComputationInput) -> ComputedResult:
    """The math on what was read, plus what the results page needs besides.

    Statements that are not accepted take part as "moderated out", as in Polis: their votes stay
    in the matrix but are zeroed out of the math.
    """
    all_ids = np.array([pk for pk, _status, _meta in inputs.statements], dtype=np.int64)
    keep, all_ids, people_out, statements_out = admitted(
        inputs.participant, inputs.statement, all_ids
    )
    participant, statement, value = (
        inputs.participant[keep],
        inputs.statement[keep],
        inputs.value[keep],
    )
    matrix, pids, sids = build_vote_matrix(
        participant, statement, value, None, all_statement_ids=all_ids
    )
    by_id = {pk: (status, meta) for pk, status, meta in inputs.statements}
    statement_list = sids.tolist()
    moderated_out = np.array(
        [by_id[s][0] != Statement.Status.ACCEPTED for s in statement_list], dtype=bool
    )
    meta = np.array([by_id[s][1] for s in statement_list], dtype=bool)
    previous = inputs.previous_state
    result = compute(
        matrix,
        participant_ids=pids,
        statement_ids=sids,
        moderated_out=moderated_out,
        meta=meta,
        previous_state=PolisState.from_dict(previous) if previous else None,
    )
    payload = result.to_dict()
    state = payload.pop("state")
    group_ids = [group.id for group in result.groups]
    counts = group_votes(
        result.participant_group,
        matrix.participant,
        matrix.statement,
        matrix.value,
        group_ids,
        matrix.n_statements,
    )
    payload["group_votes"] = {
        str(sid): counts[:, j, :].tolist() for j, sid in enumerate(statement_list)
    }
    payload["divisive"] = divisive(counts, statement_list, result.excluded)
    totals = np.zeros((matrix.n_statements, 3), dtype=np.int64)
    for k, v in enumerate((1, -1)):
        totals[:, k] = np.bincount(
            matrix.statement, weights=matrix.value == v, minlength=matrix.n_statements
        )
    totals[:, 2] = np.bincount(matrix.statement, minlength=matrix.n_statements)
    payload["totals"] = {str(sid): totals[j].tolist() for j, sid in enumerate(statement_list)}
    payload["left_out"] = {"participants": people_out, "statements": statements_out}
    payload["voters"] = int(matrix.n_participants)
    priorities = {
        sid: float(p) for sid, p in zip(statement_list, result.priority.tolist(), strict=True)
    }
    return ComputedResult(payload, state, priorities, len(matrix.value))


def opinion_map_store(
    *, opinion_map: OpinionMap, inputs: ComputationInput, computed: ComputedResult
) -> bool:
    """Store ``computed`` unless a result from the same or newer input is stored already.

    One conditional UPDATE decides, so two computations storing at once cannot both win: the
    database runs them one after the other, and the second finds the first's version.
    ``computed_at`` is the time the votes were read, the moment the picture shows. Returns
    whether it was stored.

    The statements' priorities follow, each row on its own and only while this result is the
    stored one. Not in the result's transaction: a vote locks its statement's row (the count)
    and then the map's row (the input version), so a transaction holding the map's row while it
    waits for statements' rows would deadlock with the voters. Priorities only weigh which
    statement is shown next, so a moment in which some are from the previous result is harmless.
    """
    with transaction.atomic():
        stored = (
            OpinionMap.objects.filter(pk=opinion_map.pk)
            .filter(Q(computed_version__isnull=True) | Q(computed_version__lt=inputs.version))
            .update(
                state=computed.state,
                result=computed.payload,
                computed_at=inputs.read_at,
                votes_at_computation=computed.votes,
                computed_version=inputs.version,
            )
        )
    if stored:
        # 0 for statements past Polis's cap: they cannot count, so they are not shown. One
        # statement sent many times (psycopg pipelines it); Django's bulk_update builds a CASE
        # of every row, which takes longer than the math's slower steps.
        priorities = [
            (computed.priorities.get(pk, 0.0), pk, opinion_map.pk, inputs.version)
            for pk, _status, _meta in inputs.statements
        ]
        with connection.cursor() as cursor:
            cursor.executemany(_PRIORITY_SQL, priorities)
        opinion_map.state = computed.state
        opinion_map.result = computed.payload
        opinion_map.computed_at = inputs.read_at
        opinion_map.votes_at_computation = computed.votes
        opinion_map.computed_version = inputs.version
    return bool(stored)


def opinion_map_compute(*, opinion_map: OpinionMap) -> OpinionMap:
    """Compute ``opinion_map`` from its project's current votes and store the result.

    Continues from the stored Polis state, so groups evolve as in Polis instead of being
    reshuffled by every vote. Reads and computes before the transaction that stores the result:
    on SQLite a transaction holds the database's one write lock from its start
    (settings/database.py), and the math of a large map takes seconds that every write of the
    installation would wait. If a newer result was stored meanwhile, that one stays.
    """
    inputs = opinion_map_read(opinion_map=opinion_map)
    computed = compute_result(inputs)
    if not opinion_map_store(opinion_map=opinion_map, inputs=inputs, computed=computed):
        opinion_map.refresh_from_db()
    return opinion_map
