"""Each estimator against an independent implementation: statsmodels and scipy where they compute the same thing,
textbook formulas written out in independent.py where they do not (HC2 for the logistic model). Tolerances are
those of floating point unless an optimizer is involved."""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

from vertrouwen.core.evaluation import estimators as est
from vertrouwen.core.power.analytic import power_two_proportions

from .independent import hc2_covariance, logistic_hc2, logistic_mle


@pytest.fixture
def trial():
    """400 persons, two thirds treated, a binary outcome that depends on treatment and two covariates."""
    rng = np.random.default_rng(8)
    n = 400
    treated = rng.random(n) < 2 / 3
    age = rng.normal(40, 10, n)
    limited = (rng.random(n) < 0.3).astype(float)
    logit = -1.5 + 0.6 * treated - 0.02 * (age - 40) - 0.5 * limited
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    x = np.column_stack([np.ones(n), treated.astype(float), age, limited])
    return y, x, treated


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson's score interval written out (Wilson 1927; Newcombe 1998, method 3)."""
    z = stats.norm.ppf(0.975)
    p = k / n
    centre, half = p + z**2 / (2 * n), z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return (centre - half) / (1 + z**2 / n), (centre + half) / (1 + z**2 / n)


def newcombe(k1: int, n1: int, k0: int, n0: int) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p1 - p0 (Newcombe 1998, method 10), from the two Wilson intervals."""
    (l1, u1), (l0, u0) = wilson(k1, n1), wilson(k0, n0)
    d = k1 / n1 - k0 / n0
    return (d - np.sqrt((k1 / n1 - l1) ** 2 + (u0 - k0 / n0) ** 2),
            d + np.sqrt((u1 - k1 / n1) ** 2 + (k0 / n0 - l0) ** 2))


def test_difference_in_proportions_has_newcombes_interval_and_the_wald_p_value(trial):
    y, _, treated = trial
    row = est.difference_in_proportions(y[treated], y[~treated], "exit_to_work", "A vs C")
    low, high = newcombe(int(y[treated].sum()), int(treated.sum()), int(y[~treated].sum()), int((~treated).sum()))
    assert row.estimate == pytest.approx(y[treated].mean() - y[~treated].mean(), abs=1e-15)
    assert (row.conf_low, row.conf_high) == pytest.approx((low, high), abs=1e-12)
    assert row.p_value == pytest.approx(2 * stats.norm.sf(abs(row.estimate / row.std_error)), abs=1e-15)
    assert row.n == len(y)


@pytest.mark.parametrize(("k", "n"), [(0, 201), (2, 3), (3, 3), (21, 201)])
def test_a_share_has_wilsons_interval_with_width_at_0_and_1(k, n):
    row = est.share(np.r_[np.ones(k), np.zeros(n - k)], "exit_to_work", "A")
    assert (row.conf_low, row.conf_high) == pytest.approx(wilson(k, n), abs=1e-12)
    assert 0 <= row.conf_low < row.conf_high <= 1  # 0 of 201: 0% to 1.9%, not 0% to 0%; 2 of 3 not above 100%


def test_a_difference_at_the_edges_keeps_its_width():
    row = est.difference_in_proportions(np.r_[1.0, np.zeros(5)], np.zeros(6), "exit_to_work", "A vs C")
    assert (row.conf_low, row.conf_high) == pytest.approx(newcombe(1, 6, 0, 6), abs=1e-12)
    assert row.conf_low < 0 < row.conf_high <= 1


def test_linear_probability_model_hc2_matches_the_sandwich_written_out(trial):
    y, x, _ = trial
    names = ["const", "arm=A", "age", "limited"]
    row, = est.ols_hc2(y, x, names, {"arm=A": "A vs C"}, "exit_to_work", "lpm_hc2")
    beta, covariance = hc2_covariance(y, x)
    assert row.estimate == pytest.approx(beta[1], abs=1e-12)
    assert row.std_error == pytest.approx(np.sqrt(covariance[1, 1]), abs=1e-12)
    assert row.conf_low == pytest.approx(beta[1] - 1.959963984540054 * np.sqrt(covariance[1, 1]), abs=1e-12)


def test_unadjusted_hc2_error_is_the_neyman_error(trial):
    """With only the treatment indicator HC2 equals sqrt(s1^2/n1 + s0^2/n0) (Imbens and Rubin 2015, ch. 7)."""
    y, x, treated = trial
    row, = est.ols_hc2(y, x[:, :2], ["const", "arm=A"], {"arm=A": "A vs C"}, "exit_to_work", "lpm_hc2")
    neyman = np.sqrt(y[treated].var(ddof=1) / treated.sum() + y[~treated].var(ddof=1) / (~treated).sum())
    assert row.std_error == pytest.approx(neyman, rel=1e-12)


def test_weighted_least_squares_hc2_matches_the_sandwich_written_out(trial):
    y, x, _ = trial
    weights = np.random.default_rng(2).uniform(0.5, 3, len(y))
    row, = est.ols_hc2(y, x, ["const", "t", "age", "limited"], {"t": "A vs C"}, "o", "ancova_ipw", weights=weights)
    beta, covariance = hc2_covariance(y, x, weights)
    assert row.estimate == pytest.approx(beta[1], abs=1e-12)
    assert row.std_error == pytest.approx(np.sqrt(covariance[1, 1]), abs=1e-12)


def test_logistic_model_matches_an_optimizer_and_the_hc2_sandwich_written_out(trial):
    y, x, _ = trial
    row, = est.logit_hc2(y, x, ["const", "arm=A", "age", "limited"], {"arm=A": "A vs C"}, "exit_to_work")
    beta = logistic_mle(y, x)
    covariance = logistic_hc2(y, x, beta)
    assert np.log(row.estimate) == pytest.approx(beta[1], abs=1e-6)  # the optimizer's own tolerance
    assert row.std_error == pytest.approx(np.sqrt(covariance[1, 1]), rel=1e-6)
    assert row.conf_low < row.estimate < row.conf_high


def test_logistic_sandwich_without_leverage_is_statsmodels_hc0(trial):
    y, x, _ = trial
    fit = sm.Logit(y, x).fit(disp=0, cov_type="HC0")
    hc2 = est.logit_hc2_cov(y, x, fit.params)
    # HC2 divides each squared residual by 1 - h < 1, so it exceeds HC0 on the diagonal.
    assert np.all(np.diag(hc2) > np.diag(fit.cov_params()))
    assert np.diag(hc2) == pytest.approx(np.diag(fit.cov_params()), rel=0.05)


def test_fisher_exact_p_is_the_hypergeometric_sum_of_tables_no_more_likely():
    treated = np.array([1] * 9 + [0] * 21, dtype=float)
    control = np.array([1] * 3 + [0] * 27, dtype=float)
    row = est.fisher_exact(treated, control, "exit_to_work", "A vs C")
    # Conditional on the margins the number of treated exits is hypergeometric: 60 persons, 12 exits, 30 treated.
    law = stats.hypergeom(60, 12, 30)
    observed = law.pmf(9)
    expected = sum(law.pmf(k) for k in range(13) if law.pmf(k) <= observed * (1 + 1e-7))
    assert row.p_value == pytest.approx(expected, rel=1e-9)
    assert row.conf_low < row.estimate < row.conf_high


def test_holm_and_benjamini_hochberg_match_statsmodels():
    p = np.array([0.01, 0.04, 0.03, 0.2, 0.001])
    assert est.holm(p) == pytest.approx(multipletests(p, method="holm")[1], abs=1e-15)
    rows = [est.Estimate("o", f"arm{k} vs C", 0.1, 0.05, 2.0, float(v), 0, 0.2, 100, "lpm_hc2")
            for k, v in enumerate(p)]
    adjusted = est.adjusted(rows)
    holm = [r.p_value for r in adjusted if r.method == "holm"]
    bh = [r.p_value for r in adjusted if r.method == "benjamini_hochberg"]
    assert holm == pytest.approx(multipletests(p, method="holm")[1], abs=1e-15)
    assert bh == pytest.approx(multipletests(p, method="fdr_bh")[1], abs=1e-15)
    assert est.adjusted(rows[:1]) == []  # one comparison: nothing to adjust


def test_minimum_detectable_effect_has_the_stated_power():
    row = est.mde(0.165, 100, 100, "exit_to_work", "A vs C")  # Wageningen: about 100 per arm, 16.5% in control
    assert power_two_proportions(0.165, 0.165 + row.estimate, 100, 100) == pytest.approx(0.8, abs=1e-9)
    assert row.estimate > 0.15  # far above the 4-5 points Wageningen found "just not significant"
    assert est.mde(0.0, 100, 100, "o", "c") is None  # no variation in control: no power calculation


def test_lins_interacted_estimator_equals_the_formula_with_centred_interactions(trial):
    """Lin (2013), as estimatr's lm_lin: y ~ T * (centred covariates), HC2, t-distribution p-value; here by
    statsmodels' formula interface on a pandas frame, an independent construction of the same design."""
    import pandas as pd
    import statsmodels.formula.api as smf

    y, x, _ = trial
    names = ["const", "arm=A", "age", "limited"]
    row, = est.lin_hc2(y, x, names, {"arm=A": "A vs C"}, "exit_to_work")
    data = pd.DataFrame({"y": y, "T": x[:, 1], "age_c": x[:, 2] - x[:, 2].mean(), "lim_c": x[:, 3] - x[:, 3].mean()})
    fit = smf.ols("y ~ T * (age_c + lim_c)", data=data).fit(cov_type="HC2")
    assert row.estimate == pytest.approx(fit.params["T"], abs=1e-12)
    assert row.std_error == pytest.approx(fit.bse["T"], abs=1e-12)
    t = fit.params["T"] / fit.bse["T"]
    assert row.p_value == pytest.approx(2 * stats.t.sf(abs(t), fit.df_resid), abs=1e-12)
    assert row.method == "lin_hc2"
