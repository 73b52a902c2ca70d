"""Randomization inference: the p-value of a difference in means under the sharp null of no effect for anyone,
from the distribution over re-draws of the lottery. Labels are permuted within the lottery's strata, so every
re-draw keeps each stratum's numbers per arm, as the lottery did.

p = (1 + #{re-draws with |difference| >= observed}) / (1 + re-draws), which is a valid p-value for a finite
number of re-draws. Several outcomes share the same re-draws."""

import numpy as np

CHUNK = 500  # re-draws held in memory at once


def permutation_p_values(y: np.ndarray, treated: np.ndarray, strata: np.ndarray, permutations: int,
                         seed: int) -> np.ndarray:
    """p-values per column of y (persons x outcomes) for treated (bool) against the rest, labels permuted within
    strata (any integer or string codes). Strata in which everyone has the same label contribute nothing."""
    y = np.asarray(y, dtype=np.float64).reshape(len(treated), -1)
    treated = np.asarray(treated, dtype=bool)
    order = np.argsort(strata, kind="stable")
    y, treated, strata = y[order], treated[order], np.asarray(strata)[order]
    n1 = int(treated.sum())
    n0 = len(treated) - n1
    observed = _difference(treated[None, :].astype(np.float64), y, n1, n0)[0]
    bounds = np.flatnonzero(np.r_[True, strata[1:] != strata[:-1], True])
    mixed = [(a, b) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if 0 < treated[a:b].sum() < b - a]
    rng = np.random.default_rng(seed)
    extreme = np.zeros(y.shape[1])
    tolerance = 1e-12 * max(1.0, float(np.abs(y).max(initial=0.0)))
    for start in range(0, permutations, CHUNK):
        k = min(CHUNK, permutations - start)
        labels = np.broadcast_to(treated, (k, len(treated))).astype(np.float64)
        for a, b in mixed:
            labels[:, a:b] = rng.permuted(labels[:, a:b], axis=1)
        extreme += (np.abs(_difference(labels, y, n1, n0)) >= np.abs(observed) - tolerance).sum(axis=0)
    return (1.0 + extreme) / (1.0 + permutations)


def _difference(labels: np.ndarray, y: np.ndarray, n1: int, n0: int) -> np.ndarray:
    """Difference in means treated minus others for each row of labels (re-draws x persons)."""
    sum_treated = labels @ y
    return sum_treated / n1 - (y.sum(axis=0) - sum_treated) / n0
