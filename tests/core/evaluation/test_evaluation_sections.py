"""The sections of the evaluation on a generated experiment (size S, Wageningen design, seed 2017), each number
recomputed here from the dataset by an independent route: the sandwich written out (independent.py), an optimizer
for the logistic likelihood, brute-force matching, the instrument scoring of core.surveys one person at a time."""

import json
from decimal import Decimal

import numpy as np
import polars as pl
import pytest
from scipy import stats

from vertrouwen.core.dataset import Dataset
from vertrouwen.core.evaluation import TIDY_COLUMNS, evaluate
from vertrouwen.core.evaluation import reference as ref
from vertrouwen.core.evaluation.frame import analysis_frame
from vertrouwen.core.simulation.generator import generate_tables
from vertrouwen.core.surveys.instruments import INSTRUMENTS
from vertrouwen.core.surveys.scoring import score, score_table

from .independent import hc2_covariance, logistic_mle, nearest_within_caliper


@pytest.fixture(scope="module")
def dataset():
    manifest, tables = generate_tables("S", seed=2017)
    return Dataset(manifest, tables)


@pytest.fixture(scope="module")
def result(dataset):
    return evaluate(dataset, permutations=500)


def test_tidy_rows_are_json_with_the_stated_columns(result):
    rows = result.tidy()
    assert rows and all(tuple(row) == TIDY_COLUMNS for row in rows)
    json.dumps(rows, allow_nan=False)  # NaN would not be JSON
    methods = {row["method"] for row in rows}
    assert {"difference_in_proportions", "lpm_hc2", "logit_hc2", "fisher_exact", "randomization_inference", "holm",
            "benjamini_hochberg", "mde", "cumulative_incidence", "cox_hr", "reentry_6m", "reentry_12m",
            "ancova_hc2", "change_hc2", "ancova_ipw", "response_chi2", "psm_att", "ipw_att", "subgroup_difference",
            "interaction_wald", "balance_lr", "smd"} <= methods


def test_contrasts_are_each_arm_and_the_pools_the_university_used(result):
    assert [c.code for c in result.contrasts] == [
        "zelf_in_actie vs onderzoeksgroep", "extra_begeleiding vs onderzoeksgroep",
        "verdienen_loont vs onderzoeksgroep",
        "zelf_in_actie+extra_begeleiding+verdienen_loont vs onderzoeksgroep",
        "zelf_in_actie+extra_begeleiding vs onderzoeksgroep"]  # seed 003: exemption and extra guidance pooled


def test_pooled_adjusted_effect_matches_the_sandwich_written_out(dataset, result):
    frame = analysis_frame(dataset)
    pool = frame.filter(pl.col("arm").is_in(["zelf_in_actie", "extra_begeleiding", "onderzoeksgroep"]))
    treated = (pool["arm"] != "onderzoeksgroep").cast(pl.Float64).to_numpy()
    dummies = pool.select(pl.col("age").cast(pl.Float64),
                          *[(pl.col(name).cast(pl.String).fill_null("onbekend") == level).cast(pl.Float64)
                            .alias(f"{name}={level}")
                            for name in ("sex", "household_type", "limitation", "education",
                                         "refugee_status_holder", "benefit_duration_band", "stratum")
                            for level in sorted(pool[name].cast(pl.String).fill_null("onbekend").unique())[1:]])
    x = np.column_stack([np.ones(pool.height), treated, dummies.to_numpy()])
    # Indicators held by fewer than two persons are left out: h = 1 for such a person (see model_matrix).
    x = x[:, [0, 1, *(k for k in range(2, x.shape[1]) if np.ptp(x[:, k]) > 0
                      and (k == 2 or 2 <= x[:, k].sum() <= len(x) - 2))]]
    y = pool["exit_to_work"].cast(pl.Float64).to_numpy()
    beta, covariance = hc2_covariance(y, x)
    row = result.row("lpm_hc2", "exit_to_work", "zelf_in_actie+extra_begeleiding vs onderzoeksgroep")
    assert row.estimate == pytest.approx(beta[1], abs=1e-10)
    assert row.std_error == pytest.approx(np.sqrt(covariance[1, 1]), abs=1e-10)
    assert row.n == pool.height


def test_scores_in_bulk_equal_the_scoring_of_one_person_at_a_time(dataset):
    responses = dataset.tables["survey_responses"]
    bulk = {(p, w, i): s for p, w, i, s in score_table(responses).iter_rows()}
    one_by_one = {}
    for (person, wave, instrument), group in responses.group_by("person_id", "wave", "instrument"):
        value = score(INSTRUMENTS[instrument], dict(zip(group["item"], group["value"], strict=True)))
        if value is not None:
            one_by_one[person, wave, instrument] = value
    assert bulk.keys() == one_by_one.keys()
    assert all(Decimal(repr(bulk[key])).quantize(Decimal("1e-9")) == value.quantize(Decimal("1e-9"))
               for key, value in one_by_one.items())


