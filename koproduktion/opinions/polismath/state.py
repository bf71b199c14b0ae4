"""What one computation hands to the next, so that an opinion map evolves like Polis's.

Polis never recomputes from scratch: participants stay clustered once they qualified, the PCA
starts from the previous axes, k-means starts from the previous clusters, and a new number of
groups is adopted only after it won the silhouette comparison 4 updates in a row. The state
refers to participants and statements by their ids (not row numbers), so it stays valid when
new people and statements arrive, and it converts to and from plain JSON for storage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

K_BUFFER = 4  # updates in a row a new k must win before it is shown


@dataclass(frozen=True)
class ClusteringState:
    ids: tuple[int, ...]
    members: tuple[tuple[Any, ...], ...]  # participant ids (base) or base-cluster ids (groups)


@dataclass(frozen=True)
class KSmoother:
    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None

    def update(self, this_k: int, buffer: int = K_BUFFER) -> KSmoother:
        count = self.last_k_count + 1 if self.last_k == this_k else 1
        smoothed = this_k if count >= buffer or self.smoothed_k is None else self.smoothed_k
        return KSmoother(this_k, count, smoothed)


@dataclass(frozen=True)
class PolisState:
    in_conv: tuple[Any, ...] = ()
    statement_ids: tuple[Any, ...] = ()
    components: tuple[tuple[float, ...], ...] = ()
    base: ClusteringState | None = None
    groups: dict[int, ClusteringState] = field(default_factory=dict)
    k_smoother: KSmoother = KSmoother()

    def start_vectors(self, statement_ids: np.ndarray) -> np.ndarray | None:
        """Previous components aligned to the current statements; new statements start at 1."""
        if not self.components:
            return None
        position = {sid: i for i, sid in enumerate(self.statement_ids)}
        out = np.ones((2, len(statement_ids)))
        old = np.asarray(self.components)
        for j, sid in enumerate(statement_ids.tolist()):
            i = position.get(sid)
            if i is not None:
                out[:, j] = old[:, i]
        return out

    def to_dict(self) -> dict[str, Any]:
        def clustering(c: ClusteringState | None) -> dict[str, Any] | None:
            if c is None:
                return None
            return {"ids": list(c.ids), "members": [list(m) for m in c.members]}

        return {
            "in_conv": list(self.in_conv),
            "statement_ids": list(self.statement_ids),
            "components": [list(c) for c in self.components],
            "base": clustering(self.base),
            "groups": {str(k): clustering(c) for k, c in self.groups.items()},
            "k_smoother": {
                "last_k": self.k_smoother.last_k,
                "last_k_count": self.k_smoother.last_k_count,
                "smoothed_k": self.k_smoother.smoothed_k,
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PolisState:
        def clustering(d: dict[str, Any] | None) -> ClusteringState | None:
            if d is None:
                return None
            return ClusteringState(tuple(d["ids"]), tuple(tuple(m) for m in d["members"]))

        groups = {int(k): clustering(v) for k, v in data.get("groups", {}).items()}
        return cls(
            in_conv=tuple(data.get("in_conv", ())),
            statement_ids=tuple(data.get("statement_ids", ())),
            components=tuple(tuple(c) for c in data.get("components", ())),
            base=clustering(data.get("base")),
            groups={k: v for k, v in groups.items() if v is not None},
            k_smoother=KSmoother(**data.get("k_smoother", {})),
        )


def labels_from_members(
    clustering: ClusteringState | None, point_ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """(cluster ids, index into them for each current point or -1) from a stored clustering."""
    if clustering is None or not clustering.ids:
        return None
    index = {}
    for i, members in enumerate(clustering.members):
        for m in members:
            index[m] = i
    labels = np.array([index.get(p, -1) for p in point_ids.tolist()], dtype=np.int64)
    return np.asarray(clustering.ids, dtype=np.int64), labels
