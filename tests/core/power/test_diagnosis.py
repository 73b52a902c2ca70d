"""The simulation-based design diagnosis.

Expected values come from statistical theory, not from our output: under no effect a level-alpha test rejects in
a share alpha of replications and a 95% interval covers in 95%; with effects, the difference in proportions is
unbiased for the population difference. Tolerances are Z = 3 Monte Carlo standard errors over the replications
(binomial for shares: sqrt(p (1 - p) / R); empirical SE / sqrt(R) for a mean), so a correct implementation fails
a single check for fewer than 3 in 1,000 seeds; the seeds are fixed, so the tests are deterministic. Holm is
checked against statsmodels' multipletests; simulate_outcomes against the tables of generate_tables.
"""

import json
import math

import numpy as np
import polars as pl
import pytest
from statsmodels.stats.multitest import multipletests

from vertrouwen.core.codes import WORK_END_REASONS
from vertrouwen.core.designs import WAGENINGEN
from vertrouwen.core.power import POOLED, diagnose, holm_adjusted, power_two_proportions
from vertrouwen.core.simulation import ArmEffects, generate_tables
from vertrouwen.core.simulation.generator import simulate_outcomes

Z = 3.0
ALPHA = 0.05
# A smaller population than the default 200,000 keeps the tests fast: 12,500 per arm gives the true effect a
# Monte Carlo SE of about 0.005, a tenth of the SE of an estimate at 100 per arm; the checks below add it.
POPULATION = 50_000


def share_tolerance(p: float, replications: int) -> float:
    return Z * math.sqrt(p * (1 - p) / replications)


@pytest.fixture(scope="module")
def null_diagnosis():
    return diagnose("wageningen", 100, ArmEffects.null(), replications=400, seed=11, population=POPULATION)


@pytest.fixture(scope="module")
def effect_diagnosis():
    return diagnose("wageningen", 100, None, replications=300, seed=12, population=POPULATION)


def test_holm_matches_statsmodels():
    """Adjusted p-values equal statsmodels' multipletests(method="holm") row by row, ties and ones included.
    (Few rows: multipletests runs the garbage collector on every call.)"""
    rng = np.random.default_rng(3)
    p_values = np.vstack([
        rng.random((12, 4)) ** 3,  # many small p-values
        rng.random((6, 2)).repeat(2, axis=1) ** 2 / 10,  # pairs of ties
        [[0.01, 0.01, 0.04, 1.0], [0.2, 0.2, 0.2, 0.2]],
    ])
    ours = holm_adjusted(p_values)
    for row, adjusted in zip(p_values, ours, strict=True):
        assert adjusted == pytest.approx(multipletests(row, method="holm")[1], abs=1e-15)


def test_simulate_outcomes_agrees_with_the_tables():
    """The outcome of simulate_outcomes is the first exit to work (end reason werk or zelfstandig, DESIGN.md
    section 6 item 4) on or after the allocation and before the count date, read here from the tables that
    generate_tables makes with the same size and seed; the arm is the enrollment's arm."""
    manifest, tables = generate_tables("XS", seed=7)
    arm, outcome = simulate_outcomes("XS", seed=7)
    enrollments = tables["enrollments"]
    spells = tables["benefit_spells"].join(enrollments.select("person_id", "allocated_on"), on="person_id")
    exited = spells.filter(pl.col("end_reason").is_in(sorted(WORK_END_REASONS))
                           & (pl.col("spell_end") >= pl.col("allocated_on"))
                           & (pl.col("spell_end") < manifest.experiment.count_date)).get_column("person_id")
    assert outcome.tolist() == enrollments.get_column("person_id").is_in(exited.implode()).to_list()
    assert np.array(WAGENINGEN.arm_codes)[arm].tolist() == enrollments.get_column("arm").to_list()
    assert outcome.any()


