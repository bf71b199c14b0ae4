import numpy as np

from koproduktion.opinions.polismath.kmeans import (
    first_distinct_rows,
    kmeans,
    silhouette,
    warm_start,
)


def test_first_distinct_rows_keeps_input_order():
    pts = np.array([[1, 1], [1, 1], [0, 0], [2, 2], [0, 0]], float)
    assert first_distinct_rows(pts, 5).tolist() == [0, 2, 3]
    assert first_distinct_rows(pts, 2).tolist() == [0, 2]


def test_kmeans_separates_two_blobs_and_is_deterministic():
    rng = np.random.default_rng(3)
    pts = np.vstack([rng.normal(-5, 0.3, (40, 2)), rng.normal(5, 0.3, (60, 2))])
    a = kmeans(pts, 2, max_iters=100)
    b = kmeans(pts, 2, max_iters=100)
    assert np.array_equal(a.labels, b.labels)
    assert sorted(np.bincount(a.labels).tolist()) == [40, 60]
    assert len(set(a.labels[:40])) == 1
    assert len(set(a.labels[40:])) == 1


def test_empty_clusters_are_dropped():
    pts = np.array([[0, 0], [0.1, 0], [10, 0]], float)
    # the far-away start centre attracts nobody and disappears
    c = kmeans(pts, 3, start=(np.array([4, 7, 9]), np.array([[0, 0], [10, 0], [100, 100]], float)))
    assert c.ids.tolist() == [4, 7]
    assert c.labels.tolist() == [0, 0, 1]


def test_weights_pull_the_centre():
    pts = np.array([[0, 0], [3, 0]], float)
    c = kmeans(pts, 1, weights=np.array([2.0, 1.0]))
    assert np.allclose(c.centers, [[1, 0]])


def test_silhouette_matches_hand_computation():
    # points on a line at 0, 1 (cluster A) and 4 (cluster B)
    x = np.array([0.0, 1.0, 4.0])
    d = np.abs(x[:, None] - x[None, :])
    labels = np.array([0, 0, 1])
    # s(0) = (4 - 1) / 4, s(1) = (3 - 1) / 3, s(2) = 0 (alone in its cluster)
    expected = (3 / 4 + 2 / 3 + 0) / 3
    assert abs(silhouette(d, labels) - expected) < 1e-12
    assert silhouette(d, np.array([0, 0, 0])) == 0.0


def test_warm_start_keeps_ids_and_splits_off_new_region():
    pts = np.array([[0, 0], [0.2, 0], [5, 5], [5.2, 5], [20, 20]], float)
    previous = np.array([0, 0, 1, 1, -1])  # the last point is new
    ids, centers = warm_start(pts, 3, np.array([10, 11]), previous)
    assert ids.tolist() == [10, 11, 12]
    assert np.allclose(centers[:2], [[0.1, 0], [5.1, 5]])
    assert np.allclose(centers[2], [20, 20])
