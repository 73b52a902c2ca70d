"""Power, MDE and sample size for two proportions, checked against independent references.

References: statsmodels.stats.proportion (power_proportions_2indep, samplesize_proportions_2indep_onetail), which
implement the same test (pooled variance under H0, unpooled under H1, both tails) independently of our code;
the examples in R's documentation of power.prop.test (stats package); the closed formula of Fleiss, Levin & Paik
(2003), eq. 4.14, written out here with the standard library's NormalDist; statsmodels' multipletests for Holm.
Our functions agree with statsmodels' power to floating-point precision, so those tolerances are 1e-9.
"""

import itertools
import json
import math
from statistics import NormalDist

import pytest
from scipy.optimize import brentq
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import power_proportions_2indep, samplesize_proportions_2indep_onetail

from vertrouwen.core.power import (
    PER_ARM,
    POOLED,
    analyse_design,
    holm_alpha,
    minimum_detectable_effect,
    power_two_proportions,
    sample_size,
)

Z = NormalDist()
TOLERANCE = 1e-9  # the same formula computed twice: only rounding differs


def statsmodels_power(p_control, p_treatment, n_control, n_treatment, alpha):
    """statsmodels numbers sample 1 as the treated group: nobs1 = n_treatment, nobs2 = ratio * nobs1."""
    return power_proportions_2indep(p_treatment - p_control, p_control, n_treatment, ratio=n_control / n_treatment,
                                    alpha=alpha, return_results=False)


def statsmodels_smallest_n(p_control, effect, alpha, power, arms=1, control_per_arm=1.0):
    """Smallest n per treatment arm with statsmodels' power >= power, for `arms` arms pooled against a control
    arm of control_per_arm * n: a plain upward scan from statsmodels' own one-tail estimate, rounded down."""
    ratio = control_per_arm / arms  # nobs2 / nobs1 in statsmodels' terms
    start = samplesize_proportions_2indep_onetail(effect, p_control, power, ratio=ratio, alpha=alpha) / arms
    n = max(2, math.floor(start) - 2)
    while statsmodels_power(p_control, p_control + effect, control_per_arm * n, arms * n, alpha) < power:
        n += 1
    return n


# --- the power function --------------------------------------------------------------------------------------

GRID = list(itertools.product(
    (0.05, 0.107, 0.3, 0.5, 0.85),  # p_control
    (-0.04, 0.02, 0.05, 0.10),  # effect: a decrease included, the test is two-sided
    (20, 100, 750),  # n_treatment
    (0.5, 1.0, 3.0),  # ratio n_treatment / n_control, unequal arms included
    (0.05, 0.05 / 3),  # alpha, the second as after Holm over three arms
))


@pytest.mark.parametrize(("p_control", "effect", "n_treatment", "ratio", "alpha"), GRID)
def test_power_equals_statsmodels(p_control, effect, n_treatment, ratio, alpha):
    n_control = n_treatment / ratio
    ours = power_two_proportions(p_control, p_control + effect, n_control, n_treatment, alpha)
    reference = statsmodels_power(p_control, p_control + effect, n_control, n_treatment, alpha)
    assert ours == pytest.approx(reference, abs=TOLERANCE)


def test_power_is_alpha_without_effect():
    """At p_treatment = p_control the pooled and unpooled variances coincide, so each tail has alpha / 2."""
    assert power_two_proportions(0.2, 0.2, 80, 120, 0.05) == pytest.approx(0.05, abs=1e-12)


