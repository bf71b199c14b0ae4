import numpy as np
import pytest

from koproduktion.opinions.polismath import VoteMatrix, build_vote_matrix, latest_vote_rows


def test_latest_vote_wins_by_timestamp_not_row_order():
    # participant 0 changes their mind on statement 1; the rows arrive out of time order
    p = np.array([0, 0, 0, 1])
    s = np.array([1, 1, 0, 1])
    v = np.array([1, -1, 0, 1])
    t = np.array([200, 100, 50, 10])
    m = VoteMatrix.from_arrays(p, s, v, timestamp=t)
    cells = {(a, b): c for a, b, c in zip(m.participant, m.statement, m.value, strict=True)}
    assert cells == {(0, 0): 0, (0, 1): 1, (1, 1): 1}


def test_without_timestamps_the_later_row_wins():
    keep = latest_vote_rows(np.array([3, 3, 3]), np.array([7, 7, 7]))
    assert keep.tolist() == [2]


def test_pass_is_kept_apart_from_not_seen():
    m = VoteMatrix.from_arrays(np.array([0, 1]), np.array([0, 1]), np.array([0, 1]))
    assert m.seen().toarray().tolist() == [[1, 0], [0, 1]]
    assert m.agrees().toarray().tolist() == [[0, 0], [0, 1]]
    assert m.votes_per_participant().tolist() == [1, 1]


def test_invalid_values_are_rejected():
    with pytest.raises(ValueError, match="-1, 0 or 1"):
        VoteMatrix.from_arrays(np.array([0]), np.array([0]), np.array([2]))


def test_build_orders_rows_as_polis_loads_votes_and_maps_ids():
    pids = np.array([50, 20, 50, 30])
    sids = np.array([9, 9, 4, 4])
    vals = np.array([1, -1, 1, 0])
    times = np.array([5, 1, 6, 3])
    m, row_ids, col_ids = build_vote_matrix(
        pids, sids, vals, times, all_statement_ids=np.array([4, 9, 11])
    )
    # Polis reads votes ordered by statement, then participant: 30 and 50 voted on statement 4,
    # 20 only on 9. The vote times do not matter for the order.
    assert row_ids.tolist() == [30, 50, 20]
    assert col_ids.tolist() == [4, 9, 11]  # statement 11 has no votes but gets a column
    dense = np.full((3, 3), 9)
    dense[m.participant, m.statement] = m.value
    assert dense.tolist() == [[0, 9, 9], [1, 1, 9], [9, -1, 9]]


@pytest.mark.parametrize("span", [50, 5_000_000])  # ids close together (a table), or far apart
def test_matrix_of_votes_read_from_the_database_is_built_as_from_any_votes(span):
    """The fast ways for a map's votes (ids close together, no timestamps) give what sorting
    every vote gives: the same rows, columns and cells, the later of two rows for a pair."""
    rng = np.random.default_rng(span)
    n = 5_000
    pids = rng.integers(1, span, size=n) * 3 + 1_000
    sids = rng.integers(0, 40, size=n) * 7 + 900
    pids[-50:], sids[-50:] = pids[:50], sids[:50]  # 50 pairs voted on again, later
    vals = rng.integers(-1, 2, size=n)

    m, row_ids, col_ids = build_vote_matrix(pids, sids, vals, all_statement_ids=np.array([5]))

    uniq_s = np.unique(np.concatenate([[5], sids]))
    assert col_ids.tolist() == uniq_s.tolist()
    expected = {}
    for p, s, v in zip(pids.tolist(), sids.tolist(), vals.tolist(), strict=True):
        expected[(p, s)] = v  # the later row wins
    got = {
        (row_ids[r], col_ids[c]): v
        for r, c, v in zip(
            m.participant.tolist(), m.statement.tolist(), m.value.tolist(), strict=True
        )
    }
    assert got == expected
    # Rows as Polis orders them: by the first statement voted on, then by participant id.
    first = {p: min(s for (q, s) in expected if q == p) for p in set(pids.tolist())}
    assert row_ids.tolist() == sorted(first, key=lambda p: (first[p], p))
