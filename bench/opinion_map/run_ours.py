"""Child process: run Koproduktion's opinion-map pipeline on one workload, print JSON.

Timed: building the matrix from vote rows (latest vote wins) and `compute`. Not timed: the
interpreter start, imports and reading the .npz, which the parent's peak-RSS figure includes.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from workloads import load

from koproduktion.opinions.polismath import build_vote_matrix, compute


def run_once(data: dict, rows: np.ndarray, state=None):
    matrix, pids, sids = build_vote_matrix(
        data["participant"][rows],
        data["statement"][rows],
        data["value"][rows],
        data["timestamp"][rows],
    )
    result = compute(
        matrix,
        participant_ids=pids,
        statement_ids=sids,
        moderated_out=np.isin(sids, data["moderated_out"]),
        previous_state=state,
    )
    return result, pids


def main() -> None:
    name, out = sys.argv[1], sys.argv[2]
    replay_ms = float(sys.argv[3]) * 3_600_000 if len(sys.argv) > 3 else None
    data = load(name)
    start = time.perf_counter()
    if replay_ms is None:
        result, pids = run_once(data, np.arange(len(data["value"])))
        updates = 1
    else:
        order = np.argsort(data["timestamp"], kind="stable")
        times = data["timestamp"][order]
        cuts, begin = [], times[0]
        for i, t in enumerate(times):
            if t - begin > replay_ms:
                cuts.append(i)
                begin = t
        cuts.append(len(times))
        state = None
        for cut in cuts:
            result, pids = run_once(data, order[:cut], state)
            state = result.state
        updates = len(cuts)
    seconds = time.perf_counter() - start
    in_conv = result.in_conv
    np.savez(out, ids=pids[in_conv], labels=result.participant_group[in_conv])
    print(
        json.dumps(
            {"seconds": seconds, "k": result.k, "clustered": len(in_conv), "updates": updates}
        )
    )


if __name__ == "__main__":
    main()
