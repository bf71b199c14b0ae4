"""The participant × statement vote matrix the opinion-map math works on.

Votes are kept as three parallel arrays (row, column, value) instead of a dense matrix: a
conversation with 50,000 participants and 1,000 statements has 50 million cells but only a few
million votes, and "not seen" must stay distinguishable from "pass" (both would be 0 in a
plain scipy.sparse matrix, which drops explicit zeros on many operations).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

AGREE = 1
DISAGREE = -1
PASS = 0


@dataclass(frozen=True)
class VoteMatrix:
    """One vote per (participant, statement): agree = 1, disagree = -1, pass = 0.

    Row order matters: base clusters are seeded from the first distinct positions in row
    order, as in Polis, so rows should follow Polis's order (see `build_vote_matrix`).
    """

    participant: np.ndarray  # int64 row index of each vote
    statement: np.ndarray  # int64 column index of each vote
    value: np.ndarray  # int8, one of -1, 0, 1
    n_participants: int
    n_statements: int

    def __post_init__(self) -> None:
        n = len(self.value)
        if len(self.participant) != n or len(self.statement) != n:
            raise ValueError("participant, statement and value must have the same length")
        if n and not np.isin(self.value, (-1, 0, 1)).all():
            raise ValueError("vote values must be -1, 0 or 1")
        if n and (self.participant.min() < 0 or self.participant.max() >= self.n_participants):
            raise ValueError("participant index out of range")
        if n and (self.statement.min() < 0 or self.statement.max() >= self.n_statements):
            raise ValueError("statement index out of range")

    @classmethod
    def from_arrays(
        cls,
        participant: np.ndarray,
        statement: np.ndarray,
        value: np.ndarray,
        *,
        n_participants: int | None = None,
        n_statements: int | None = None,
        timestamp: np.ndarray | None = None,
    ) -> VoteMatrix:
        """Build the matrix from vote rows; if a pair was voted on twice the latest vote wins.

        Without timestamps the later row in the input wins, so rows must then be in the order
        the votes were cast.
        """
        p = np.asarray(participant, dtype=np.int64)
        s = np.asarray(statement, dtype=np.int64)
        v = np.asarray(value, dtype=np.int8)
        keep = latest_vote_rows(p, s, timestamp)
        p, s, v = p[keep], s[keep], v[keep]
        n_p = int(p.max()) + 1 if n_participants is None else n_participants
        n_s = int(s.max()) + 1 if n_statements is None else n_statements
        if len(p) == 0:
            n_p = n_participants or 0
            n_s = n_statements or 0
        return cls(p, s, v, n_p, n_s)

    def _csr(self, data: np.ndarray) -> sp.csr_matrix:
        return sp.csr_matrix(
            (data, (self.participant, self.statement)),
            shape=(self.n_participants, self.n_statements),
        )

    def seen(self) -> sp.csr_matrix:
        """1 where a participant voted (passes included), as float64."""
        return self._csr(np.ones(len(self.value)))

    def agrees(self) -> sp.csr_matrix:
        return self._csr((self.value == AGREE).astype(np.float64))

    def disagrees(self) -> sp.csr_matrix:
        return self._csr((self.value == DISAGREE).astype(np.float64))

    def votes_per_participant(self) -> np.ndarray:
        return np.bincount(self.participant, minlength=self.n_participants)

    def votes_per_statement(self) -> np.ndarray:
        return np.bincount(self.statement, minlength=self.n_statements)


def latest_vote_rows(
    participant: np.ndarray, statement: np.ndarray, timestamp: np.ndarray | None = None
) -> np.ndarray:
    """Indices of the rows that hold each (participant, statement) pair's latest vote.

    Ties in timestamp go to the later row, so re-importing the same export is stable. The
    result is sorted by (participant, statement), which makes the CSR build cheap.
    """
    n = len(participant)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    when = np.arange(n) if timestamp is None else np.asarray(timestamp)
    participant = np.asarray(participant, dtype=np.int64)
    statement = np.asarray(statement, dtype=np.int64)
    width = int(statement.max()) + 1
    if int(participant.max()) < 2**62 // width and participant.min() >= 0 and statement.min() >= 0:
        # One int64 key per pair: a two-key sort is several times faster than four keys.
        pair = participant * width + statement
        if timestamp is None and int(pair.max()) < 2**62 // n:
            # The later row wins: the key (pair, row) in one int64, sorted by value (no sort of
            # indices, ten times faster than ``lexsort`` for the 2 million votes of a map).
            keyed = np.sort(pair * n + np.arange(n))
            order, pair_sorted = keyed % n, keyed // n
        else:
            order = np.lexsort((when, pair))  # stable, so equal times keep input order
            pair_sorted = pair[order]
        last_of_pair = np.ones(n, dtype=bool)
        last_of_pair[:-1] = pair_sorted[1:] != pair_sorted[:-1]
        return order[last_of_pair]
    order = np.lexsort((when, statement, participant))
    p_sorted = participant[order]
    s_sorted = statement[order]
    last_of_pair = np.ones(n, dtype=bool)
    last_of_pair[:-1] = (p_sorted[1:] != p_sorted[:-1]) | (s_sorted[1:] != s_sorted[:-1])
    return order[last_of_pair]


def build_vote_matrix(
    participant_ids: np.ndarray,
    statement_ids: np.ndarray,
    values: np.ndarray,
    timestamps: np.ndarray | None = None,
    *,
    all_statement_ids: np.ndarray | None = None,
) -> tuple[VoteMatrix, np.ndarray, np.ndarray]:
    """Map arbitrary participant/statement ids to matrix indices, keeping the latest votes.

    Returns (matrix, participant ids by row, statement ids by column). Rows are in the order in
    which Polis builds its matrix when it loads a conversation: it reads the votes ordered by
    statement, participant and time (`ORDER BY zid, tid, pid, created` in its math server and
    in its export) and appends a row for each participant as they first appear. So a row's
    place is decided by the lowest statement id the participant voted on, then by participant
    id; the row order of Polis's own `participants-votes.csv` is exactly this. Columns are
    sorted by id; `all_statement_ids` adds columns for statements without votes so that every
    statement gets a priority. Timestamps only decide which of several votes on the same
    statement counts (the latest).
    """
    participant_ids = np.asarray(participant_ids)
    statement_ids = np.asarray(statement_ids)
    values = np.asarray(values)
    n = len(values)
    when = np.arange(n) if timestamps is None else np.asarray(timestamps)

    extra = np.zeros(0, dtype=np.int64) if all_statement_ids is None else all_statement_ids
    uniq_s, col_of = _codes(np.concatenate([np.asarray(extra), statement_ids]))
    cols = col_of[len(extra) :]

    uniq_p, p_inverse = _codes(participant_ids)
    first_column = np.full(len(uniq_p), len(uniq_s), dtype=np.int64)
    np.minimum.at(first_column, p_inverse, cols)
    row_order = np.lexsort((np.arange(len(uniq_p)), first_column))
    row_of_unique = np.empty(len(uniq_p), dtype=np.int64)
    row_of_unique[row_order] = np.arange(len(uniq_p))
    rows = row_of_unique[p_inverse]

    matrix = VoteMatrix.from_arrays(
        rows,
        cols,
        values,
        n_participants=len(uniq_p),
        n_statements=len(uniq_s),
        timestamp=None if timestamps is None else when,
    )
    return matrix, uniq_p[row_order], uniq_s


# Ids within a range this much larger than their number are coded with a table (below).
_TABLE_SPAN = 4


def _codes(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(ids, return_inverse=True)``: the ids sorted without repeats, and each id's
    place among them. Ids of a database lie close together (a project's statements and
    participants), so where their range is at most a few times their number a table of the
    range answers in one pass, without sorting (a tenth of the time for 2 million votes)."""
    if len(ids) == 0 or ids.dtype.kind not in "iu":
        return np.unique(ids, return_inverse=True)
    low, high = int(ids.min()), int(ids.max())
    if high - low >= max(_TABLE_SPAN * len(ids), 1 << 16):
        return np.unique(ids, return_inverse=True)
    offset = ids.astype(np.int64) - low
    present = np.zeros(high - low + 1, dtype=bool)
    present[offset] = True
    place = np.cumsum(present) - 1
    return (np.flatnonzero(present) + low).astype(ids.dtype), place[offset]