def test_r_power_prop_test_example_power():
    """R, ?power.prop.test: power.prop.test(n = 50, p1 = .50, p2 = .75) gives power = 0.7401659.

    R's default (strict = FALSE) counts only the tail of the effect; we count both, which adds
    Phi((-|d| sqrt(n) - z sd0) / sd1), about 1.3e-6 here. So we check (a) against R within 5e-6 and (b) exactly
    against the two-tailed closed formula (Fleiss et al. 2003, eq. 4.14) written out with NormalDist."""
    ours = power_two_proportions(0.50, 0.75, 50, 50, 0.05)
    assert ours == pytest.approx(0.7401659, abs=5e-6)
    n, p1, p2 = 50, 0.50, 0.75
    pbar = (p1 + p2) / 2
    sd0, sd1 = math.sqrt(2 * pbar * (1 - pbar)), math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    z = Z.inv_cdf(0.975)
    near = Z.cdf((abs(p2 - p1) * math.sqrt(n) - z * sd0) / sd1)
    far = Z.cdf((-abs(p2 - p1) * math.sqrt(n) - z * sd0) / sd1)
    assert near == pytest.approx(0.7401659, abs=5e-8)  # R's one-tailed figure, to its printed digits
    assert ours == pytest.approx(near + far, abs=1e-12)


def test_r_power_prop_test_example_sample_size():
    """R, ?power.prop.test: power.prop.test(p1 = .50, p2 = .75, power = .90) gives n = 76.7 per group, so 77.

    The closed formula n = ((z_a sqrt(2 pbar qbar) + z_b sqrt(p1 q1 + p2 q2)) / d)^2 reproduces R's 76.7."""
    p1, p2 = 0.50, 0.75
    pbar = (p1 + p2) / 2
    closed = ((Z.inv_cdf(0.975) * math.sqrt(2 * pbar * (1 - pbar))
               + Z.inv_cdf(0.90) * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) / (p2 - p1)) ** 2
    assert round(closed, 1) == 76.7
    assert sample_size(0.50, 0.25, ratio=1.0, alpha=0.05, power=0.90) == 77


# --- sample size and MDE ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("p_control", "effect", "ratio", "alpha", "power"), list(itertools.product(
    (0.05, 0.107, 0.3, 0.6), (0.03, 0.05, 0.10, 0.20), (0.5, 1.0, 3.0), (0.05, 0.05 / 3), (0.8, 0.9))))
def test_sample_size_is_the_smallest_n_with_enough_power_by_statsmodels(p_control, effect, ratio, alpha, power):
    """statsmodels' power says n reaches the target and n - 1 does not; statsmodels' one-tail closed form, which
    ignores the far tail (so can only ask for more), rounds up to n or, rarely, n + 1."""
    n = sample_size(p_control, effect, ratio=ratio, alpha=alpha, power=power)
    assert statsmodels_power(p_control, p_control + effect, n / ratio, n, alpha) >= power
    assert statsmodels_power(p_control, p_control + effect, (n - 1) / ratio, n - 1, alpha) < power
    one_tail = samplesize_proportions_2indep_onetail(effect, p_control, power, ratio=1 / ratio, alpha=alpha)
    assert math.ceil(one_tail) - n in (0, 1)


@pytest.mark.parametrize(("p_control", "n_control", "n_treatment", "alpha", "power"), [
    (0.107, 100, 100, 0.05, 0.8),
    (0.107, 100, 100, 0.05 / 3, 0.8),
    (0.2, 400, 200, 0.05, 0.9),
    (0.5, 30, 90, 0.01, 0.8),
    (0.03, 1000, 1000, 0.05, 0.8),
])
def test_mde_round_trip_and_statsmodels(p_control, n_control, n_treatment, alpha, power):
    """Power at the MDE is the target; the MDE matches a root of statsmodels' power (scipy's brentq, xtol 1e-12)
    within 1e-8; and sample_size at the MDE gives back the arm size (+1 when rounding lands just below)."""
    mde = minimum_detectable_effect(p_control, n_control, n_treatment, alpha, power)
    assert power_two_proportions(p_control, p_control + mde, n_control, n_treatment, alpha) == pytest.approx(
        power, abs=1e-9)
    reference = brentq(lambda d: statsmodels_power(p_control, p_control + d, n_control, n_treatment, alpha) - power,
                       1e-9, 1 - p_control - 1e-9, xtol=1e-12)
    assert mde == pytest.approx(reference, abs=1e-8)
    n = sample_size(p_control, mde, ratio=n_treatment / n_control, alpha=alpha, power=power)
    assert n - n_treatment in (0, 1)


