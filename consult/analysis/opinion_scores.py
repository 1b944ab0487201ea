"""Opinion groups, the statement scores (specs/opinion-groups.md §7-§9): vote counts per group,
representative statements, consensus, group-informed consensus and the routing priority.

NumPy arrays in and out; votes are +1 agree, -1 disagree, 0 pass, NaN never voted.
"""

import numpy as np

from consult.analysis.opinion_clusters import BLOCK

#: One-sided 90% confidence (z) for the proportion and difference tests.
Z_90 = 1.2816
#: How many representative or consensus statements are kept.
TOP = 5


def counts(matrix: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Per statement (agrees, disagrees, votes) over the given rows (all if None), 3 x m ints."""
    selected = matrix if rows is None else matrix[rows]
    result = np.zeros((3, matrix.shape[1]), dtype=np.int64)
    for start in range(0, len(selected), BLOCK):
        block = selected[start:start + BLOCK]
        result[0] += np.count_nonzero(block == 1, axis=0)
        result[1] += np.count_nonzero(block == -1, axis=0)
        result[2] += np.count_nonzero(~np.isnan(block), axis=0)
    return result


def group_counts(matrix: np.ndarray, rows: np.ndarray, labels: np.ndarray,
                 n_groups: int) -> np.ndarray:
    """(agrees, disagrees, votes) per group and statement, 3 x groups x m ints."""
    result = np.zeros((3, n_groups, matrix.shape[1]), dtype=np.int64)
    for g in range(n_groups):
        result[:, g] = counts(matrix, rows[labels == g])
    return result


def group_informed_consensus(agrees: np.ndarray, votes: np.ndarray) -> np.ndarray:
    """Per statement, the product over groups of (A_g + 1) / (S_g + 2) (§8); groups x m in."""
    return np.prod((agrees + 1) / (votes + 2), axis=0)


def proportion_test(successes: np.ndarray, votes: np.ndarray) -> np.ndarray:
    """Pol.is's smoothed one-proportion test against 1/2 (pat, pdt)."""
    return 2 * np.sqrt(votes + 1) * ((successes + 1) / (votes + 1) - 0.5)


def difference_test(s1: np.ndarray, n1: np.ndarray, s2: np.ndarray,
                    n2: np.ndarray) -> np.ndarray:
    """Two-proportion z-test with every count incremented by 1 (rat, rdt); 0 when p = 1."""
    p1, p2 = (s1 + 1) / (n1 + 1), (s2 + 1) / (n2 + 1)
    p = (s1 + s2 + 2) / (n1 + n2 + 2)
    spread = np.sqrt(np.clip(p * (1 - p), 0, None) * (1 / (n1 + 1) + 1 / (n2 + 1)))
    return np.divide(p1 - p2, spread, out=np.zeros(np.broadcast(p1, p2).shape), where=p < 1)


def repness(group: np.ndarray, total: np.ndarray) -> dict[str, np.ndarray]:
    """Every §7 measure for one group against all other groups combined; 3 x m counts in."""
    na, nd, ns = group
    oa, od, os_ = total - group
    measures = {"pa": (na + 1) / (ns + 2), "pd": (nd + 1) / (ns + 2),
                "pat": proportion_test(na, ns), "pdt": proportion_test(nd, ns),
                "rat": difference_test(na, ns, oa, os_), "rdt": difference_test(nd, ns, od, os_)}
    measures["ra"] = measures["pa"] / ((1 + oa) / (2 + os_))
    measures["rd"] = measures["pd"] / ((1 + od) / (2 + os_))
    return measures


def representative(measures: dict[str, np.ndarray], kept: np.ndarray) -> list[tuple[int, bool,
                                                                                     bool]]:
    """The group's representative statements as (column, is agree, significant) (§7).

    Up to five significant ones by score, agrees before disagrees; if none is significant,
    the kept statement with the best max(rat, rdt).
    """
    m = measures
    agree = m["rat"] > m["rdt"]
    significant = kept & (((m["rat"] > Z_90) & (m["pat"] > Z_90))
                          | ((m["rdt"] > Z_90) & (m["pdt"] > Z_90)))
    score = np.where(agree, m["ra"] * m["rat"] * m["pa"] * m["pat"],
                     m["rd"] * m["rdt"] * m["pd"] * m["pdt"])
    columns = np.flatnonzero(significant)
    if len(columns):
        best = columns[np.argsort(-score[columns], kind="stable")][:TOP]
        best = sorted(best, key=lambda c: not agree[c])
        return [(int(c), bool(agree[c]), True) for c in best]
    columns = np.flatnonzero(kept)
    if not len(columns):
        return []
    c = columns[np.argmax(np.maximum(m["rat"], m["rdt"])[columns])]
    return [(int(c), bool(agree[c]), False)]


def consensus(successes: np.ndarray, votes: np.ndarray, kept: np.ndarray) -> list[int]:
    """Columns of the overall consensus on one side (§8): p > 1/2 and its test > Z_90, top 5 by
    p * test."""
    p = (successes + 1) / (votes + 2)
    test = proportion_test(successes, votes)
    columns = np.flatnonzero(kept & (p > 0.5) & (test > Z_90))
    return [int(c) for c in columns[np.argsort(-(p * test)[columns], kind="stable")][:TOP]]


def leanings(agrees: np.ndarray, disagrees: np.ndarray, votes: np.ndarray) -> np.ndarray:
    """Each group's smoothed net lean on each statement, (A - D) / (S + 2), in [-1, 1]."""
    return (agrees - disagrees) / (votes + 2)


def divisive(lean: np.ndarray, kept: np.ndarray) -> list[int]:
    """Columns where groups lean opposite ways, widest gap first, top 5 (not in the spec)."""
    if lean.shape[0] < 2:
        return []
    gap = lean.max(axis=0) - lean.min(axis=0)
    columns = np.flatnonzero(kept & (lean.max(axis=0) > 0) & (lean.min(axis=0) < 0))
    return [int(c) for c in columns[np.argsort(-gap[columns], kind="stable")][:TOP]]
