"""What the results page needs beyond the Polis result: votes per group and where groups split.

Django-free like ``polismath``: arrays in, plain JSON out.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# A statement shows as divisive only if each compared group has this many votes on it ...
MIN_SEEN_PER_GROUP = 3
# ... and the groups' net agreement ((agree − disagree) / seen) differs by at least this much.
MIN_SPREAD = 0.5
MAX_DIVISIVE = 5


def group_votes(  # noqa: PLR0917 - the matrix's three arrays travel together
    participant_group: np.ndarray,
    rows: np.ndarray,
    columns: np.ndarray,
    values: np.ndarray,
    group_ids: list[int],
    n_statements: int,
) -> np.ndarray:
    """Counts of (agree, disagree, seen) per group and statement, shape (groups, statements, 3).

    ``participant_group`` gives each matrix row its group id (-1 if not clustered); the votes are
    (row, column, value) triples.
    """
    out = np.zeros((len(group_ids), n_statements, 3), dtype=np.int64)
    if not group_ids or not len(values):
        return out
    index_of = {g: i for i, g in enumerate(group_ids)}
    lookup = np.full(int(participant_group.max(initial=-1)) + 2, -1, dtype=np.int64)
    for g, i in index_of.items():
        lookup[g] = i
    group_of_vote = lookup[participant_group[rows]]
    keep = group_of_vote >= 0
    g, s, v = group_of_vote[keep], columns[keep], values[keep]
    flat = g * n_statements + s
    size = len(group_ids) * n_statements
    out[:, :, 0] = np.bincount(flat, weights=v == 1, minlength=size).reshape(-1, n_statements)
    out[:, :, 1] = np.bincount(flat, weights=v == -1, minlength=size).reshape(-1, n_statements)
    out[:, :, 2] = np.bincount(flat, minlength=size).reshape(-1, n_statements)
    return out


def divisive(counts: np.ndarray, statement_ids: list[Any], excluded: np.ndarray) -> list[dict]:
    """The statements on which groups disagree most, by the spread of their net agreement."""
    if counts.shape[0] < 2:
        return []
    agree, disagree, seen = counts[:, :, 0], counts[:, :, 1], counts[:, :, 2]
    with np.errstate(invalid="ignore", divide="ignore"):
        net = np.where(seen >= MIN_SEEN_PER_GROUP, (agree - disagree) / seen, np.nan)
    enough = (~np.isnan(net)).sum(axis=0) >= 2
    spread = np.zeros(net.shape[1])
    spread[enough] = np.nanmax(net[:, enough], axis=0) - np.nanmin(net[:, enough], axis=0)
    spread[excluded] = 0
    order = np.argsort(-spread, kind="stable")
    return [
        {"statement": statement_ids[j], "spread": float(spread[j])}
        for j in order[:MAX_DIVISIVE].tolist()
        if spread[j] >= MIN_SPREAD
    ]
