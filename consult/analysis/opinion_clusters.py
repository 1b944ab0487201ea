"""Opinion groups, the geometry (specs/opinion-groups.md §1-§6): who is clustered, PCA,
the sparsity-aware projection, k-means base clusters and groups chosen by silhouette.

NumPy arrays in and out. Votes arrive as +1 agree, -1 disagree, 0 pass, NaN never voted; the
geometry flips them to Pol.is's internal sign (agree = -1) so that projections compare with
Pol.is's own.
"""
import numpy as np

#: A participant is clustered after this many votes (or every statement, if there are fewer).
MIN_VOTES = 7
#: Fewer clustered participants than this: the heaviest voters are added.
MIN_CLUSTERED = 15
#: k-means: base clusters (§5), then groups over them (§6).
BASE_K = 100
BASE_ITERATIONS = 100
GROUP_ITERATIONS = 20
MAX_GROUPS = 5
#: k-means has converged when every centre moves less than this.
CONVERGED = 0.01
#: Subspace iteration for the components: extra vectors carried, and the most iterations.
SUBSPACE_EXTRA = 8
SUBSPACE_ITERATIONS = 200
#: Rows per block when streaming over a large matrix (bounds temporary memory).
BLOCK = 4096


def clustered_rows(vote_counts: np.ndarray, n_statements: int,
                   stay: np.ndarray | None = None) -> np.ndarray:
    """Indices of the participants to cluster, ascending (§2); rows in the boolean mask stay are
    clustered whatever their count (Pol.is never unclusters anyone)."""
    voted = vote_counts > 0
    chosen = voted & (vote_counts >= min(MIN_VOTES, n_statements))
    if stay is not None:
        chosen |= stay
    missing = MIN_CLUSTERED - int(chosen.sum())
    if missing > 0:
        # Heaviest voters first; a stable sort keeps row order among equal counts.
        order = np.argsort(-vote_counts, kind="stable")
        extra = order[voted[order] & ~chosen[order]][:missing]
        chosen[extra] = True
    return np.flatnonzero(chosen)


def centred_matrix(matrix: np.ndarray, moderated: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                       np.ndarray]:
    """(centred votes with missing cells 0, column centres, present cells per row) (§1, §3).

    Moderated-out columns become 0 for everyone (present); missing cells take their column's
    mean, so after centring they are exactly 0 and drop out of every product below.
    """
    work = np.negative(matrix)
    work[:, moderated] = 0
    absent = np.isnan(work)
    np.copyto(work, 0, where=absent)
    n_voted = work.shape[1] - absent.sum(axis=1)
    counts = work.shape[0] - absent.sum(axis=0)
    sums = np.zeros(work.shape[1])
    for start in range(0, work.shape[0], BLOCK):
        sums += work[start:start + BLOCK].sum(axis=0, dtype=np.float64)
    centre = sums / np.maximum(counts, 1)
    for start in range(0, work.shape[0], BLOCK):
        block = work[start:start + BLOCK]
        block -= centre.astype(work.dtype)
        np.copyto(block, 0, where=absent[start:start + BLOCK])
    return work, centre, n_voted


def principal_components(centred: np.ndarray) -> np.ndarray:
    """The top two right singular vectors of the centred matrix, as a 2 x statements array (§3).

    Top eigenvectors of the Gram matrix on the smaller side (the same vectors as an SVD's);
    each sign is fixed so that the component's largest loading is positive.
    """
    n, m = centred.shape
    components = np.zeros((2, m))
    if n == 0 or m == 0:
        return components
    if m <= n:
        gram = np.zeros((m, m))
        for start in range(0, n, BLOCK):
            block = centred[start:start + BLOCK].astype(np.float64)
            gram += block.T @ block
        values, vectors = _top_eigenvectors(gram, 2)
    else:
        # Fewer participants than statements (a small matrix): the n x n Gram matrix, then
        # from left singular vectors u to right ones, v = X^T u / sigma.
        rows = centred.astype(np.float64, copy=False)
        values, left = _top_eigenvectors(rows @ rows.T, 2)
        sigma = np.sqrt(np.clip(values, 0, None))
        vectors = np.divide(rows.T @ left, sigma, out=np.zeros((m, len(sigma))),
                            where=sigma > 1e-12 * max(sigma.max(initial=0), 1))
    # No spread at all (e.g. only passes): no direction, rather than an arbitrary one.
    vectors[:, values <= 1e-12 * max(values.max(initial=0), 0)] = 0
    components[:vectors.shape[1]] = vectors.T
    for component in components:
        if component[np.argmax(np.abs(component))] < 0:
            component *= -1
    return components