def test_mde_not_reachable_raises_in_dutch():
    """Two persons per arm at alpha 0.001: even a treated proportion of 1 gives little power."""
    with pytest.raises(ValueError, match="niet haalbaar"):
        minimum_detectable_effect(0.5, 2, 2, alpha=0.001, power=0.99)


# --- Holm ----------------------------------------------------------------------------------------------------

def test_holm_alpha_is_holms_first_step_in_statsmodels():
    """holm_alpha is alpha / m; statsmodels' Holm rejects a smallest p-value just below it, not just above."""
    level = holm_alpha(0.05, 3)
    assert level == 0.05 / 3
    assert multipletests([level * (1 - 1e-9), 0.9, 0.9], alpha=0.05, method="holm")[0][0]
    assert not multipletests([level * (1 + 1e-9), 0.9, 0.9], alpha=0.05, method="holm")[0].any()
    assert holm_alpha(0.05, 1) == 0.05


# --- the design ----------------------------------------------------------------------------------------------

def test_wageningen_design_against_statsmodels(record_property):
    """Wageningen (DESIGN.md sections 4 and 9): reference-group exit to work 10.7% as the baseline, about 100
    per arm, three treatment arms against one control arm of 100. Every expected number is computed here from
    statsmodels' power (root or scan), not copied from our output; the figures are printed and recorded."""
    analysis = analyse_design(0.107, 100, 3, alpha=0.05, power=0.8, effects=(0.05, 0.10))
    cases = (
        (analysis.per_arm, 0.05 / 3, 100, 1),  # (comparison, alpha, n treated, arms together)
        (analysis.pooled, 0.05, 300, 3),
    )
    for comparison, alpha, n_treated, arms in cases:
        expected_mde = brentq(lambda d, a=alpha, n=n_treated: statsmodels_power(0.107, 0.107 + d, 100, n, a) - 0.8,
                              1e-9, 0.89, xtol=1e-12)
        assert comparison.alpha == pytest.approx(alpha, abs=1e-15)
        assert (comparison.n_treatment, comparison.n_control) == (n_treated, 100)
        assert comparison.mde == pytest.approx(expected_mde, abs=1e-8)
        assert comparison.mde_proportion == pytest.approx(0.107 + expected_mde, abs=1e-8)
        for effect, power, needed in zip((0.05, 0.10), comparison.power_at, comparison.n_per_arm_needed,
                                         strict=True):
            assert power == pytest.approx(statsmodels_power(0.107, 0.107 + effect, 100, n_treated, alpha),
                                          abs=TOLERANCE)
            assert needed == statsmodels_smallest_n(0.107, effect, alpha, 0.8, arms=arms)
        summary = (f"{comparison.comparison}: MDE {comparison.mde:.4f} (treated {comparison.mde_proportion:.4f}); "
                   f"power at +5/+10 points {comparison.power_at[0]:.4f}/{comparison.power_at[1]:.4f}; "
                   f"n per arm needed {comparison.n_per_arm_needed[0]}/{comparison.n_per_arm_needed[1]}")
        print(summary)
        record_property(comparison.comparison, summary)
    # Pooling three arms needs a smaller effect than one arm at a third of alpha.
    assert analysis.pooled.mde < analysis.per_arm.mde


def test_unequal_control_arm_keeps_the_ratio_when_sizing():
    """A control arm twice the treatment arms: n_per_arm_needed keeps n_control = 2 n (statsmodels scan)."""
    analysis = analyse_design(0.2, 100, 2, n_control=200, effects=(0.08,))
    assert analysis.per_arm.n_per_arm_needed == (statsmodels_smallest_n(0.2, 0.08, 0.025, 0.8,
                                                                        control_per_arm=2.0),)
    assert analysis.pooled.n_per_arm_needed == (statsmodels_smallest_n(0.2, 0.08, 0.05, 0.8, arms=2,
                                                                       control_per_arm=2.0),)
    assert analysis.per_arm.power_at[0] == pytest.approx(statsmodels_power(0.2, 0.28, 200, 100, 0.025),
                                                         abs=TOLERANCE)


