"""Randomization inference: the p-value of a difference in proportions under the sharp null of no effect for
anyone, from the distribution over re-draws of the lottery. Labels are re-drawn within the lottery's strata, so
every re-draw keeps each stratum's numbers per arm, as the lottery did.

For a 0/1 outcome a re-draw needs no shuffling: within a stratum of N persons with M ones of whom n are treated,
the number of ones among the treated is hypergeometric (N, M, n), independently across strata, and the difference
in proportions is a function of their sum. Drawing those counts gives exactly the distribution that shuffling the
labels gives, at a cost per re-draw of the number of strata instead of the number of persons.

p = (1 + #{re-draws with |difference| >= observed}) / (1 + re-draws), which is a valid p-value for a finite
number of re-draws."""

import numpy as np

TOLERANCE = 1e-12  # a re-draw as extreme as the observed one up to rounding counts as extreme


def permutation_p_values(y: np.ndarray, treated: np.ndarray, strata: np.ndarray, permutations: int,
                         seed: int) -> np.ndarray:
    """p-values per column of y (persons x outcomes, values 0 or 1) for treated (bool) against the rest, labels
    re-drawn within strata (any integer or string codes)."""
    y = np.asarray(y, dtype=np.float64).reshape(len(treated), -1)
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("randomisatie-inferentie: uitkomsten moeten 0 of 1 zijn")
    treated = np.asarray(treated, dtype=bool)
    _, stratum = np.unique(np.asarray(strata), return_inverse=True)
    size = np.bincount(stratum)
    chosen = np.bincount(stratum, weights=treated).astype(np.int64)
    n1 = int(treated.sum())
    n0 = len(treated) - n1
    rng = np.random.default_rng(seed)
    p = np.empty(y.shape[1])
    for j in range(y.shape[1]):
        ones = np.bincount(stratum, weights=y[:, j], minlength=len(size)).astype(np.int64)
        total = int(ones.sum())
        observed = _difference(float(y[treated, j].sum()), total, n1, n0)
        counts = np.zeros(permutations)
        for s in range(len(size)):
            if 0 < chosen[s] < size[s] and 0 < ones[s] < size[s]:
                counts += rng.hypergeometric(ones[s], size[s] - ones[s], chosen[s], size=permutations)
            else:  # everyone or no one treated, or everyone the same outcome: the same count in every re-draw
                counts += ones[s] if chosen[s] == size[s] else chosen[s] if ones[s] == size[s] else 0
        drawn = _difference(counts, total, n1, n0)
        p[j] = (1.0 + np.sum(np.abs(drawn) >= abs(observed) - TOLERANCE)) / (1.0 + permutations)
    return p


def _difference(ones_treated, total: int, n1: int, n0: int):
    """Difference in proportions treated minus others, from the number of ones among the treated."""
    return ones_treated / n1 - (total - ones_treated) / n0
