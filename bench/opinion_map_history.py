"""Experiment: how close can the sample conversations' final votes get to Polis's own groups?

    python bench/opinion_map_history.py                  # both analyses
    python bench/opinion_map_history.py --skip-restarts  # only the partitions (seconds)

1. Partitions. The single computation's k = 2 group k-means (weighted, 20 + 1 steps, as in
   `compute`) is started from every pair of base-cluster centres. For each distinct partition it
   ends in: how many starts reach it, its silhouette, the weighted within-group spread, the group
   sizes and the adjusted Rand index (ARI) against Polis's `group-id`. Then two ceilings: the ARI
   of the k-means started from Polis's own partition, and of assigning each base cluster to the
   Polis group most of its members are in.
2. Restarts (Seattle only; vTaiwan would take hours). For the end of every month with votes:
   compute from scratch with all votes up to then, continue update by update at Polis's 1 s
   cadence (`polismath.replay.replay` with `first_at`) to the last vote, and report the ARI.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from koproduktion.opinions.polis_export import SAMPLE_CONVERSATIONS, read_polis_export
from koproduktion.opinions.polismath import adjusted_rand_index, compute
from koproduktion.opinions.polismath import kmeans as km
from koproduktion.opinions.polismath.pipeline import GROUP_ITERS
from koproduktion.opinions.polismath.replay import POLIS_POLL_MS, replay

CONVERSATIONS = ("15-per-hour-seattle", "vtaiwan.uberx")


def ari_against_polis(export, pids, result) -> float:
    ours = {int(pids[i]): int(result.participant_group[i]) for i in result.in_conv}
    common = sorted(set(ours) & set(export.group_ids))
    return adjusted_rand_index(
        np.array([export.group_ids[p] for p in common]), np.array([ours[p] for p in common])
    )


def partitions(name: str) -> None:
    export = read_polis_export(SAMPLE_CONVERSATIONS / name)
    matrix, pids, sids, mod_out = export.vote_matrix()
    result = compute(matrix, participant_ids=pids, statement_ids=sids, moderated_out=mod_out)
    base = result.base_clusters
    centers = base.centers
    weights = np.array([len(m) for m in base.members], dtype=float)
    base_of = {int(pids[i]): b for b, members in enumerate(base.members) for i in members}
    common = sorted(set(export.group_ids) & set(base_of))
    polis = np.array([export.group_ids[p] for p in common])
    distances = np.linalg.norm(centers[:, None] - centers[None], axis=2)

    def ari(base_labels: np.ndarray) -> float:
        return adjusted_rand_index(polis, np.array([base_labels[base_of[p]] for p in common]))

    def group_kmeans(start_centers: np.ndarray) -> np.ndarray:
        start = (np.arange(len(start_centers)), start_centers)
        return km.kmeans(centers, 2, weights=weights, max_iters=GROUP_ITERS, start=start).labels

    found: dict[tuple[int, ...], dict] = {}
    for i in range(len(centers)):
        for j in range(i + 1, len(centers)):
            labels = group_kmeans(centers[[i, j]])
            key = tuple((labels if labels[0] == 0 else 1 - labels).tolist())
            if key not in found:
                spread = sum(
                    weights[labels == g]
                    @ (
                        (
                            centers[labels == g]
                            - np.average(centers[labels == g], axis=0, weights=weights[labels == g])
                        )
                        ** 2
                    ).sum(axis=1)
                    for g in np.unique(labels)
                )
                sizes = sorted(np.bincount(labels, weights=weights).astype(int).tolist())
                found[key] = {
                    "starts": 0,
                    "silhouette": km.silhouette(distances, labels),
                    "spread": spread,
                    "sizes": sizes,
                    "ari": ari(labels),
                }
            found[key]["starts"] += 1
    default = ari_against_polis(export, pids, result)
    print(
        f"\n{name}: single computation ARI {default:.3f}; {len(found)} partitions from {len(centers) * (len(centers) - 1) // 2} starts"
    )
    print("| starts | silhouette | spread | sizes | ARI |")
    print("|---:|---:|---:|---|---:|")
    for row in sorted(found.values(), key=lambda r: -r["starts"]):
        print(
            f"| {row['starts']} | {row['silhouette']:.3f} | {row['spread']:.1f} | "
            f"{row['sizes'][0]} / {row['sizes'][1]} | {row['ari']:.3f} |"
        )
    majority = np.zeros(len(centers), dtype=np.int64)
    for b, members in enumerate(base.members):
        votes = collections.Counter(export.group_ids.get(int(pids[i]), -1) for i in members)
        majority[b] = votes.most_common(1)[0][0]
    start = np.array(
        [np.average(centers[majority == g], axis=0, weights=weights[majority == g]) for g in (0, 1)]
    )
    print(f"k-means started from Polis's partition: ARI {ari(group_kmeans(start)):.3f}")
    print(f"each base cluster to its members' majority Polis group: ARI {ari(majority):.3f}")


def restarts(name: str) -> None:
    export = read_polis_export(SAMPLE_CONVERSATIONS / name)
    out_ids = np.array([st.id for st in export.statements if st.moderated_out])
    months = sorted(
        {
            datetime.datetime.fromtimestamp(x / 1000, datetime.UTC).strftime("%Y-%m")
            for x in export.timestamp.tolist()
        }
    )
    print(f"\n{name}: from scratch at the end of a month, then every update at {POLIS_POLL_MS} ms")
    print("| from scratch at | updates after | clustered | ARI |")
    print("|---|---:|---:|---:|")
    for month in months:
        year, mon = map(int, month.split("-"))
        end_of_month = datetime.datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=datetime.UTC)
        run = replay(
            export.participant,
            export.statement,
            export.value,
            export.timestamp,
            min_interval_ms=POLIS_POLL_MS,
            moderated_out_ids=out_ids,
            first_at=int(end_of_month.timestamp() * 1000) - 1,
        )
        pids, result = run.participant_ids, run.result
        score = ari_against_polis(export, pids, result)
        print(f"| {month} | {run.updates - 1} | {len(result.in_conv)} | {score:.3f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-restarts", action="store_true")
    args = parser.parse_args()
    for name in CONVERSATIONS:
        partitions(name)
    if not args.skip_restarts:
        restarts("15-per-hour-seattle")


if __name__ == "__main__":
    main()
