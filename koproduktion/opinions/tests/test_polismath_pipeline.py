import json

import numpy as np
import pytest

from koproduktion.opinions.polismath import (
    PolisState,
    VoteMatrix,
    adjusted_rand_index,
    compute,
    in_conversation,
)


def _opinion_groups(n_per_group=(40, 30, 30), n_statements=30, seed=1, p_vote=0.7):
    """Synthetic conversation: each latent group leans agree or disagree on every statement."""
    rng = np.random.default_rng(seed)
    leanings = rng.choice([-1, 1], size=(len(n_per_group), n_statements))
    rows, cols, vals, truth = [], [], [], []
    pid = 0
    for g, size in enumerate(n_per_group):
        for _ in range(size):
            for s in np.flatnonzero(rng.random(n_statements) < p_vote):
                r = rng.random()
                v = leanings[g, s] if r < 0.85 else (0 if r < 0.93 else -leanings[g, s])
                rows.append(pid), cols.append(s), vals.append(v)
            truth.append(g)
            pid += 1
    m = VoteMatrix.from_arrays(
        np.array(rows),
        np.array(cols),
        np.array(vals),
        n_participants=pid,
        n_statements=n_statements,
    )
    return m, np.array(truth)


def test_in_conversation_threshold_and_top_up():
    counts = np.array([7, 6, 0, 10, 3] + [1] * 20)
    mask = in_conversation(counts, n_statements=40)
    # 2 qualify (7 and 10 votes); the 13 most active others fill up to 15, never the silent one
    assert mask[[0, 3]].all()
    assert mask.sum() == 15
    assert not mask[2]
    assert mask[1]
    assert mask[4]
    # with fewer than 7 statements, voting on all of them is enough
    assert in_conversation(np.array([3] * 20 + [2]), n_statements=3).sum() == 20


def test_in_conversation_is_sticky():
    counts = np.array([1] * 30)
    before = np.zeros(30, bool)
    before[:20] = True
    assert in_conversation(counts, 40, before)[:20].all()


def test_groups_recover_latent_opinions():
    m, truth = _opinion_groups()
    r = compute(m)
    assert r.k == 3
    assert adjusted_rand_index(truth, r.participant_group) > 0.95
    assert len(r.groups) == 3
    assert all(len(g.representative) >= 1 for g in r.groups)
    assert sum(len(g.members) for g in r.groups) == len(r.in_conv) == 100
    assert set(r.silhouettes) == {2, 3, 4, 5}


def test_deterministic():
    m, _ = _opinion_groups(seed=5)
    a, b = compute(m), compute(m)
    assert np.array_equal(a.participant_group, b.participant_group)
    assert np.allclose(a.coordinates, b.coordinates, equal_nan=True)
    assert a.to_dict() == b.to_dict()


def test_moderated_out_and_meta_statements_are_left_out():
    m, _ = _opinion_groups(seed=2)
    excluded = np.zeros(m.n_statements, bool)
    excluded[[0, 1]] = True
    meta = np.zeros(m.n_statements, bool)
    meta[2] = True
    r = compute(m, moderated_out=excluded, meta=meta)
    shown = {rep.statement for g in r.groups for rep in g.representative}
    shown |= {c.statement for cs in r.consensus.values() for c in cs}
    assert not shown & {0, 1, 2}
    assert r.extremity[[0, 1, 2]].tolist() == [0, 0, 0]
    assert r.priority[2] == 49.0
    assert r.priority[0] != 49.0
    assert r.excluded[[0, 1, 2]].all()
    assert not r.excluded[3:].any()


def test_not_clustered_participants_have_no_coordinates():
    m, _ = _opinion_groups(seed=3)
    # one extra participant with a single vote
    extra = VoteMatrix.from_arrays(
        np.append(m.participant, m.n_participants),
        np.append(m.statement, 0),
        np.append(m.value, 1),
        n_participants=m.n_participants + 1,
        n_statements=m.n_statements,
    )
    r = compute(extra)
    assert np.isnan(r.coordinates[-1]).all()
    assert r.participant_group[-1] == -1
    assert not np.isnan(r.coordinates[r.in_conv]).any()


def test_to_dict_is_json_with_caller_ids():
    m, _ = _opinion_groups(seed=4)
    pids = np.arange(m.n_participants) + 1000
    sids = np.array([f"s{j}" for j in range(m.n_statements)])
    d = compute(m, participant_ids=pids, statement_ids=sids).to_dict()
    text = json.dumps(d)
    assert '"s0"' in text
    assert {p["id"] for p in d["participants"]} <= set(range(1000, 1000 + m.n_participants))
    assert all(isinstance(r["statement"], str) for g in d["groups"] for r in g["representative"])
    assert PolisState.from_dict(json.loads(json.dumps(d["state"]))).to_dict() == d["state"]


def test_previous_state_smooths_k():
    # three clear groups, but the previous state has shown 2 groups for a while
    m, _ = _opinion_groups()
    first = compute(m)
    assert first.k == 3
    held = PolisState.from_dict(
        {**first.state.to_dict(), "k_smoother": {"last_k": 2, "last_k_count": 5, "smoothed_k": 2}}
    )
    ks = []
    state = held
    for _ in range(5):
        r = compute(m, previous_state=state)
        ks.append(r.k)
        state = r.state
    assert ks == [2, 2, 2, 3, 3]  # a new k is shown after it won 4 updates in a row


def test_previous_state_keeps_clusters_stable_when_votes_arrive():
    big, _ = _opinion_groups(seed=7, n_per_group=(60, 45, 45))
    # the first update saw two thirds of each group
    keep = np.isin(big.participant, np.r_[0:40, 60:90, 105:135])
    small = VoteMatrix(
        big.participant[keep],
        big.statement[keep],
        big.value[keep],
        big.n_participants,
        big.n_statements,
    )
    r1 = compute(small)
    r2 = compute(big, previous_state=r1.state)
    common = r1.in_conv
    assert adjusted_rand_index(r1.participant_group[common], r2.participant_group[common]) > 0.95
    assert r2.k == r1.k
    # clusters persist: base-cluster ids of the first update are reused
    assert len(set(r1.base_clusters.ids.tolist()) & set(r2.base_clusters.ids.tolist())) > 50


def test_empty_conversation():
    r = compute(
        VoteMatrix.from_arrays(
            np.zeros(0), np.zeros(0), np.zeros(0), n_participants=0, n_statements=3
        )
    )
    assert r.k == 0
    assert r.groups == ()
    assert len(r.priority) == 3


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([0, 0, 1, 1], [5, 5, 9, 9], 1.0),
        ([0, 0, 1, 1], [0, 1, 0, 1], -0.5),
        ([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2], 0.24242424242424243),
    ],
)
def test_adjusted_rand_index(a, b, expected):
    # expected values: ARI definition, worked out from the contingency tables
    assert abs(adjusted_rand_index(np.array(a), np.array(b)) - expected) < 1e-12
