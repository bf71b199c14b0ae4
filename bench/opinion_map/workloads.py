"""Workloads for the opinion-map benchmark: two real Polis exports and synthetic conversations.

Every workload is materialised once as an .npz of vote rows (participant, statement, value,
timestamp, moderated-out statement ids, and the reference labels) so both pipelines read
exactly the same input. This module must run under both the project's Python and the
red-dwarf virtualenv, so it uses numpy only.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

CACHE = Path(__file__).resolve().parents[1] / "out" / "opinion_map"  # git-ignored
# The same files as koproduktion.opinions.polis_export.SAMPLE_CONVERSATIONS; this module also runs
# in the red-dwarf environment, where the project package is not importable.
POLIS_DATA = Path(__file__).resolve().parents[2] / "testdata" / "polis"
REAL = ("15-per-hour-seattle", "vtaiwan.uberx")
SYNTHETIC = {
    "synthetic-5k": (5_000, 500),
    "synthetic-20k": (20_000, 1_000),
    "synthetic-50k": (50_000, 1_000),
}
VOTES_EACH = 40
N_GROUPS = 3
SEED = 20261125


def synthetic(n_participants: int, n_statements: int, seed: int = SEED) -> dict[str, np.ndarray]:
    """A conversation with N_GROUPS latent opinion groups of unequal size.

    Each group leans agree or disagree on every statement (a fifth of the statements are
    consensus: all groups lean the same way). A participant votes on ~40 random statements
    (drawn with replacement, so a few repeat and the later vote wins), following their group's
    leaning with probability 0.7, passing with 0.1 and going against it with 0.2.
    """
    rng = np.random.default_rng(seed)
    sizes = np.array([0.5, 0.3, 0.2])
    group = rng.choice(N_GROUPS, size=n_participants, p=sizes)
    leaning = rng.choice([-1, 1], size=(N_GROUPS, n_statements))
    consensus = rng.random(n_statements) < 0.2
    leaning[:, consensus] = leaning[0, consensus]
    participant = np.repeat(np.arange(n_participants), VOTES_EACH)
    statement = rng.integers(0, n_statements, size=participant.size)
    follow = leaning[group[participant], statement]
    r = rng.random(participant.size)
    value = np.where(r < 0.7, follow, np.where(r < 0.8, 0, -follow)).astype(np.int8)
    # participants arrive over time, each voting in one sitting
    timestamp = participant.astype(np.int64) * 1000 + np.tile(np.arange(VOTES_EACH), n_participants)
    return {
        "participant": participant,
        "statement": statement,
        "value": value,
        "timestamp": timestamp,
        "moderated_out": np.zeros(0, np.int64),
        "label_ids": np.arange(n_participants),
        "labels": group,
    }


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def real(name: str) -> dict[str, np.ndarray]:
    """A Polis export with Polis's own group-id as the reference labels.

    Read with the csv module rather than the project's reader so that red-dwarf's virtualenv
    needs nothing from the project.
    """
    directory = POLIS_DATA / name
    header, rows = _read_csv(directory / "votes.csv")
    col = {c: i for i, c in enumerate(header)}
    votes = np.array(
        [
            [
                int(r[col["voter-id"]]),
                int(r[col["comment-id"]]),
                int(r[col["vote"]]),
                int(r[col["timestamp"]]),
            ]
            for r in rows
        ],
        dtype=np.int64,
    )
    header, rows = _read_csv(directory / "comments.csv")
    col = {c: i for i, c in enumerate(header)}
    mod_out = [int(r[col["comment-id"]]) for r in rows if int(r[col["moderated"]]) == -1]
    header, rows = _read_csv(directory / "participants-votes.csv")
    col = {c: i for i, c in enumerate(header)}
    grouped = [
        (int(r[col["participant"]]), int(r[col["group-id"]]))
        for r in rows
        if r[col["group-id"]].strip()
    ]
    return {
        "participant": votes[:, 0],
        "statement": votes[:, 1],
        "value": votes[:, 2].astype(np.int8),
        "timestamp": votes[:, 3],
        "moderated_out": np.array(mod_out, dtype=np.int64),
        "label_ids": np.array([p for p, _ in grouped], dtype=np.int64),
        "labels": np.array([g for _, g in grouped], dtype=np.int64),
    }


def path_for(name: str) -> Path:
    """Materialise the workload (once) and return its .npz path."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{name}.npz"
    if not path.exists():
        data = real(name) if name in REAL else synthetic(*SYNTHETIC[name])
        np.savez(path, **data)
    return path


def load(name: str) -> dict[str, np.ndarray]:
    with np.load(path_for(name)) as data:
        return {k: data[k] for k in data.files}


def ari(
    ids_a: np.ndarray, labels_a: np.ndarray, ids_b: np.ndarray, labels_b: np.ndarray
) -> float | None:
    """Adjusted Rand index over the participants labelled in both (numpy only, like the project's)."""
    common, ia, ib = np.intersect1d(ids_a, ids_b, return_indices=True)
    if len(common) < 2:
        return None
    _, a = np.unique(labels_a[ia], return_inverse=True)
    _, b = np.unique(labels_b[ib], return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    n = len(common)
    index, sa, sb = pairs(table), pairs(table.sum(1)), pairs(table.sum(0))
    expected = sa * sb / (n * (n - 1) / 2)
    maximum = (sa + sb) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)
