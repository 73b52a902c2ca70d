"""The evaluation against the analyst's pandas and statsmodels version (benchmarks/evaluation_pandas.py) on the same
dataset files, so that the benchmark compares equal work: the same rows, the model estimates, errors and p-values
to 1e-6, shares and differences in proportions exactly, randomization p-values within their Monte Carlo error."""

import math

import pytest
from benchmarks.evaluation_pandas import evaluate_pandas, prepare, randomization_pandas, read_tables

from vertrouwen.core.dataset import read_dataset, write_dataset
from vertrouwen.core.evaluation import evaluate
from vertrouwen.core.simulation import generate

PERMUTATIONS = 200  # the analyst's loop is slow; enough to see the two agree
EXACT = ("share", "difference_in_proportions", "reentry_6m", "reentry_12m", "subgroup_difference", "psm_unmatched")
CLOSE = ("fisher_exact", "lpm_hc2", "logit_hc2", "holm", "benjamini_hochberg", "mde", "cox_hr", "balance_lr", "mean",
         "ancova_hc2", "change_hc2", "ancova_ipw", "response_chi2", "ipw_att", "interaction_wald", "smd",
         "smd_unadjusted", "smd_ipw")


def key(row: dict) -> tuple:
    return row["method"], row["outcome"], row["contrast"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("evaluation") / "S"
    write_dataset(folder, generate(size="S", seed=2017))
    return folder


@pytest.fixture(scope="module")
def ours(folder):
    return {key(r): r for r in evaluate(read_dataset(folder), permutations=PERMUTATIONS).tidy()}


@pytest.fixture(scope="module")
def theirs(folder):
    return {key(r): r for r in evaluate_pandas(read_tables(folder))}


def numbers(row: dict) -> list:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v
            for v in (row["estimate"], row["std_error"], row["p_value"], row["statistic"])]


def count(rows: dict, method: str) -> int:
    return sum(1 for k in rows if k[0] == method)


@pytest.mark.parametrize("method", [*EXACT, *CLOSE, "cumulative_incidence", "psm_att", "smd_matched"])
def test_both_give_the_same_rows(ours, theirs, method):
    assert count(ours, method) == count(theirs, method) > 0


@pytest.mark.parametrize("method", EXACT)
def test_shares_and_differences_are_equal(ours, theirs, method):
    for k, row in theirs.items():
        if k[0] == method:
            assert numbers(ours[k])[:3] == numbers(row)[:3], k
            assert ours[k]["n"] == row["n"], k


@pytest.mark.parametrize("method", CLOSE)
def test_models_agree_to_1e_6(ours, theirs, method):
    # Balance rows are named by level; the analyst's refugee levels (ja/nee) are other names and are left out.
    shared = [k for k in theirs if k[0] == method and k in ours]
    assert shared
    for k in shared:
        for a, b in zip(numbers(ours[k]), numbers(theirs[k]), strict=True):
            assert (a is None and b is None) or math.isclose(a, b, abs_tol=1e-6), k
        assert ours[k]["n"] == theirs[k]["n"], k


def test_the_lpm_of_exit_to_work_agrees_for_every_contrast(ours, theirs):
    rows = [k for k in ours if k[:2] == ("lpm_hc2", "exit_to_work")]
    assert len(rows) == 5  # three arms against control and two pools
    for k in rows:
        assert math.isclose(ours[k]["estimate"], theirs[k]["estimate"], abs_tol=1e-6)
        assert math.isclose(ours[k]["std_error"], theirs[k]["std_error"], abs_tol=1e-6)


def test_incidence_and_matching_agree_within_their_arbitrary_choices(ours, theirs):
    # lifelines shifts tied event times a little; matching may take the other of two reference persons whose
    # distances differ only by rounding.
    for method, tolerance in (("cumulative_incidence", 1e-3), ("psm_att", 0.01)):
        for k in (k for k in ours if k[0] == method):
            assert math.isclose(ours[k]["estimate"], theirs[k]["estimate"], abs_tol=tolerance), k


def test_randomization_inference_agrees_within_monte_carlo_error(folder, ours):
    frame, contrasts, control = prepare(read_tables(folder))
    theirs = {key(r): r for r in randomization_pandas(frame, contrasts, control, PERMUTATIONS, seed=1)}
    assert len(theirs) == count(ours, "randomization_inference") == 25
    for k, row in theirs.items():
        assert ours[k]["estimate"] == row["estimate"], k
        p = ours[k]["p_value"]
        error = math.sqrt(2 * p * (1 - p) / PERMUTATIONS)  # two independent estimates of the same p
        assert abs(p - row["p_value"]) <= 4.5 * error + 2 / PERMUTATIONS, k
