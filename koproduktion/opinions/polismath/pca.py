"""Two-component PCA of the vote matrix and the sparsity-aware projection Polis uses.

Polis fills every missing vote with its statement's mean and then centres each column on that
same mean. The filled cells therefore become exactly zero after centring: the centred matrix
has the sparsity pattern of the votes themselves. That lets the power iteration run on a
scipy.sparse matrix, so 50,000 participants × 1,000 statements never become a dense 400 MB
array.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .votes import VoteMatrix

PCA_ITERATIONS = 100
START_VECTOR_SEED = 0


@dataclass(frozen=True)
class Projection:
    center: np.ndarray  # (m,) column means used for centring
    components: np.ndarray  # (2, m) unit vectors
    participants: np.ndarray  # (n, 2) sparsity-aware coordinates of every participant
    statements: np.ndarray  # (m, 2) where a participant agreeing only with that statement lands
    extremity: np.ndarray  # (m,) distance of each statement position from the origin


def centred_matrix(votes: VoteMatrix, zeroed: np.ndarray) -> tuple[sp.csr_matrix, np.ndarray]:
    """The mean-filled, centred matrix (sparse) and the column means.

    `zeroed` marks statements that are moderated out or meta. Polis sets their whole column to
    0 ("pass" for everyone), so their mean is 0 and the centred column vanishes.
    """
    n_votes = votes.votes_per_statement()
    sums = np.bincount(votes.statement, weights=votes.value, minlength=votes.n_statements)
    center = np.divide(sums, n_votes, out=np.zeros(votes.n_statements), where=n_votes > 0)
    center[zeroed] = 0.0
    data = votes.value - center[votes.statement]
    data[zeroed[votes.statement]] = 0.0
    matrix = sp.csr_matrix(
        (data, (votes.participant, votes.statement)),
        shape=(votes.n_participants, votes.n_statements),
    )
    return matrix, center


def _power_iteration(apply_gram, start: np.ndarray, iterations: int) -> np.ndarray:
    """Polis's power iteration: repeat v ← normalise(XᵀXv) until the eigenvalue stops changing.

    Polis compares eigenvalues for exact equality; a relative tolerance of 1e-12 gives the same
    result in floating point without spending the remaining iterations on rounding noise.
    """
    vector = start
    last = 0.0
    for _ in range(iterations):
        product = apply_gram(vector)
        eigenvalue = float(np.linalg.norm(product))
        if eigenvalue == 0.0:
            return np.zeros_like(vector)
        vector = product / eigenvalue
        if abs(eigenvalue - last) <= 1e-12 * eigenvalue:
            break
        last = eigenvalue
    return vector


def principal_components(
    centred: sp.csr_matrix,
    *,
    start_vectors: np.ndarray | None = None,
    iterations: int = PCA_ITERATIONS,
) -> np.ndarray:
    """First two principal components by power iteration with deflation.

    As in Polis the second component is found on the data with the first "factored out"
    (Gram-Schmidt), and the start vectors are the previous components when there are any, so
    the axes do not flip between updates. A fresh start uses a seeded uniform random vector
    (Polis uses an unseeded one) so that results are reproducible.
    """
    n_rows, n_cols = centred.shape
    n_comps = min(2, n_rows, n_cols)
    components = np.zeros((2, n_cols))
    transposed = centred.T.tocsr()
    rng = np.random.default_rng(START_VECTOR_SEED)
    found: list[np.ndarray] = []
    for c in range(n_comps):
        start = None if start_vectors is None else start_vectors[c]
        if start is None or not np.any(start):
            start = rng.random(n_cols)

        def apply_gram(v: np.ndarray, found: list[np.ndarray] = found) -> np.ndarray:
            # Deflation done implicitly: (I - ppᵀ) XᵀX (I - ppᵀ) v for each earlier p.
            for p in found:
                v = v - p * (p @ v)
            out = transposed @ (centred @ v)
            for p in found:
                out = out - p * (p @ out)
            return out

        pc = _power_iteration(apply_gram, np.asarray(start, dtype=np.float64), iterations)
        components[c] = pc
        if np.any(pc):
            found.append(pc)
    return components


def project(
    votes: VoteMatrix,
    zeroed: np.ndarray,
    *,
    start_vectors: np.ndarray | None = None,
    iterations: int = PCA_ITERATIONS,
) -> Projection:
    """PCA on all participants, then the sparsity-aware projection of participants and statements.

    A participant's coordinates use only the statements they saw, scaled by
    sqrt(n_statements / n_seen), so that someone who voted on few statements is not pulled to
    the centre. Polis's zeroed columns count as "seen" by everyone here, because Polis writes 0
    (not "missing") into them; we keep that so positions match Polis's.
    Only statements with at least one vote exist in Polis's matrix, so only they count.
    """
    centred, center = centred_matrix(votes, zeroed)
    components = principal_components(centred, start_vectors=start_vectors, iterations=iterations)
    present = votes.votes_per_statement() > 0
    n_present = int(present.sum())
    active_vote = ~zeroed[votes.statement]
    seen = np.bincount(votes.participant[active_vote], minlength=votes.n_participants) + int(
        (zeroed & present).sum()
    )
    scale = np.sqrt(n_present / np.maximum(seen, 1))
    participants = np.asarray(centred @ components.T) * scale[:, None]

    statement_scale = np.sqrt(n_present) * (1.0 - center)
    statement_scale[zeroed | ~present] = 0.0
    statements = (components * statement_scale).T
    extremity = np.linalg.norm(statements, axis=1)
    return Projection(center, components, participants, statements, extremity)
