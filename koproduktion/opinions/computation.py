"""Run the opinion-map math on a project's votes and store the result.

Called by the background task (and by the import and export commands); never from a request.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from .models import OpinionMap, Statement, StatementVote
from .polismath import PolisState, build_vote_matrix, compute
from .summary import divisive, group_votes


def _vote_arrays(project_id: int) -> tuple[np.ndarray, ...]:
    rows = list(
        StatementVote.objects.filter(project_id=project_id)
        .order_by()
        .values_list("participant_id", "statement_id", "value", "created_at")
    )
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty.astype(np.int8), empty
    participant, statement, value, created = zip(*rows, strict=True)
    # Milliseconds, like Polis; the times decide which of several votes on a statement counts.
    millis = [round(when.timestamp() * 1000) for when in created]
    return (
        np.array(participant, np.int64),
        np.array(statement, np.int64),
        np.array(value, np.int8),
        np.array(millis, np.int64),
    )


def compute_result(
    *, project_id: int, previous_state: dict[str, Any] | None
) -> tuple[dict[str, Any], dict[int, float], int]:
    """(result JSON, priority per statement id, number of votes) for the project's votes now.

    Statements that are not accepted take part as "moderated out", as in Polis: their votes stay
    in the matrix but are zeroed out of the math.
    """
    # The votes first: read outside a transaction, the statements read after them include
    # every statement voted on (a vote needs its statement to exist).
    participant, statement, value, millis = _vote_arrays(project_id)
    statements = list(
        Statement.objects.filter(project_id=project_id)
        .order_by("pk")
        .values_list("pk", "status", "is_meta")
    )
    all_ids = np.array([pk for pk, _status, _meta in statements], dtype=np.int64)
    matrix, pids, sids = build_vote_matrix(
        participant, statement, value, millis, all_statement_ids=all_ids
    )
    by_id = {pk: (status, meta) for pk, status, meta in statements}
    moderated_out = np.array(
        [by_id[s][0] != Statement.Status.ACCEPTED for s in sids.tolist()], dtype=bool
    )
    meta = np.array([by_id[s][1] for s in sids.tolist()], dtype=bool)
    state = PolisState.from_dict(previous_state) if previous_state else None
    result = compute(
        matrix,
        participant_ids=pids,
        statement_ids=sids,
        moderated_out=moderated_out,
        meta=meta,
        previous_state=state,
    )
    payload = result.to_dict()
    group_ids = [group.id for group in result.groups]
    counts = group_votes(
        result.participant_group,
        matrix.participant,
        matrix.statement,
        matrix.value,
        group_ids,
        matrix.n_statements,
    )
    statement_list = sids.tolist()
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
    priorities = {
        sid: float(p) for sid, p in zip(statement_list, result.priority.tolist(), strict=True)
    }
    return payload, priorities, len(matrix.value)


def opinion_map_compute(*, opinion_map: OpinionMap) -> OpinionMap:
    """Compute ``opinion_map`` from its project's current votes and store the result.

    Continues from the stored Polis state, so groups evolve as in Polis instead of being
    reshuffled by every vote. Reads and computes before the transaction that stores the result:
    on SQLite a transaction holds the database's one write lock from its start
    (settings/database.py), and the math of a large map takes seconds that every write of the
    installation would wait.
    """
    payload, priorities, n_votes = compute_result(
        project_id=opinion_map.project_id, previous_state=opinion_map.state
    )
    opinion_map.state = payload.pop("state")
    opinion_map.result = payload
    opinion_map.computed_at = timezone.now()
    opinion_map.votes_at_computation = n_votes
    statements = list(Statement.objects.filter(project_id=opinion_map.project_id).only("pk"))
    for statement in statements:
        statement.priority = priorities.get(statement.pk)
    with transaction.atomic():
        opinion_map.save(update_fields=["state", "result", "computed_at", "votes_at_computation"])
        Statement.objects.bulk_update(statements, ["priority"], batch_size=500)
    return opinion_map
