"""Experiment: replay the sample conversations' votes in time order at several cadences.

    python bench/opinion_map_replay.py                       # every conversation and cadence
    python bench/opinion_map_replay.py --seconds 1 60        # only these minimum intervals
    python bench/opinion_map_replay.py --only vtaiwan.uberx

Rule for every cadence D: the first vote after a computation triggers the next one, at once if
at least D seconds passed since the previous computation, else when D seconds are over; each
computation sees every vote up to its time and continues from the previous state
(`polismath.replay`). D = 1 s is Polis's own vote polling interval, 10 s our platform's
`MIN_INTERVAL` when this was first run (5 s since). Runs in this one process, one replay at a time. For each conversation and D it
prints (and appends to bench/out/opinion_map_replay.jsonl) the number of computations, the wall
time, k, the clustered participants and the adjusted Rand index against Polis's `group-id`;
then the ARI between the partitions of neighbouring cadences, to show how stable the end state is.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from koproduktion.opinions.polis_export import SAMPLE_CONVERSATIONS, read_polis_export
from koproduktion.opinions.polismath import adjusted_rand_index, compute
from koproduktion.opinions.polismath.replay import replay

CONVERSATIONS = ("15-per-hour-seattle", "vtaiwan.uberx")
SECONDS = (1, 5, 10, 60, 600, 3600)
OUT = ROOT / "bench" / "out" / "opinion_map_replay.jsonl"


def groups_of(result, pids) -> dict[int, int]:
    return {int(pids[i]): int(result.participant_group[i]) for i in result.in_conv}


def ari(a: dict[int, int], b: dict[int, int]) -> tuple[float, int]:
    common = sorted(set(a) & set(b))
    return adjusted_rand_index(
        np.array([a[p] for p in common]), np.array([b[p] for p in common])
    ), len(common)


def single(export) -> tuple[dict[int, int], float, int]:
    start = time.perf_counter()
    matrix, pids, sids, mod_out = export.vote_matrix()
    result = compute(matrix, participant_ids=pids, statement_ids=sids, moderated_out=mod_out)
    return groups_of(result, pids), time.perf_counter() - start, result.k


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=CONVERSATIONS)
    parser.add_argument("--seconds", nargs="*", type=float, default=SECONDS)
    args = parser.parse_args()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    for name in args.only:
        export = read_polis_export(SAMPLE_CONVERSATIONS / name)
        polis = export.group_ids
        mod_ids = np.array([s.id for s in export.statements if s.moderated_out], dtype=np.int64)
        ours, seconds, k = single(export)
        value, n = ari(ours, polis)
        print(f"{name}: single computation ARI {value:.3f} (n={n}, k={k}, {seconds:.3f} s)")
        previous = None
        for d in args.seconds:
            start = time.perf_counter()
            run = replay(
                export.participant,
                export.statement,
                export.value,
                export.timestamp,
                min_interval_ms=d * 1000,
                moderated_out_ids=mod_ids,
            )
            seconds = time.perf_counter() - start
            ours = groups_of(run.result, run.participant_ids)
            value, n = ari(ours, polis)
            vs_previous = None if previous is None else round(ari(ours, previous)[0], 4)
            row = {
                "conversation": name,
                "min_interval_s": d,
                "updates": run.updates,
                "seconds": round(seconds, 2),
                "k": run.result.k,
                "clustered": len(run.result.in_conv),
                "compared": n,
                "ari": round(value, 4),
                "ari_vs_previous_cadence": vs_previous,
                "groups": ours,
            }
            previous = ours
            with OUT.open("a") as handle:
                handle.write(json.dumps(row) + "\n")
            print(
                f"{name}: D={d:g} s  updates={run.updates}  {seconds:.1f} s  k={run.result.k}  "
                f"clustered={row['clustered']}  ARI={value:.3f}  "
                f"vs previous D={row['ari_vs_previous_cadence']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