def _top_eigenvectors(gram: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(values, vectors as columns) of the count largest eigenpairs of a symmetric PSD matrix.

    Subspace iteration (Pol.is uses power iteration) from a fixed seeded start, with a few extra
    vectors to speed convergence; a full eigh when small or when it does not converge.
    """
    size = len(gram)
    width = min(size, count + SUBSPACE_EXTRA)
    if size <= 4 * width:
        values, vectors = np.linalg.eigh(gram)
        return values[::-1][:count], vectors[:, ::-1][:, :count]
    basis = np.linalg.qr(np.random.default_rng(0).standard_normal((size, width)))[0]
    for _ in range(SUBSPACE_ITERATIONS):
        basis = np.linalg.qr(gram @ basis)[0]
        values, small = np.linalg.eigh(basis.T @ gram @ basis)
        values, vectors = values[::-1][:count], basis @ small[:, ::-1][:, :count]
        residual = np.linalg.norm(gram @ vectors - vectors * values, axis=0)
        if np.all(residual <= 1e-11 * max(values[0], 1e-300)):
            return values, vectors
    values, vectors = np.linalg.eigh(gram)
    return values[::-1][:count], vectors[:, ::-1][:, :count]


def project(centred: np.ndarray, components: np.ndarray, n_voted: np.ndarray) -> np.ndarray:
    """Sparsity-aware projection of every participant on the components (§4), n x 2."""
    n, m = centred.shape
    product = np.empty((n, 2))
    weights = components.T.astype(centred.dtype)
    for start in range(0, n, BLOCK):
        product[start:start + BLOCK] = centred[start:start + BLOCK] @ weights
    return product * np.sqrt(m / np.maximum(n_voted, 1))[:, None]


def extremity(centre: np.ndarray, components: np.ndarray) -> np.ndarray:
    """Per statement, the length of the projection of a lone "agree" on it (§9's E)."""
    m = len(centre)
    # Internal sign: agree is -1; one vote present, so the scale is sqrt(m / 1).
    return np.abs(-1 - centre) * np.hypot(components[0], components[1]) * np.sqrt(m)


def _nearest(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of each point's nearest centre (the first one on a tie)."""
    labels = np.empty(len(points), dtype=np.intp)
    for start in range(0, len(points), BLOCK):
        block = points[start:start + BLOCK]
        squared = np.zeros((len(block), len(centres)))
        for d in range(points.shape[1]):
            diff = block[:, d, None] - centres[None, :, d]
            squared += diff * diff
        labels[start:start + BLOCK] = np.argmin(squared, axis=1)
    return labels


def kmeans(points: np.ndarray, weights: np.ndarray, k: int,
           iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """Weighted k-means, cold-started on the first k distinct points in row order (§5).

    Returns (centres, label per point); empty clusters are dropped and the rest keep their
    initial order.
    """
    if len(points) == 0:
        return np.zeros((0, points.shape[1])), np.zeros(0, dtype=np.intp)
    _, first = np.unique(points, axis=0, return_index=True)
    centres = points[np.sort(first)[:k]]
    for _ in range(iterations):
        labels = _nearest(points, centres)
        mass = np.bincount(labels, weights, minlength=len(centres))
        sums = np.stack([np.bincount(labels, weights * points[:, d], minlength=len(centres))
                         for d in range(points.shape[1])], axis=1)
        kept = mass > 0
        new = sums[kept] / mass[kept, None]
        labels = (np.cumsum(kept) - 1)[labels]
        done = bool(kept.all()) and bool(np.all(np.linalg.norm(new - centres, axis=1)
                                                < CONVERGED))
        centres = new
        if done:
            break
    return centres, labels


def silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Unweighted mean silhouette of points with pairwise distances; a singleton scores 0."""
    n_groups = int(labels.max()) + 1 if len(labels) else 0
    if n_groups < 2:
        return 0.0
    one_hot = np.eye(n_groups)[labels]
    sizes = one_hot.sum(axis=0)
    totals = distances @ one_hot
    own = np.arange(len(labels)), labels
    a = totals[own] / np.maximum(sizes[labels] - 1, 1)
    means = totals / sizes
    means[own] = np.inf
    b = means.min(axis=1)
    largest = np.maximum(a, b)
    scores = np.divide(b - a, largest, out=np.zeros(len(labels)), where=largest > 0)
    scores[sizes[labels] == 1] = 0.0
    return float(scores.mean())


def groups_of(points: np.ndarray) -> tuple[np.ndarray, dict[int, float]]:
    """Group label per clustered participant (§5, §6), and the silhouette of each k tried."""
    if len(points) == 0:
        return np.zeros(0, dtype=np.intp), {}
    base, base_labels = kmeans(points, np.ones(len(points)), BASE_K, BASE_ITERATIONS)
    if len(base) < 2:
        return np.zeros(len(points), dtype=np.intp), {}
    sizes = np.bincount(base_labels, minlength=len(base)).astype(np.float64)
    distances = np.linalg.norm(base[:, None, :] - base[None, :, :], axis=2)
    best, scores = None, {}
    for k in range(2, min(MAX_GROUPS, 2 + len(base) // 12) + 1):
        _, labels = kmeans(base, sizes, k, GROUP_ITERATIONS)
        scores[k] = silhouette(distances, labels)
        if best is None or scores[k] > scores[best[0]]:
            best = k, labels
    return best[1][base_labels], scores