def test_tidy_as_dict_and_curve():
    analysis = analyse_design(0.107, 100, 3)
    rows = analysis.tidy()
    assert [(r["comparison"], r["effect"]) for r in rows] == [
        (PER_ARM, 0.05), (PER_ARM, 0.10), (POOLED, 0.05), (POOLED, 0.10)]
    assert json.loads(json.dumps(analysis.as_dict()))["pooled"]["n_treatment"] == 300
    curve = analysis.curve(points=41)
    assert len(curve) == 41
    assert curve[0].effect == 0.0
    # At no effect the power is the level of the test: alpha / 3 per arm, alpha pooled.
    assert curve[0].power_per_arm == pytest.approx(0.05 / 3, abs=1e-12)
    assert curve[0].power_pooled == pytest.approx(0.05, abs=1e-12)
    assert curve[-1].effect == pytest.approx(2.5 * analysis.per_arm.mde)
    assert all(b.power_per_arm > a.power_per_arm and b.power_pooled >= a.power_pooled
               for a, b in itertools.pairwise(curve))
    assert curve[-1].power_per_arm > 0.99


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"baseline": 0.0}, "baseline: moet tussen 0 en 1"),
    ({"baseline": 1.0}, "baseline: moet tussen 0 en 1"),
    ({"n_per_arm": 1}, "n_per_arm: moet minstens 2"),
    ({"n_control": 0}, "n_control: moet minstens 2"),
    ({"arms": 0}, "arms: moet een geheel getal"),
    ({"alpha": 0.0}, "alpha: moet tussen 0 en 1"),
    ({"power": 1.0}, "power: moet tussen 0 en 1"),
    ({"effects": (0.95,)}, "effect: moet groter dan 0"),
    ({"effects": (-0.05,)}, "effect: moet groter dan 0"),
])
def test_invalid_design_inputs_raise_dutch_errors(kwargs, message):
    arguments = {"baseline": 0.107, "n_per_arm": 100, "arms": 3} | kwargs
    with pytest.raises(ValueError, match=message):
        analyse_design(**arguments)


def test_invalid_function_inputs_raise():
    with pytest.raises(ValueError, match="p_treatment"):
        power_two_proportions(0.1, 1.2, 100, 100)
    with pytest.raises(ValueError, match="ratio"):
        sample_size(0.1, 0.05, ratio=0)
    with pytest.raises(ValueError, match="comparisons"):
        holm_alpha(0.05, 0)


@pytest.mark.parametrize(("p_control", "effect", "n_treatment", "alpha"), [
    (0.107, 0.05, 100, 0.05), (0.107, 0.10, 250, 0.05 / 3), (0.3, 0.02, 750, 0.05), (0.05, 0.10, 20, 0.05)])
def test_one_sided_power_equals_statsmodels_larger_alternative(p_control, effect, n_treatment, alpha):
    """One-sided against an increase: statsmodels' alternative='larger' (H1: treated minus control > 0)."""
    ours = power_two_proportions(p_control, p_control + effect, n_treatment, n_treatment, alpha, sided=1)
    reference = power_proportions_2indep(effect, p_control, n_treatment, ratio=1.0, alpha=alpha,
                                         alternative="larger", return_results=False)
    assert ours == pytest.approx(reference, abs=TOLERANCE)
    assert ours > power_two_proportions(p_control, p_control + effect, n_treatment, n_treatment, alpha)


def test_one_sided_designs_need_fewer_persons_and_say_so(capsys):
    from vertrouwen.cli import main
    two, one = (analyse_design(0.107, 100, 3, sided=sided) for sided in (2, 1))
    assert one.per_arm.mde < two.per_arm.mde and one.sided == 1
    assert main(["power", "--baseline", "0.107", "--n-per-arm", "100", "--arms", "3", "--sided", "one"]) == 0
    assert "Eenzijdige (alleen een toename) toetsen" in capsys.readouterr().out
    with pytest.raises(ValueError, match="sided"):
        analyse_design(0.107, 100, 3, sided=3)
