"""The whole opinion-map computation: who is clustered, PCA, base clusters, groups, statements."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from . import kmeans as km
from .pca import project
from .repness import (
    group_informed_consensus,
    group_stats,
    priority,
    select_consensus,
    select_representative,
)
from .result import BaseClusters, Group, OpinionMapResult
from .state import ClusteringState, KSmoother, PolisState, labels_from_members
from .votes import VoteMatrix

MIN_VOTES = 7  # votes needed to be clustered (or all statements, if there are fewer)
MIN_IN_CONV = 15  # below this many clustered participants, the most active are added
BASE_K = 100
BASE_ITERS = 100
# Polis passes its group iteration setting under a key its k-means ignores, so group
# clustering runs with the k-means default of 20 iterations; we keep that.
GROUP_ITERS = 20
MAX_K = 5


def in_conversation(
    vote_counts: np.ndarray, n_statements: int, previously_in: np.ndarray | None = None
) -> np.ndarray:
    """Boolean mask of participants who are clustered.

    Once in, always in (the previous mask is kept), so a person does not vanish from the map
    when statements are added. With fewer than 15 qualifying, the most active voters fill up
    to 15 so that a young conversation already shows a map.
    """
    mask = (vote_counts >= min(MIN_VOTES, n_statements)) & (vote_counts > 0)
    if previously_in is not None:
        mask |= previously_in
    missing = MIN_IN_CONV - int(mask.sum())
    if missing > 0:
        candidates = np.flatnonzero(~mask & (vote_counts > 0))
        order = np.argsort(-vote_counts[candidates], kind="stable")
        mask[candidates[order[:missing]]] = True
    return mask


def _group_k_range(n_base: int) -> range:
    return range(2, min(MAX_K, 2 + n_base // 12) + 1)


def _cluster_groups(
    centers: np.ndarray, weights: np.ndarray, base_ids: np.ndarray, state: PolisState | None
) -> tuple[dict[int, km.Clustering], dict[int, float]]:
    """Weighted k-means of the base-cluster centres for every k, scored by silhouette."""
    distances = np.linalg.norm(centers[:, None, :] - centers[None, :, :], axis=2)
    clusterings: dict[int, km.Clustering] = {}
    scores: dict[int, float] = {}
    if len(centers) == 0:
        return clusterings, scores
    for k in _group_k_range(len(centers)):
        start = None
        previous = labels_from_members(state.groups.get(k) if state else None, base_ids)
        if previous is not None:
            start = km.warm_start(centers, k, *previous, weights=weights)
        clustering = km.kmeans(centers, k, weights=weights, max_iters=GROUP_ITERS, start=start)
        clusterings[k] = clustering
        scores[k] = km.silhouette(distances, clustering.labels)
    return clusterings, scores


def _counts(members: sp.csr_matrix, votes: VoteMatrix) -> tuple[np.ndarray, ...]:
    """Agrees, disagrees and seen per (row of `members`, statement)."""
    return tuple(
        np.asarray((members @ m).todense())
        for m in (votes.agrees(), votes.disagrees(), votes.seen())
    )


def _base_clusters(
    points: np.ndarray, in_conv: np.ndarray, in_ids: np.ndarray, state: PolisState | None
) -> tuple[BaseClusters, np.ndarray]:
    """k-means with k = 100 on the clustered participants; also each one's base-cluster index.

    Base clusters keep the group step small (at most 100 weighted points) however large the
    conversation, which is what makes the silhouette comparison cheap.
    """
    start = None
    previous = labels_from_members(state.base if state else None, in_ids)
    if previous is not None:
        start = km.warm_start(points, BASE_K, *previous)
    base = km.kmeans(points, BASE_K, max_iters=BASE_ITERS, start=start)
    order = np.argsort(base.ids, kind="stable")  # Polis sorts base clusters by id
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    labels = rank[base.labels]
    members = tuple(in_conv[labels == b] for b in range(len(order)))
    return BaseClusters(base.ids[order], base.centers[order], members), labels


def _choose_k(silhouettes: dict[int, float], smoother: KSmoother) -> tuple[int, KSmoother]:
    """Best silhouette wins (ties go to the larger k, as Clojure's max-key does), then smoothing."""
    if not silhouettes:
        return 0, smoother
    best_score = max(silhouettes.values())
    this_k = max(k for k, v in silhouettes.items() if v == best_score)
    smoother = smoother.update(this_k)
    k = smoother.smoothed_k if smoother.smoothed_k in silhouettes else this_k
    return int(k), smoother


def _groups(
    chosen: km.Clustering,
    base: BaseClusters,
    base_labels: np.ndarray,
    in_conv: np.ndarray,
    representative: list,
) -> tuple[Group, ...]:
    out = []
    for g, gid in enumerate(chosen.ids.tolist()):
        in_group = chosen.labels == g
        out.append(
            Group(
                id=int(gid),
                members=in_conv[in_group[base_labels]],
                base_clusters=base.ids[in_group],
                center=(float(chosen.centers[g, 0]), float(chosen.centers[g, 1])),
                representative=tuple(representative[g]),
            )
        )
    return tuple(out)


def _next_state(  # noqa: PLR0917 - private helper, called once with every piece of state
    pids: np.ndarray,
    sids: np.ndarray,
    in_conv: np.ndarray,
    components: np.ndarray,
    base: BaseClusters,
    clusterings: dict[int, km.Clustering],
    smoother: KSmoother,
) -> PolisState:
    return PolisState(
        in_conv=tuple(pids[in_conv].tolist()),
        statement_ids=tuple(sids.tolist()),
        components=tuple(tuple(c) for c in components.tolist()),
        base=ClusteringState(
            tuple(base.ids.tolist()), tuple(tuple(pids[mm].tolist()) for mm in base.members)
        ),
        groups={
            k: ClusteringState(
                tuple(c.ids.tolist()),
                tuple(tuple(base.ids[c.labels == g].tolist()) for g in range(len(c.ids))),
            )
            for k, c in clusterings.items()
        },
        k_smoother=smoother,
    )


def compute(
    votes: VoteMatrix,
    *,
    participant_ids: np.ndarray | None = None,
    statement_ids: np.ndarray | None = None,
    moderated_out: np.ndarray | None = None,
    meta: np.ndarray | None = None,
    previous_state: PolisState | None = None,
) -> OpinionMapResult:
    """Compute the opinion map of one conversation.

    `moderated_out` and `meta` are boolean masks over statements: both are left out of the
    projection, clustering, representative and consensus statements (Polis zeroes them), meta
    statements get the fixed priority 49. `previous_state` is the `state` of the previous
    result for the same conversation; with it the computation continues the way Polis does
    (sticky participants, stable axes and clusters, smoothed number of groups).
    """
    n, m = votes.n_participants, votes.n_statements
    pids = np.arange(n) if participant_ids is None else np.asarray(participant_ids)
    sids = np.arange(m) if statement_ids is None else np.asarray(statement_ids)
    if len(pids) != n or len(sids) != m:
        raise ValueError("id arrays must match the matrix shape")
    is_meta = np.zeros(m, bool) if meta is None else np.asarray(meta, bool)
    excluded = is_meta.copy()
    if moderated_out is not None:
        excluded |= np.asarray(moderated_out, bool)
    state = previous_state

    votes_per_statement = votes.votes_per_statement()
    previously_in = np.isin(pids, np.asarray(state.in_conv)) if state and state.in_conv else None
    in_conv = np.flatnonzero(
        in_conversation(
            votes.votes_per_participant(), int((votes_per_statement > 0).sum()), previously_in
        )
    )
    projection = project(
        votes, excluded, start_vectors=state.start_vectors(sids) if state else None
    )
    points = projection.participants[in_conv]
    base, base_labels = _base_clusters(points, in_conv, pids[in_conv], state)
    base_sizes = np.bincount(base_labels, minlength=len(base.ids)).astype(float)
    clusterings, silhouettes = _cluster_groups(base.centers, base_sizes, base.ids, state)
    k, smoother = _choose_k(silhouettes, state.k_smoother if state else KSmoother())

    participant_group = np.full(n, -1, dtype=np.int64)
    na = nd = ns = np.zeros((0, m))
    if k:
        chosen = clusterings[k]
        group_index = chosen.labels[base_labels]
        participant_group[in_conv] = chosen.ids[group_index]
        onehot = sp.csr_matrix(
            (np.ones(len(in_conv)), (group_index, in_conv)), shape=(len(chosen.ids), n)
        )
        na, nd, ns = _counts(onehot, votes)

    candidates = np.flatnonzero((votes_per_statement > 0) & ~excluded)
    groups = ()
    if k:
        representative = select_representative(group_stats(na, nd, ns), candidates)
        groups = _groups(clusterings[k], base, base_labels, in_conv, representative)
    all_na, all_nd = (
        np.bincount(votes.statement, weights=votes.value == v, minlength=m) for v in (1, -1)
    )
    consensus = select_consensus(all_na, all_nd, votes_per_statement, candidates)
    gna, gnd, gns = na.sum(axis=0), nd.sum(axis=0), ns.sum(axis=0)

    coordinates = np.full((n, 2), np.nan)
    coordinates[in_conv] = points
    return OpinionMapResult(
        participant_ids=pids,
        statement_ids=sids,
        coordinates=coordinates,
        in_conv=in_conv,
        participant_group=participant_group,
        base_clusters=base,
        groups=groups,
        k=k,
        silhouettes=silhouettes,
        consensus={d: tuple(v) for d, v in consensus.items()},
        statement_coordinates=projection.statements,
        extremity=projection.extremity,
        group_consensus=group_informed_consensus(na, ns) if k else np.ones(m),
        priority=priority(gna, gns - gna - gnd, gns, projection.extremity, is_meta),
        excluded=excluded,
        state=_next_state(pids, sids, in_conv, projection.components, base, clusterings, smoother),
    )
