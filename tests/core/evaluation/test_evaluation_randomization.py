"""Randomization inference against the exact enumeration of every assignment on a small stratified design, and
against scipy's permutation test without strata. Monte Carlo p-values are compared within four of their standard
errors plus the 1/(1 + B) of the formula: a test that fails by chance about once in 15,000 runs."""

import itertools
from collections import Counter

import numpy as np
import pytest
from scipy import stats

from vertrouwen.core.evaluation.randomization import Scheme, permutation_p_values, redeal, redrawn_p_values
from vertrouwen.core.lottery.randomization import randomize

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


# --- re-dealing the lottery as it was drawn --------------------------------------------------------------------

def exact_block_deals(size: int, length: int, pattern: list[int]) -> Counter:
    """Every deal of a block, by enumeration: the first `length` places of each permutation of the pattern, each
    permutation equally likely (the lottery's algorithm, docstring of core.lottery.randomization)."""
    return Counter(tuple(pattern[k] for k in order[:length]) for order in itertools.permutations(range(size)))


def exact_complete_deals(length: int, one: list[int]) -> Counter:
    rounds, leftover = divmod(length, len(one))
    deals = Counter()
    for extra in itertools.permutations(range(len(one))):
        full = sorted(one * rounds) + [one[k] for k in extra[:leftover]]
        for order in itertools.permutations(range(length)):
            deals[tuple(full[k] for k in order)] += 1
    return deals


def exact_p(blocks: list[tuple[list[int], Counter]], y: np.ndarray, observed: float) -> float:
    """P(|difference| >= |observed|) over every combination of the blocks' deals, by convolving each block's
    (ones among arm 1, arm 1, ones among arm 0, arm 0)."""
    total = Counter({(0, 0, 0, 0): 1})
    for units, deals in blocks:
        step = Counter()
        for deal, count in deals.items():
            s1 = sum(y[u] for u, a in zip(units, deal, strict=True) if a == 1)
            n1 = sum(1 for a in deal if a == 1)
            s0 = sum(y[u] for u, a in zip(units, deal, strict=True) if a == 0)
            step[(s1, n1, s0, len(deal) - n1)] += count
        combined = Counter()
        for k1, c1 in total.items():
            for k2, c2 in step.items():
                combined[tuple(a + b for a, b in zip(k1, k2, strict=True))] += c1 * c2
        total = combined
    weight = sum(total.values())
    hits = sum(c for (s1, n1, s0, n0), c in total.items() if abs(s1 / n1 - s0 / n0) >= abs(observed) - 1e-12)
    return hits / weight


def test_redrawing_the_blocks_equals_exact_enumeration_of_the_lottery():
    """A draw of permuted blocks of four (two arms, multiplier 2: pattern 0 0 1 1), ten persons in input order (two
    full blocks and an incomplete one of two), and a draw by complete randomization of five: the p-value over
    20,000 re-deals equals the exact one, enumerated over every deal the lottery's algorithm can make."""
    first = randomize([f"A{k}" for k in range(10)], ("c", "t"), (1, 1), seed=7, method="block", block_multiplier=2)
    second = randomize([f"B{k}" for k in range(5)], ("c", "t"), (1, 1), seed=8, method="complete")
    arm = np.r_[first.arm_index, second.arm_index]
    y = np.array([1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 0], dtype=float)
    scheme = Scheme.of(["1"] * 10 + ["2"] * 5, ["block"] * 10 + ["complete"] * 5,
                       [*first.block.tolist(), *second.block.tolist()], [4] * 15)
    observed, p = redrawn_p_values(scheme, (1, 1), arm, [[1]], 0, y[:, None], np.ones((15, 1), bool), 20_000, 3)
    observed, p = observed[0], p[0]
    assert observed[0] == pytest.approx(y[arm == 1].mean() - y[arm == 0].mean(), abs=1e-15)
    blocks = [([u for u in range(10) if first.block[u] == b], exact_block_deals(4, int((first.block == b).sum()),
                                                                              [0, 0, 1, 1])) for b in range(3)]
    blocks.append((list(range(10, 15)), exact_complete_deals(5, [0, 1])))
    expected = exact_p(blocks, y, observed[0])
    assert abs(p[0] - expected) <= 4.5 * np.sqrt(expected * (1 - expected) / 20_000) + 1 / 20_000


def test_a_re_deal_keeps_every_blocks_pattern():
    draw = randomize([f"P{k}" for k in range(23)], ("a", "b", "c"), (2, 1, 1), seed=1, method="block")
    scheme = Scheme.of(["1"] * 23, ["block"] * 23, draw.block.tolist(), [4] * 23)
    dealt = redeal(scheme, (2, 1, 1), 200, np.random.default_rng(0))
    for b in range(5):  # full blocks of four: arm a twice, b and c once, in every re-deal
        counts = np.stack([(dealt[:, draw.block == b] == k).sum(axis=1) for k in range(3)], axis=1)
        assert (counts == [2, 1, 1]).all()
    last = dealt[:, draw.block == 5]  # three persons: three of the four places of a permuted pattern
    assert (last.shape[1] == 3) and ((last == 0).sum(axis=1) >= 1).all()