def test_ancova_matches_the_sandwich_written_out(dataset, result):
    scores = score_table(dataset.tables["survey_responses"]).filter(pl.col("instrument") == "levenstevredenheid")
    frame = analysis_frame(dataset).filter(pl.col("consented_on").is_not_null()
                                           & pl.col("arm").is_in(["verdienen_loont", "onderzoeksgroep"]))
    wide = frame.join(scores.filter(pl.col("wave") == 0).select("person_id", baseline="score"), on="person_id").join(
        scores.filter(pl.col("wave") == 1).select("person_id", final="score"), on="person_id")
    x = np.column_stack([np.ones(wide.height), (wide["arm"] == "verdienen_loont").cast(pl.Float64).to_numpy(),
                         wide["baseline"].to_numpy()])
    beta, covariance = hc2_covariance(wide["final"].to_numpy(), x)
    row = result.row("ancova_hc2", "levenstevredenheid", "verdienen_loont vs onderzoeksgroep")
    assert row.estimate == pytest.approx(beta[1], abs=1e-10)
    assert row.std_error == pytest.approx(np.sqrt(covariance[1, 1]), abs=1e-10)
    change = result.row("change_hc2", "levenstevredenheid", "verdienen_loont vs onderzoeksgroep")
    treated = wide["arm"] == "verdienen_loont"
    delta = (wide["final"] - wide["baseline"]).to_numpy()
    assert change.estimate == pytest.approx(delta[treated.to_numpy()].mean() - delta[~treated.to_numpy()].mean())


def test_response_rates_per_arm_and_the_chi_square_test(dataset, result):
    answered = set(score_table(dataset.tables["survey_responses"]).filter(pl.col("wave") == 1)["person_id"])
    frame = analysis_frame(dataset).filter(pl.col("consented_on").is_not_null())
    table = [[sum(p in answered for p in group["person_id"]), sum(p not in answered for p in group["person_id"])]
             for _, group in frame.group_by("arm", maintain_order=True)]
    chi2 = result.row("response_chi2", "response:wave1", "arms")
    assert chi2.statistic == pytest.approx(stats.chi2_contingency(table, correction=False)[0], rel=1e-12)
    rates = {r.contrast: r.estimate for r in result.rows("share", "response:wave1")}
    for (arm,), group in frame.group_by("arm", maintain_order=True):
        assert rates[arm] == pytest.approx(np.mean([p in answered for p in group["person_id"]]))


def test_matching_equals_brute_force_and_the_att_is_the_matched_difference():
    rng = np.random.default_rng(21)
    logit = rng.normal(0, 1, 300)
    treated = rng.random(300) < 0.3 + 0.2 * (logit > 0)
    weights, unmatched = ref.match(logit, treated)
    caliper = ref.CALIPER_SD * np.std(logit, ddof=1)
    expected_weights, expected_unmatched = nearest_within_caliper(logit, treated, caliper)
    assert np.allclose(weights, expected_weights, rtol=0, atol=1e-12) and unmatched == expected_unmatched


def test_tied_reference_persons_share_a_match_so_the_order_of_rows_does_not_matter():
    """Reference persons with the same covariates have the same score: a participant's match is shared between them
    (brute force in independent.py), and shuffling the rows changes nothing."""
    rng = np.random.default_rng(5)
    logit = np.round(rng.normal(0, 1, 400), 1)  # few distinct values: many ties
    treated = rng.random(400) < 0.3
    weights, unmatched = ref.match(logit, treated)
    expected, expected_unmatched = nearest_within_caliper(logit, treated, ref.CALIPER_SD * np.std(logit, ddof=1))
    assert np.allclose(weights, expected, rtol=0, atol=1e-12) and unmatched == expected_unmatched
    shuffle = rng.permutation(400)
    again, _ = ref.match(logit[shuffle], treated[shuffle])
    assert np.allclose(again, weights[shuffle], rtol=0, atol=1e-12)


def test_the_reference_comparison_does_not_depend_on_the_order_of_the_rows(dataset):
    c = dataset.manifest.experiment.count_date
    arms = tuple(arm.code for arm in dataset.manifest.arms)
    rows, _ = ref.compare(dataset, c, arms)
    shuffled = {name: table.sample(fraction=1.0, shuffle=True, seed=11) for name, table in dataset.tables.items()}
    again, _ = ref.compare(Dataset(dataset.manifest, shuffled), c, arms)
    estimates = {(r.contrast, r.method, r.outcome): r.estimate for r in rows if r.method in ("psm_att", "ipw_att")}
    assert estimates and estimates == pytest.approx(
        {(r.contrast, r.method, r.outcome): r.estimate for r in again if r.method in ("psm_att", "ipw_att")},
        abs=1e-9)


