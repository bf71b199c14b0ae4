import numpy as np
import pytest

from koproduktion.opinions.polismath import build_vote_matrix, compute
from koproduktion.opinions.polismath.replay import computation_times, replay


def test_computation_times_debounce_by_the_minimum_interval():
    votes = np.array([0, 200, 900, 1000, 1500, 5000, 5100, 9000])
    # 0 runs at once; 200..1000 wait for 1000; 1500 waits for 2000; 5000 at once; 5100 -> 6000
    assert computation_times(votes, 1000).tolist() == [0, 1000, 2000, 5000, 6000, 9000]
    assert computation_times(votes[::-1], 1000).tolist() == [0, 1000, 2000, 5000, 6000, 9000]
    assert computation_times(votes, 0).tolist() == [0, 200, 900, 1000, 1500, 5000, 5100, 9000]
    assert computation_times(votes, 10_000).tolist() == [0, 10_000]


def _conversation(seed=3, people=60, statements=12):
    rng = np.random.default_rng(seed)
    lean = rng.choice([-1, 1], size=(2, statements))
    rows = []
    for p in range(people):
        g = p % 2
        for s in rng.permutation(statements)[:9]:
            v = lean[g, s] if rng.random() < 0.85 else -lean[g, s]
            rows.append((p, s, v, p * 60_000 + len(rows)))
    p, s, v, t = (np.array(c) for c in zip(*rows, strict=True))
    return p, s, v, t


def test_replay_ends_with_every_vote_and_a_usable_state():
    p, s, v, t = _conversation()
    run = replay(p, s, v, t, min_interval_ms=1000, moderated_out_ids=np.array([5]))
    assert run.updates == len(computation_times(t, 1000)) > 1
    assert t.max() <= run.last_time <= t.max() + 1000  # deferred to the end of the interval
    assert sorted(run.participant_ids.tolist()) == list(range(60))
    assert run.result.k >= 2
    assert run.result.excluded[np.flatnonzero(run.statement_ids == 5)].all()
    # The state continues: one more computation on the same votes keeps the groups.
    matrix, pids, sids = build_vote_matrix(p, s, v, t)
    again = compute(
        matrix,
        participant_ids=pids,
        statement_ids=sids,
        moderated_out=sids == 5,
        previous_state=run.result.state,
    )
    assert (again.participant_group == run.result.participant_group).all()


def test_replay_needs_votes():
    empty = np.zeros(0, np.int64)
    with pytest.raises(ValueError, match="no votes"):
        replay(empty, empty, empty, empty)


def test_first_at_takes_the_votes_so_far_at_once_and_replays_the_rest():
    p, s, v, t = _conversation()
    cut = int(t[len(t) // 2])
    run = replay(p, s, v, t, min_interval_ms=1000, first_at=cut)
    assert run.updates == 1 + len(computation_times(t[t > cut], 1000))
    # After the last vote, it is the single computation of all votes.
    whole = replay(p, s, v, t, first_at=int(t.max()))
    assert whole.updates == 1
    matrix, pids, sids = build_vote_matrix(p, s, v, t)
    single = compute(matrix, participant_ids=pids, statement_ids=sids)
    assert (whole.result.participant_group == single.participant_group).all()
