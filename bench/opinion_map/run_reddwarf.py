"""Child process (red-dwarf's virtualenv): run red-dwarf 0.4.0's Polis pipeline, print JSON.

Timed: `run_pipeline` only. Preparing its input is not timed: red-dwarf expects one vote per
participant and statement (it fails on repeated votes), so the latest vote is picked here, and
the list of vote dicts is built.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reddwarf.implementations.polis import run_pipeline
from workloads import load


def main() -> None:
    name, out = sys.argv[1], sys.argv[2]
    data = load(name)
    order = np.lexsort((data["timestamp"], data["statement"], data["participant"]))
    p, s = data["participant"][order], data["statement"][order]
    last = np.ones(len(order), dtype=bool)
    last[:-1] = (p[1:] != p[:-1]) | (s[1:] != s[:-1])
    data = {k: (v[order][last] if len(v) == len(order) else v) for k, v in data.items()}
    votes = [
        {"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": int(t)}
        for p, s, v, t in zip(
            data["participant"].tolist(),
            data["statement"].tolist(),
            data["value"].tolist(),
            data["timestamp"].tolist(),
            strict=True,
        )
    ]
    start = time.perf_counter()
    result = run_pipeline(
        votes=votes, mod_out_statement_ids=data["moderated_out"].tolist(), random_state=0
    )
    seconds = time.perf_counter() - start
    labels = result.participants_df["cluster_id"].dropna()
    np.savez(out, ids=labels.index.to_numpy(dtype=np.int64), labels=labels.to_numpy(dtype=np.int64))
    print(
        json.dumps(
            {"seconds": seconds, "k": int(labels.nunique()), "clustered": len(labels), "updates": 1}
        )
    )


if __name__ == "__main__":
    main()
