"""The outcome of one opinion-map computation, and its JSON form.

Arrays index participants and statements by matrix row/column; `to_dict` maps them back to
the caller's ids so that the stored JSON never depends on a matrix layout.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .repness import ConsensusStatement, RepStatement
from .state import PolisState


@dataclass(frozen=True)
class Group:
    id: int
    members: np.ndarray  # participant indices
    base_clusters: np.ndarray  # base-cluster ids
    center: tuple[float, float]
    representative: tuple[RepStatement, ...]


@dataclass(frozen=True)
class BaseClusters:
    ids: np.ndarray  # (b,)
    centers: np.ndarray  # (b, 2)
    members: tuple[np.ndarray, ...]  # participant indices per base cluster


@dataclass(frozen=True)
class OpinionMapResult:
    participant_ids: np.ndarray
    statement_ids: np.ndarray
    coordinates: np.ndarray  # (n, 2); NaN for participants who are not clustered
    in_conv: np.ndarray  # indices of clustered participants
    participant_group: np.ndarray  # (n,) group id, -1 if not clustered
    base_clusters: BaseClusters
    groups: tuple[Group, ...]
    k: int  # number of groups shown (after smoothing)
    silhouettes: dict[int, float]  # silhouette of each k tried, on base clusters
    consensus: dict[str, tuple[ConsensusStatement, ...]]
    statement_coordinates: np.ndarray  # (m, 2)
    extremity: np.ndarray  # (m,)
    group_consensus: np.ndarray  # (m,) group-informed consensus
    priority: np.ndarray  # (m,)
    excluded: np.ndarray  # (m,) bool: moderated out or meta, left out of the math
    state: PolisState

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable form with participant and statement ids."""
        pid = _to_python(self.participant_ids)
        sid = _to_python(self.statement_ids)
        group_of = self.participant_group

        def rep(r: RepStatement) -> dict[str, Any]:
            d = asdict(r)
            d["statement"] = sid[r.statement]
            return d

        def cons(c: ConsensusStatement) -> dict[str, Any]:
            d = asdict(c)
            d["statement"] = sid[c.statement]
            return d

        return {
            "participants": [
                {
                    "id": pid[i],
                    "x": _float(self.coordinates[i, 0]),
                    "y": _float(self.coordinates[i, 1]),
                    "group": int(group_of[i]),
                }
                for i in self.in_conv.tolist()
            ],
            "base_clusters": [
                {
                    "id": int(b),
                    "x": _float(c[0]),
                    "y": _float(c[1]),
                    "members": [pid[i] for i in m.tolist()],
                }
                for b, c, m in zip(
                    self.base_clusters.ids.tolist(),
                    self.base_clusters.centers,
                    self.base_clusters.members,
                    strict=True,
                )
            ],
            "groups": [
                {
                    "id": g.id,
                    "x": _float(g.center[0]),
                    "y": _float(g.center[1]),
                    "members": [pid[i] for i in g.members.tolist()],
                    "base_clusters": [int(b) for b in g.base_clusters.tolist()],
                    "representative": [rep(r) for r in g.representative],
                }
                for g in self.groups
            ],
            "k": self.k,
            "silhouettes": {str(k): _float(v) for k, v in self.silhouettes.items()},
            "consensus": {d: [cons(c) for c in cs] for d, cs in self.consensus.items()},
            "statements": [
                {
                    "id": sid[j],
                    "x": _float(self.statement_coordinates[j, 0]),
                    "y": _float(self.statement_coordinates[j, 1]),
                    "extremity": _float(self.extremity[j]),
                    "group_consensus": _float(self.group_consensus[j]),
                    "priority": _float(self.priority[j]),
                    "excluded": bool(self.excluded[j]),
                }
                for j in range(len(sid))
            ],
            "state": self.state.to_dict(),
        }


def _float(x: float) -> float | None:
    x = float(x)
    return None if np.isnan(x) else x


def _to_python(ids: np.ndarray) -> list[Any]:
    """numpy scalars are not JSON-serialisable; tolist() turns them into int/str."""
    return np.asarray(ids).tolist()
