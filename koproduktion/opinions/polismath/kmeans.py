"""Polis's k-means: deterministic initialisation, dropped empty clusters, optional weights.

The details differ from textbook (and scikit-learn) k-means on purpose, because they decide
which groups Polis reports:
- a fresh clustering starts from the first k *distinct* points in row order, not k-means++;
- a cluster that loses all its members is dropped, so fewer than k clusters may come back;
- iteration stops when the sorted centres move less than 0.01, or after `max_iters` steps;
- an update starts from the previous clustering (recentred on the new positions, with the
  most distant points split off into new clusters until there are k again).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONVERGENCE_THRESHOLD = 0.01
_CHUNK = 16384
_SLACK = 1e-9  # keeps float rounding in the bounds from skipping a needed check


@dataclass(frozen=True)
class Clustering:
    """Cluster ids, centres (c, 2) and, for each input point, the index into ids (or -1)."""

    ids: np.ndarray
    centers: np.ndarray
    labels: np.ndarray

    def members(self, index: int) -> np.ndarray:
        return np.flatnonzero(self.labels == index)


def first_distinct_rows(points: np.ndarray, k: int) -> np.ndarray:
    """Indices of the first k distinct rows, in order of first appearance."""
    if len(points) == 0:
        return np.zeros(0, dtype=np.int64)
    _, first = np.unique(points, axis=0, return_index=True)
    return np.sort(first)[:k]


def nearest_center(points: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of and distance to the nearest centre for every point (chunked to bound memory)."""
    labels = np.empty(len(points), dtype=np.int64)
    dists = np.empty(len(points))
    for start in range(0, len(points), _CHUNK):
        chunk = points[start : start + _CHUNK]
        d2 = (chunk[:, None, 0] - centers[None, :, 0]) ** 2
        d2 += (chunk[:, None, 1] - centers[None, :, 1]) ** 2
        best = np.argmin(d2, axis=1)
        labels[start : start + _CHUNK] = best
        dists[start : start + _CHUNK] = np.sqrt(d2[np.arange(len(chunk)), best])
    return labels, dists