def test_reference_comparison_as_weighted_differences(dataset, result):
    psm = result.row("psm_att", "exit_to_work", "zelf_in_actie vs reference")
    ipw = result.row("ipw_att", "exit_to_work", "zelf_in_actie vs reference")
    assert psm is not None and ipw is not None
    # Recompute the inverse-probability-weighted difference from a propensity model fitted by an optimizer.
    part = ref._frame(dataset, dataset.manifest.experiment.count_date).filter(
        pl.col("group").is_in(["zelf_in_actie", ref.REFERENCE]))
    from vertrouwen.core.evaluation.estimators import model_matrix

    x, _ = model_matrix(part, [], ref.COVARIATES, strata=False)
    treated = (part["group"] == "zelf_in_actie").to_numpy()
    p = 1 / (1 + np.exp(-(x @ logistic_mle(treated.astype(float), x))))
    y = part["exit_to_work"].cast(pl.Float64).to_numpy()
    odds = p[~treated] / (1 - p[~treated])
    expected = y[treated].mean() - np.sum(odds * y[~treated]) / np.sum(odds)
    assert ipw.estimate == pytest.approx(expected, abs=1e-6)  # the optimizer's tolerance


def test_interaction_test_matches_the_wald_statistic_written_out(dataset, result):
    frame = analysis_frame(dataset).filter(pl.col("arm").is_in(["zelf_in_actie", "onderzoeksgroep"]))
    treated = (frame["arm"] == "zelf_in_actie").cast(pl.Float64).to_numpy()
    levels = sorted(frame["limitation"].unique())
    columns = [np.ones(frame.height), treated]
    for level in levels[1:]:
        indicator = (frame["limitation"] == level).cast(pl.Float64).to_numpy()
        columns += [indicator, indicator * treated]
    x = np.column_stack(columns)
    beta, covariance = hc2_covariance(frame["exit_to_work"].cast(pl.Float64).to_numpy(), x)
    k = [3, 5]  # the two interaction terms
    wald = beta[k] @ np.linalg.solve(covariance[np.ix_(k, k)], beta[k])
    row = result.row("interaction_wald", "exit_to_work|limitation", "zelf_in_actie vs onderzoeksgroep")
    assert row.statistic == pytest.approx(wald, rel=1e-9)
    assert row.p_value == pytest.approx(stats.chi2.sf(wald, 2), rel=1e-9)


def test_joint_balance_is_the_likelihood_ratio_of_an_optimizer(dataset, result):
    frame = analysis_frame(dataset).filter(pl.col("arm").is_in(["verdienen_loont", "onderzoeksgroep"]))
    from vertrouwen.core.evaluation.estimators import model_matrix

    x, _ = model_matrix(frame, [], ref.COVARIATES, strata=False)
    y = (frame["arm"] == "verdienen_loont").cast(pl.Float64).to_numpy()
    beta = logistic_mle(y, x)
    eta = x @ beta
    full = np.sum(y * eta - np.logaddexp(0, eta))
    share = y.mean()
    null = len(y) * (share * np.log(share) + (1 - share) * np.log(1 - share))
    row = result.row("balance_lr", "balance:toegewezen", "verdienen_loont vs onderzoeksgroep")
    assert row.statistic == pytest.approx(2 * (full - null), rel=1e-6)


def test_every_reference_output_carries_the_self_selection_warning(result):
    text = result.summary()
    assert ref.WARNING in text
    assert text.index(ref.WARNING) < text.index("tegen de referentiegroep")  # the warning comes first


def test_response_weighted_ancova_matches_an_optimizer_and_the_weighted_sandwich(dataset, result):
    """The weights are 1 / P(answered the final wave), from a logistic model on arm, covariates and baseline score
    among participants with a baseline score; probabilities below 0.01 are raised to 0.01."""
    from vertrouwen.core.evaluation.estimators import model_matrix

    scores = score_table(dataset.tables["survey_responses"]).filter(pl.col("instrument") == "gezondheid")
    people = analysis_frame(dataset).filter(pl.col("consented_on").is_not_null()).join(
        scores.filter(pl.col("wave") == 0).select("person_id", baseline="score"), on="person_id").join(
        scores.filter(pl.col("wave") == 1).select("person_id", final="score"), on="person_id", how="left")
    arms = [a for a in people["arm"].unique().to_list() if a != "onderzoeksgroep"]
    design = people.with_columns(**{f"arm={a}": pl.col("arm") == a for a in arms})
    x, _ = model_matrix(design, [f"arm={a}" for a in arms], [*ref.COVARIATES, "baseline"], strata=False)
    answered = people["final"].is_not_null().cast(pl.Float64).to_numpy()
    probability = np.clip(1 / (1 + np.exp(-(x @ logistic_mle(answered, x)))), 0.01, 1)
    part = people.with_columns(weight=pl.Series(1 / probability)).filter(
        pl.col("final").is_not_null() & pl.col("arm").is_in(["zelf_in_actie", "onderzoeksgroep"]))
    design = np.column_stack([np.ones(part.height), (part["arm"] == "zelf_in_actie").cast(pl.Float64).to_numpy(),
                              part["baseline"].to_numpy()])
    beta, covariance = hc2_covariance(part["final"].to_numpy(), design, part["weight"].to_numpy())
    row = result.row("ancova_ipw", "gezondheid", "zelf_in_actie vs onderzoeksgroep")
    assert row.estimate == pytest.approx(beta[1], abs=1e-6)  # the optimizer's tolerance carries into the weights
    assert row.std_error == pytest.approx(np.sqrt(covariance[1, 1]), rel=1e-5)
