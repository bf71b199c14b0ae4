import numpy as np

from koproduktion.opinions.polismath import VoteMatrix
from koproduktion.opinions.polismath.pca import centred_matrix, principal_components, project

# 6 participants × 4 statements; 9 = not seen
DENSE = np.array(
    [
        [1, 1, -1, 9],
        [1, 1, -1, -1],
        [1, 9, -1, -1],
        [-1, -1, 1, 1],
        [-1, -1, 9, 1],
        [0, -1, 1, 9],
    ]
)


def _votes(dense):
    p, s = np.nonzero(dense != 9)
    return VoteMatrix.from_arrays(
        p, s, dense[p, s], n_participants=dense.shape[0], n_statements=dense.shape[1]
    )


def _reference_pca(dense, zeroed):
    """Textbook version: fill missing with column means, centre, take the top two right singular vectors."""
    x = dense.astype(float)
    seen = dense != 9
    means = np.array([x[seen[:, j], j].mean() for j in range(x.shape[1])])
    means[zeroed] = 0
    filled = np.where(seen, x, means)
    filled[:, zeroed] = 0
    centred = filled - filled.mean(axis=0)
    _, _, vt = np.linalg.svd(centred)
    return centred, means, vt[:2]


def test_centred_matrix_is_sparse_and_equals_mean_filled_centring():
    zeroed = np.zeros(4, bool)
    centred, means = centred_matrix(_votes(DENSE), zeroed)
    ref, ref_means, _ = _reference_pca(DENSE, zeroed)
    assert np.allclose(means, ref_means)
    assert np.allclose(centred.toarray(), ref)
    assert centred.nnz <= (DENSE != 9).sum()


def test_power_iteration_finds_the_principal_axes():
    zeroed = np.zeros(4, bool)
    centred, _ = centred_matrix(_votes(DENSE), zeroed)
    comps = principal_components(centred)
    _, _, ref = _reference_pca(DENSE, zeroed)
    for c, r in zip(comps, ref, strict=True):
        assert abs(abs(c @ r) - 1) < 1e-6  # same axis up to sign
    assert abs(comps[0] @ comps[1]) < 1e-9


def test_sparsity_aware_projection_scales_by_votes_seen():
    zeroed = np.zeros(4, bool)
    proj = project(_votes(DENSE), zeroed)
    ref, _, _ = _reference_pca(DENSE, zeroed)
    seen = (DENSE != 9).sum(axis=1)
    expected = (ref @ proj.components.T) * np.sqrt(4 / seen)[:, None]
    assert np.allclose(proj.participants, expected)
    # the two camps land on opposite sides of the first axis
    assert np.sign(proj.participants[0, 0]) == -np.sign(proj.participants[3, 0])


def test_statement_position_is_a_virtual_participant_agreeing_only_with_it():
    zeroed = np.zeros(4, bool)
    proj = project(_votes(DENSE), zeroed)
    for j in range(4):
        virtual = np.zeros(4)
        virtual[j] = 1 - proj.center[j]
        assert np.allclose(proj.statements[j], np.sqrt(4) * (virtual @ proj.components.T))
    assert np.allclose(proj.extremity, np.linalg.norm(proj.statements, axis=1))


def test_zeroed_statements_do_not_move_anyone():
    # statement 3 moderated out: its votes must have no influence on the axes
    zeroed = np.array([False, False, False, True])
    changed = DENSE.copy()
    changed[:, 3] = np.array([1, -1, 1, -1, 1, -1])
    a = project(_votes(DENSE), zeroed)
    b = project(_votes(changed), zeroed)
    assert np.allclose(a.components, b.components)
    assert np.all(a.components[:, 3] == 0)
    assert a.extremity[3] == 0


def test_start_vectors_continue_previous_axes():
    zeroed = np.zeros(4, bool)
    first = project(_votes(DENSE), zeroed)
    flipped = -first.components
    again = project(_votes(DENSE), zeroed, start_vectors=flipped)
    assert np.allclose(again.components, flipped, atol=1e-6)
