"""Replay a conversation's votes in time order through the incremental computation.

Polis never computes a conversation from scratch: its math server polls for new votes every
second (`:poller {:votes {:polling-interval 1000}}` in `math/src/polismath/components/config.clj`)
and folds everything that arrived into one update that continues from the previous state. The
groups it records are the end of that path. `replay` retraces it from the vote times alone:

- the first vote after a computation triggers the next one, which runs at once if at least
  `min_interval_ms` passed since the previous computation, otherwise when that interval ends;
- a computation sees every vote cast up to its own time (the latest vote per pair counts) and
  continues from the previous `state`, as our platform's debounced background task does.

What an export does not record cannot be replayed: statements are treated as moderated the way
they ended up, and restarts of Polis's math server are unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .pipeline import compute
from .result import OpinionMapResult
from .state import PolisState
from .votes import build_vote_matrix

POLIS_POLL_MS = 1000  # Polis's vote polling interval: the cadence `replay` defaults to


@dataclass(frozen=True)
class Replay:
    result: OpinionMapResult  # the last computation
    participant_ids: np.ndarray  # row ids of the last computation's matrix
    statement_ids: np.ndarray  # column ids of the last computation's matrix
    updates: int  # computations run
    last_time: int  # time (ms) of the last computation


def computation_times(timestamps: np.ndarray, min_interval_ms: float) -> np.ndarray:
    """When the computations run, given the vote times (any order) and the minimum interval.

    A vote at time t after the previous computation at c triggers a computation at
    max(t, c + min_interval_ms); it includes every vote up to that time.
    """
    times = np.sort(np.asarray(timestamps, dtype=np.int64))
    out: list[int] = []
    i, n, last = 0, len(times), None
    while i < n:
        at = int(times[i]) if last is None else max(int(times[i]), last + int(min_interval_ms))
        out.append(at)
        i = int(np.searchsorted(times, at, side="right"))
        last = at
    return np.array(out, dtype=np.int64)


def replay(
    participant_ids: np.ndarray,
    statement_ids: np.ndarray,
    values: np.ndarray,
    timestamps: np.ndarray,
    *,
    min_interval_ms: float = POLIS_POLL_MS,
    moderated_out_ids: np.ndarray | None = None,
    meta_ids: np.ndarray | None = None,
    previous_state: PolisState | None = None,
    first_at: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Replay:
    """Compute the map at every `computation_times` point, each continuing from the last state.

    Statements exist in the matrix from their first vote on, as in Polis. With `first_at` (ms),
    the first computation takes every vote up to that time at once (as a computation from
    scratch or a restart would) and the cadence applies to the votes after it. `progress(done,
    total)` is called after each computation, if given.
    """
    participant_ids = np.asarray(participant_ids)
    statement_ids = np.asarray(statement_ids)
    values = np.asarray(values)
    timestamps = np.asarray(timestamps, dtype=np.int64)
    if len(values) == 0:
        raise ValueError("nothing to replay: no votes")
    order = np.argsort(timestamps, kind="stable")
    p, s, v, t = participant_ids[order], statement_ids[order], values[order], timestamps[order]
    out_ids = np.zeros(0, np.int64) if moderated_out_ids is None else np.asarray(moderated_out_ids)
    meta = np.zeros(0, np.int64) if meta_ids is None else np.asarray(meta_ids)
    if first_at is None:
        when = computation_times(t, min_interval_ms)
    else:
        later = computation_times(t[t > first_at], min_interval_ms)
        when = np.concatenate([np.array([first_at], np.int64), later])
    ends = np.searchsorted(t, when, side="right")
    state = previous_state
    result = pids = sids = None
    for done, end in enumerate(ends.tolist(), start=1):
        matrix, pids, sids = build_vote_matrix(p[:end], s[:end], v[:end], t[:end])
        result = compute(
            matrix,
            participant_ids=pids,
            statement_ids=sids,
            moderated_out=np.isin(sids, out_ids),
            meta=np.isin(sids, meta),
            previous_state=state,
        )
        state = result.state
        if progress is not None:
            progress(done, len(ends))
    return Replay(result, pids, sids, len(ends), int(when[-1]))
