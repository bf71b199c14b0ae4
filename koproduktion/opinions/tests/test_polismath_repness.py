import numpy as np

from koproduktion.opinions.polismath.repness import (
    group_informed_consensus,
    group_stats,
    priority,
    prop_test,
    select_consensus,
    select_representative,
    two_prop_test,
)


def test_prop_test_by_hand():
    # 3 agrees of 4 seen: 2·sqrt(5)·(4/5 - 1/2) = 0.6·sqrt(5)
    assert abs(prop_test(3, 4) - 0.6 * np.sqrt(5)) < 1e-12


def test_prop_test_zero_votes_is_one():
    assert prop_test(0, 0) == 1.0


def test_two_prop_test_by_hand():
    # in: 3 of 4, out: 1 of 6 -> with pseudocounts 4/5 vs 2/7, pooled 6/12
    z = two_prop_test(3, 1, 4, 6)
    expected = (4 / 5 - 2 / 7) / np.sqrt(0.5 * 0.5 * (1 / 5 + 1 / 7))
    assert abs(z - expected) < 1e-12
    assert two_prop_test(4, 6, 4, 6) == 0.0  # pooled proportion 1: undefined, Polis says 0


def test_group_stats_compare_with_the_other_groups():
    na = np.array([[8], [1], [1]])
    nd = np.array([[1], [7], [5]])
    ns = np.array([[10], [9], [7]])
    s = group_stats(na, nd, ns)
    assert abs(s.pa[0, 0] - 9 / 12) < 1e-12
    assert abs(s.pd[1, 0] - 8 / 11) < 1e-12
    # ra of group 0: pa / ((1 + 2) / (2 + 16))
    assert abs(s.ra[0, 0] - (9 / 12) / (3 / 18)) < 1e-12
    assert abs(s.rat[0, 0] - two_prop_test(8, 2, 10, 16)) < 1e-12
    assert abs(s.rdt[1, 0] - two_prop_test(7, 6, 9, 17)) < 1e-12


def _two_groups():
    # statement 0: group 0 agrees, group 1 disagrees; 1: everybody agrees; 2: split evenly
    na = np.array([[18, 19, 5], [1, 18, 5]])
    nd = np.array([[1, 0, 5], [17, 1, 5]])
    ns = np.array([[20, 20, 10], [20, 20, 10]])
    return group_stats(na, nd, ns)


def test_representative_statements():
    reps = select_representative(_two_groups(), np.arange(3))
    g0, g1 = reps
    assert [r.statement for r in g0] == [0]
    assert g0[0].direction == "agree"
    assert g0[0].best_agree
    # group 1 is told apart by disagreeing with statement 0; its best agree leads
    assert [(r.statement, r.direction) for r in g1][-1] == (0, "disagree")
    assert all(r.metric > 0 for r in g1 if not r.best_agree)


def test_excluded_statements_are_never_representative():
    reps = select_representative(_two_groups(), np.array([1, 2]))
    assert all(r.statement != 0 for group in reps for r in group)


def test_consensus_needs_a_significant_majority():
    na = np.array([38, 2, 10, 30])
    nd = np.array([1, 37, 10, 5])
    ns = np.array([40, 40, 20, 40])
    c = select_consensus(na, nd, ns, np.arange(4))
    assert [x.statement for x in c["agree"]] == [0, 3]  # ranked by pa·pat
    assert [x.statement for x in c["disagree"]] == [1]
    c = select_consensus(na, nd, ns, np.array([1, 2, 3]))
    assert [x.statement for x in c["agree"]] == [3]


def test_group_informed_consensus_is_product_over_groups():
    gic = group_informed_consensus(np.array([[9, 0], [4, 5]]), np.array([[10, 10], [8, 10]]))
    assert np.allclose(gic, [(10 / 12) * (5 / 10), (1 / 12) * (6 / 12)])


def test_priority_formula_and_meta():
    agrees, passes, seen, ext = np.array([6.0]), np.array([2.0]), np.array([10.0]), np.array([0.5])
    importance = (1 - 3 / 12) * 1.5 * (7 / 12)
    expected = (importance * (1 + 8 * 2 ** (-2))) ** 2
    assert abs(priority(agrees, passes, seen, ext, np.array([False]))[0] - expected) < 1e-12
    assert priority(agrees, passes, seen, ext, np.array([True]))[0] == 49.0
    # unseen statements are boosted so that they get votes
    assert priority(np.zeros(1), np.zeros(1), np.zeros(1), ext, np.array([False]))[0] > expected
