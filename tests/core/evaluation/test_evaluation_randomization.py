"""Randomization inference against the exact enumeration of every assignment on a small stratified design, and
against scipy's permutation test without strata. Monte Carlo p-values are compared within four of their standard
errors plus the 1/(1 + B) of the formula: a test that fails by chance about once in 15,000 runs."""

import numpy as np
import pytest
from scipy import stats

from vertrouwen.core.evaluation.randomization import permutation_p_values

from .independent import exact_permutation_p

PERMUTATIONS = 20_000


def _close(monte_carlo: float, exact: float) -> bool:
    return abs(monte_carlo - exact) <= 4 * np.sqrt(exact * (1 - exact) / PERMUTATIONS) + 1 / (1 + PERMUTATIONS)


def test_stratified_p_value_matches_exact_enumeration():
    # Two strata: 3 of 7 treated and 2 of 5 treated, 35 * 10 = 350 assignments in all.
    strata = np.array([0] * 7 + [1] * 5)
    treated = np.array([1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0], dtype=bool)
    y = np.array([1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0], dtype=float)
    exact = exact_permutation_p(y, treated, strata)
    p, = permutation_p_values(y, treated, strata, PERMUTATIONS, seed=1)
    assert _close(p, exact), (p, exact)


def test_several_outcomes_share_the_draws_and_each_matches_its_exact_p():
    strata = np.array([0] * 6 + [1] * 6)
    treated = np.array([1, 1, 1, 0, 0, 0] * 2, dtype=bool)
    y = np.column_stack([[1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0], [0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0]]).astype(float)
    p = permutation_p_values(y, treated, strata, PERMUTATIONS, seed=2)
    for j in range(2):
        assert _close(p[j], exact_permutation_p(y[:, j], treated, strata))


def test_labels_stay_within_their_stratum():
    """An outcome equal to the stratum differs between arms by the same amount in every re-draw that keeps each
    stratum's numbers, so every re-draw is as extreme as the observed one: p = 1. Re-draws across strata would
    give smaller differences and p < 1."""
    strata = np.array([0] * 10 + [1] * 10)
    treated = np.array([1] * 8 + [0] * 2 + [1] * 2 + [0] * 8, dtype=bool)
    p, = permutation_p_values(strata.astype(float), treated, strata, 2_000, seed=3)
    assert p == 1.0


def test_without_strata_matches_scipy_permutation_test():
    rng = np.random.default_rng(4)
    y = (rng.random(120) < 0.3).astype(float)
    y[:40] = (rng.random(40) < 0.5)
    treated = np.zeros(120, dtype=bool)
    treated[:40] = True
    ours, = permutation_p_values(y, treated, np.zeros(120), PERMUTATIONS, seed=5)
    theirs = stats.permutation_test((y[treated], y[~treated]), lambda a, b: np.mean(a) - np.mean(b),
                                    permutation_type="independent", n_resamples=PERMUTATIONS,
                                    alternative="two-sided", random_state=6).pvalue
    # Two Monte Carlo estimates: their difference has about sqrt(2) times one standard error.
    assert abs(ours - theirs) <= 4 * np.sqrt(2 * theirs * (1 - theirs) / PERMUTATIONS) + 2 / PERMUTATIONS


def test_same_seed_same_p_and_never_zero():
    treated = np.arange(50) < 25
    y = np.repeat(treated[:, None], 3, axis=1).astype(float)  # an overwhelming difference
    first = permutation_p_values(y, treated, np.zeros(50), 999, seed=8)
    assert np.array_equal(first, permutation_p_values(y, treated, np.zeros(50), 999, seed=8))
    assert first == pytest.approx(np.full(3, 1 / 1000))  # (1 + 0) / (1 + 999): never exactly zero


def test_only_outcomes_of_zero_and_one():
    with pytest.raises(ValueError, match="0 of 1"):
        permutation_p_values(np.array([0.5, 1.0]), np.array([True, False]), np.zeros(2), 10, seed=1)
