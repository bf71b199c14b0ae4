"""Representative statements per group and consensus statements, as Polis selects them.

All statistics carry pseudocounts (+1 success, +2 trials, or +1 on all four counts of the
two-proportion test): with the small groups of a town's conversation an unsmoothed 3 of 3
would otherwise beat a solid 80 of 100.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Z_90 = 1.2816  # one-sided 90 % significance, as in Polis
MAX_STATEMENTS = 5


def prop_test(successes: np.ndarray, trials: np.ndarray) -> np.ndarray:
    """z-like score that the agreement rate exceeds 1/2: 2·sqrt(n+1)·((s+1)/(n+1) - 0.5)."""
    s = np.asarray(successes, dtype=float) + 1
    n = np.asarray(trials, dtype=float) + 1
    return 2 * np.sqrt(n) * (s / n - 0.5)


def two_prop_test(
    succ_in: np.ndarray, succ_out: np.ndarray, pop_in: np.ndarray, pop_out: np.ndarray
) -> np.ndarray:
    """Two-proportion z-test of a group against the rest, with 1 added to all four counts.

    Polis returns 0 when the pooled proportion is 1 (the test is undefined there).
    """
    s1, s2 = np.asarray(succ_in, float) + 1, np.asarray(succ_out, float) + 1
    n1, n2 = np.asarray(pop_in, float) + 1, np.asarray(pop_out, float) + 1
    pooled = (s1 + s2) / (n1 + n2)
    denominator = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = np.divide(
        s1 / n1 - s2 / n2,
        denominator,
        out=np.zeros(np.broadcast(s1, n1).shape),
        where=denominator > 0,
    )
    return np.where(pooled == 1, 0.0, z)


@dataclass(frozen=True)
class GroupStats:
    """Per group (rows) and statement (columns): counts, probabilities and test scores."""

    na: np.ndarray
    nd: np.ndarray
    ns: np.ndarray
    pa: np.ndarray
    pd: np.ndarray
    pat: np.ndarray
    pdt: np.ndarray
    ra: np.ndarray
    rd: np.ndarray
    rat: np.ndarray
    rdt: np.ndarray


def group_stats(na: np.ndarray, nd: np.ndarray, ns: np.ndarray) -> GroupStats:
    """Compare each group with the union of the other groups (not with everybody)."""
    na, nd, ns = (np.asarray(x, dtype=float) for x in (na, nd, ns))
    rest_na, rest_nd, rest_ns = (x.sum(axis=0) - x for x in (na, nd, ns))
    pa = (na + 1) / (ns + 2)
    pd = (nd + 1) / (ns + 2)
    return GroupStats(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((1 + rest_na) / (2 + rest_ns)),
        rd=pd / ((1 + rest_nd) / (2 + rest_ns)),
        rat=two_prop_test(na, rest_na, ns, rest_ns),
        rdt=two_prop_test(nd, rest_nd, ns, rest_ns),
    )


@dataclass(frozen=True)
class RepStatement:
    statement: int
    direction: str  # "agree" or "disagree"
    na: int
    nd: int
    ns: int
    pa: float
    pd: float
    pat: float
    pdt: float
    ra: float
    rd: float
    rat: float
    rdt: float
    metric: float  # repness · repness-test · p · p-test in the chosen direction
    best_agree: bool = False


def _rep_statement(s: GroupStats, g: int, j: int, best_agree: bool = False) -> RepStatement:
    agree = s.rat[g, j] > s.rdt[g, j]
    if agree:
        metric = s.ra[g, j] * s.rat[g, j] * s.pa[g, j] * s.pat[g, j]
    else:
        metric = s.rd[g, j] * s.rdt[g, j] * s.pd[g, j] * s.pdt[g, j]
    return RepStatement(
        statement=j,
        direction="agree" if agree else "disagree",
        na=int(s.na[g, j]),
        nd=int(s.nd[g, j]),
        ns=int(s.ns[g, j]),
        pa=float(s.pa[g, j]),
        pd=float(s.pd[g, j]),
        pat=float(s.pat[g, j]),
        pdt=float(s.pdt[g, j]),
        ra=float(s.ra[g, j]),
        rd=float(s.rd[g, j]),
        rat=float(s.rat[g, j]),
        rdt=float(s.rdt[g, j]),
        metric=float(metric),
        best_agree=best_agree,
    )


def _best_agree(s: GroupStats, g: int, candidates: np.ndarray) -> int | None:
    """Polis's running "best agree" pick, which changes its yardstick as it goes.

    Until a candidate with ra > 1 is held, raw agreement (pa·pat) decides; afterwards the full
    repness product does. The order of statements therefore matters, as in Polis.
    """
    best: int | None = None
    for j in candidates:
        if s.na[g, j] == 0 and s.nd[g, j] == 0:
            continue
        if best is not None and s.ra[g, best] > 1.0:
            take = (
                s.ra[g, j] * s.rat[g, j] * s.pa[g, j] * s.pat[g, j]
                > s.ra[g, best] * s.rat[g, best] * s.pa[g, best] * s.pat[g, best]
            )
        elif best is not None:
            take = s.pa[g, j] * s.pat[g, j] > s.pa[g, best] * s.pat[g, best]
        else:
            take = s.pat[g, j] > Z_90 or (s.ra[g, j] > 1.0 and s.pa[g, j] > 0.5)
        if take:
            best = int(j)
    return best


def select_representative(s: GroupStats, candidates: np.ndarray) -> list[list[RepStatement]]:
    """Up to five statements per group that set the group apart, agrees first.

    A statement qualifies when both its difference from the other groups and its majority
    inside the group are significant at 90 %. The best agreed statement always leads, so a
    group is described by something it agrees on; a group with no qualifying statement still
    gets its single most distinctive one.
    """
    result: list[list[RepStatement]] = []
    for g in range(s.na.shape[0]):
        c = candidates
        sufficient = c[
            ((s.rat[g, c] > Z_90) & (s.pat[g, c] > Z_90))
            | ((s.rdt[g, c] > Z_90) & (s.pdt[g, c] > Z_90))
        ]
        best_agree = _best_agree(s, g, c)
        head = [] if best_agree is None else [_rep_statement(s, g, best_agree, True)]
        if len(sufficient) == 0:
            if not head and len(c):
                head = [
                    _rep_statement(s, g, int(c[np.argmax(np.maximum(s.rat[g, c], s.rdt[g, c]))]))
                ]
            result.append(head)
            continue
        rest = [_rep_statement(s, g, int(j)) for j in sufficient if j != best_agree]
        rest.sort(key=lambda r: -r.metric)  # stable: equal metrics keep statement order
        chosen = (head + rest)[:MAX_STATEMENTS]
        result.append(
            [r for r in chosen if r.direction == "agree"]
            + [r for r in chosen if r.direction == "disagree"]
        )
    return result


@dataclass(frozen=True)
class ConsensusStatement:
    statement: int
    direction: str
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


def select_consensus(
    na: np.ndarray, nd: np.ndarray, ns: np.ndarray, candidates: np.ndarray
) -> dict[str, list[ConsensusStatement]]:
    """Top five statements that a clear majority of all participants agree (or disagree) with."""
    out: dict[str, list[ConsensusStatement]] = {}
    for direction, n in (("agree", na), ("disagree", nd)):
        p = (n[candidates] + 1) / (ns[candidates] + 2)
        test = prop_test(n[candidates], ns[candidates])
        ok = np.flatnonzero((p > 0.5) & (test > Z_90))
        order = ok[np.argsort(-(p[ok] * test[ok]), kind="stable")][:MAX_STATEMENTS]
        out[direction] = [
            ConsensusStatement(
                int(candidates[i]),
                direction,
                int(n[candidates[i]]),
                int(ns[candidates[i]]),
                float(p[i]),
                float(test[i]),
            )
            for i in order
        ]
    return out


def group_informed_consensus(na: np.ndarray, ns: np.ndarray) -> np.ndarray:
    """Product over groups of the smoothed agreement rate: high only if every group agrees."""
    return np.prod((np.asarray(na, float) + 1) / (np.asarray(ns, float) + 2), axis=0)


def priority(
    agrees: np.ndarray,
    passes: np.ndarray,
    seen: np.ndarray,
    extremity: np.ndarray,
    is_meta: np.ndarray,
) -> np.ndarray:
    """Which statement to show next: agreed, not passed, divisive, and not yet seen by many.

    Meta statements get a fixed 7² = 49 so they keep surfacing.
    """
    a = (agrees + 1) / (seen + 2)
    p = (passes + 1) / (seen + 2)
    importance = (1 - p) * (extremity + 1) * a
    value = (importance * (1 + 8 * 2.0 ** (-seen / 5))) ** 2
    return np.where(is_meta, 49.0, value)