def test_null_effects_keep_the_level_and_coverage(null_diagnosis):
    """ArmEffects.null(): no arm differs from control. After Holm the share of replications with any rejection
    (the family-wise error) is at most alpha, and each arm's rejection share is then below it; unadjusted, each
    test rejects in about alpha; the 95% intervals cover in about 95%. One-sided checks allow alpha plus 3
    binomial SEs; two-sided checks 3 SEs either way (R = 400: 0.033 around 0.95, 0.033 around 0.05)."""
    d = null_diagnosis
    r = d.replications
    assert d.any_rejected <= ALPHA + share_tolerance(ALPHA, r)
    for c in d.comparisons:
        assert c.power <= ALPHA + share_tolerance(ALPHA, r), c
        assert abs(c.power_unadjusted - ALPHA) <= share_tolerance(ALPHA, r), c
        assert abs(c.coverage - 0.95) <= share_tolerance(0.95, r), c
        # The estimand under no effect is 0, up to the population's Monte Carlo error.
        assert abs(c.true_effect) <= Z * c.true_effect_mcse, c
    assert d.comparison(POOLED).power == d.comparison(POOLED).power_unadjusted  # one test, nothing to correct


def test_default_effects_are_estimated_without_bias(effect_diagnosis):
    """Default Wageningen effects: the difference in proportions is unbiased for the population difference
    (|bias| within 3 combined MC SEs of the mean estimate and of the true effect), the mean Wald SE is the
    spread of the estimates (the MC SE of an empirical SE is about SE / sqrt(2 (R - 1)), 4% at R = 300: allow
    15%), and the intervals cover in about 95% (3 binomial SEs at R = 300: 0.038)."""
    d = effect_diagnosis
    r = d.replications
    for c in d.comparisons:
        assert abs(c.bias) <= Z * math.hypot(c.bias_mcse, c.true_effect_mcse), c
        assert c.mean_se == pytest.approx(c.empirical_se, rel=0.15), c
        assert abs(c.coverage - 0.95) <= share_tolerance(0.95, r), c
        assert c.true_effect > 0, c  # every default arm raises exit to work (effects.py)
        assert c.power >= c.power_unadjusted - 1e-12 or c.comparison != POOLED
        assert c.power <= c.power_unadjusted, c  # Holm never rejects more than the unadjusted test


def test_simulated_power_matches_the_analytic_power(effect_diagnosis):
    """The pooled comparison's unadjusted power agrees with the analytic power (analytic.py, itself checked
    against statsmodels) at the population's proportions and the arm sizes (about 300 against 100), within 3
    binomial SEs plus 0.03 for the normal approximation and the arm sizes varying a few persons."""
    d = effect_diagnosis
    pooled = d.comparison(POOLED)
    p_control = d.control_proportion
    analytic = power_two_proportions(p_control, p_control + pooled.true_effect, 100, 300, ALPHA)
    assert abs(pooled.power_unadjusted - analytic) <= share_tolerance(analytic, d.replications) + 0.03


def test_same_seed_same_diagnosis_and_progress():
    """Replications are seeded from (seed, r): the same seed gives an equal result, another seed another."""
    calls = []
    first = diagnose("oss_apeldoorn_epe", 30, replications=6, seed=5, population=3000,
                     progress=lambda done, total: calls.append((done, total)))
    again = diagnose("oss_apeldoorn_epe", 30, replications=6, seed=5, population=3000)
    other = diagnose("oss_apeldoorn_epe", 30, replications=6, seed=6, population=3000)
    assert first == again
    assert first != other
    assert calls == [(k, 6) for k in range(1, 7)]
    # Two treatment arms and the pooled comparison; the record says how to reproduce it.
    assert [c.comparison for c in first.comparisons] == ["zelf_aan_het_stuur", "op_maat", POOLED]
    data = json.loads(json.dumps(first.as_dict()))
    assert (data["replications"], data["seed"], data["design"], data["control_arm"]) == (
        6, 5, "oss_apeldoorn_epe", "controlegroep")
    assert len(first.tidy()) == 3


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_per_arm": 1}, "n_per_arm"),
    ({"replications": 1}, "replications"),
    ({"seed": -1}, "seed"),
    ({"alpha": 1.0}, "alpha"),
    ({"design": "nergens"}, "onbekend ontwerp"),
])
def test_invalid_inputs_raise_dutch_errors(kwargs, message):
    arguments = {"design": "wageningen", "n_per_arm": 100, "replications": 10, "seed": 1} | kwargs
    with pytest.raises(ValueError, match=message):
        diagnose(**arguments)