def _two_nearest(
    points: np.ndarray, centers: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest centre, its distance, and the distance to the second-nearest centre."""
    labels = np.empty(len(points), dtype=np.int64)
    first = np.empty(len(points))
    second = np.full(len(points), np.inf)
    for start in range(0, len(points), _CHUNK):
        chunk = points[start : start + _CHUNK]
        d2 = (chunk[:, None, 0] - centers[None, :, 0]) ** 2
        d2 += (chunk[:, None, 1] - centers[None, :, 1]) ** 2
        rows = np.arange(len(chunk))
        best = np.argmin(d2, axis=1)
        labels[start : start + _CHUNK] = best
        first[start : start + _CHUNK] = np.sqrt(d2[rows, best])
        if centers.shape[0] > 1:
            d2[rows, best] = np.inf
            second[start : start + _CHUNK] = np.sqrt(d2.min(axis=1))
    return labels, first, second


def _weighted_centers(
    points: np.ndarray, labels: np.ndarray, n: int, weights: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    total = np.bincount(labels, weights=weights, minlength=n)
    cx = np.bincount(labels, weights=weights * points[:, 0], minlength=n)
    cy = np.bincount(labels, weights=weights * points[:, 1], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        centers = np.column_stack([cx / total, cy / total])
    counts = np.bincount(labels, minlength=n)
    return centers, counts


def _same_clustering(old: np.ndarray, new: np.ndarray) -> bool:
    """Polis compares the lexicographically sorted centre lists pairwise."""
    a = old[np.lexsort((old[:, 1], old[:, 0]))]
    b = new[np.lexsort((new[:, 1], new[:, 0]))]
    n = min(len(a), len(b))
    return bool(np.all(np.linalg.norm(a[:n] - b[:n], axis=1) < CONVERGENCE_THRESHOLD))


def kmeans(
    points: np.ndarray,
    k: int,
    *,
    weights: np.ndarray | None = None,
    max_iters: int = 20,
    start: tuple[np.ndarray, np.ndarray] | None = None,
) -> Clustering:
    """Cluster `points` (n, 2) into at most k clusters.

    `start` is (ids, centres) to begin from; without it the first k distinct points seed
    clusters 0..k-1. Polis counts its loop from max_iters down to 0, so up to max_iters + 1
    assignment steps run.
    """
    points = np.asarray(points, dtype=np.float64)
    w = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=np.float64)
    if len(points) == 0:
        return Clustering(np.zeros(0, np.int64), np.zeros((0, 2)), np.zeros(0, np.int64))
    if start is None:
        seeds = first_distinct_rows(points, k)
        ids = np.arange(len(seeds), dtype=np.int64)
        centers = points[seeds]
    else:
        ids, centers = np.asarray(start[0], dtype=np.int64), np.asarray(start[1], dtype=float)
    # Hamerly's bounds: an upper bound on each point's distance to its centre and a lower
    # bound on the distance to any other centre. Only points whose bounds overlap are
    # measured again, which gives exactly Lloyd's assignments at a fraction of the cost once
    # the centres settle (base clustering of 50,000 participants runs up to 101 steps).
    labels, upper, lower = _two_nearest(points, centers)
    for step in range(max_iters + 1):
        if step:
            check = np.flatnonzero(upper > lower - _SLACK)
            if len(check):
                upper[check] = np.linalg.norm(points[check] - centers[labels[check]], axis=1)
                check = check[upper[check] > lower[check] - _SLACK]
            if len(check):
                labels[check], upper[check], lower[check] = _two_nearest(points[check], centers)
        new_centers, counts = _weighted_centers(points, labels, len(centers), w)
        keep = counts > 0
        done = _same_clustering(centers, new_centers[keep])
        shift = np.linalg.norm(new_centers[keep] - centers[keep], axis=1)
        # Relabel so labels index the surviving clusters only. Dropping an empty centre can
        # only move the second-nearest centre further away, so the lower bounds stay valid.
        labels = (np.cumsum(keep) - 1)[labels]
        ids, centers = ids[keep], new_centers[keep]
        if done:
            break
        upper += shift[labels]
        lower -= shift.max(initial=0.0)
    return Clustering(ids, centers, labels)


def warm_start(
    points: np.ndarray,
    k: int,
    previous_ids: np.ndarray,
    previous_labels: np.ndarray,
    *,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Polis's clean-start-clusters: (ids, centres) to continue from a previous clustering.

    `previous_labels` gives, for every current point, its index into `previous_ids` or -1 if
    the point is new. Clusters are recentred on their members' current positions (dropping
    those with no members left), clusters with identical centres are merged, and while there
    are fewer than k clusters (and fewer than distinct points) the point farthest from every
    centre becomes a cluster of its own, so that new opinion regions get their own cluster.
    """
    w = np.ones(len(points)) if weights is None else np.asarray(weights, dtype=np.float64)
    labels = np.asarray(previous_labels, dtype=np.int64).copy()
    ids = np.asarray(previous_ids, dtype=np.int64)
    if len(points) == 0:
        return ids[:0], np.zeros((0, 2))
    if not np.any(labels >= 0):
        return np.array([ids.max(initial=-1) + 1]), np.average(points, axis=0, weights=w)[None]
    possible = min(k, len(np.unique(points, axis=0)))
    while True:
        member = labels >= 0
        centers, counts = _weighted_centers(points[member], labels[member], len(ids), w[member])
        keep = counts > 0
        remap = np.where(keep, np.cumsum(keep) - 1, -1)
        labels = np.where(member, remap[np.maximum(labels, 0)], -1)
        ids, centers = ids[keep], centers[keep]
        # Merge clusters whose centres coincide (the larger one keeps its id).
        _, first, inverse = np.unique(centers, axis=0, return_index=True, return_inverse=True)
        if len(first) < len(centers):
            inverse = inverse.ravel()
            sizes = counts[keep]
            winner = np.array(
                [
                    np.flatnonzero(inverse == g)[np.argmax(sizes[inverse == g])]
                    for g in range(len(first))
                ]
            )
            labels = np.where(labels >= 0, inverse[np.maximum(labels, 0)], -1)
            ids, centers = ids[winner], centers[winner]
        if len(ids) >= possible:
            return ids, centers
        _, dists = nearest_center(points, centers)
        far = int(np.argmax(dists))
        if dists[far] <= 0:
            return ids, centers
        labels[far] = len(ids)
        ids = np.append(ids, ids.max() + 1)


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette of the points described by a distance matrix (unweighted, like Polis).

    Polis computes it over base clusters, not participants, which keeps it at most 100 × 100.
    A point alone in its cluster scores 0.
    """
    n = len(labels)
    groups = np.unique(labels)
    if len(groups) < 2:
        return 0.0
    onehot = labels[:, None] == groups[None, :]
    sizes = onehot.sum(axis=0)
    sums = distances @ onehot
    own = np.searchsorted(groups, labels)
    own_size = sizes[own]
    a = sums[np.arange(n), own] / np.maximum(own_size - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = sums / sizes
    means[np.arange(n), own] = np.inf
    b = means.min(axis=1)
    denominator = np.maximum(a, b)
    scores = np.divide(b - a, denominator, out=np.zeros(n), where=denominator > 0)
    scores[own_size == 1] = 0.0
    return float(scores.mean())
