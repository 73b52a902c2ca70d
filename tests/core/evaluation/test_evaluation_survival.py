"""Time to exit against lifelines: the Aalen-Johansen cumulative incidence with its variance and interval
(lifelines AalenJohansenFitter, which follows the same formula from Collett), and the Cox model (lifelines
CoxPHFitter, Efron ties)."""

import numpy as np
import pandas as pd
import pytest
from lifelines import AalenJohansenFitter, CoxPHFitter

from vertrouwen.core.evaluation.survival import aalen_johansen, cox

from .test_evaluation_estimators import wilson


@pytest.fixture
def competing():
    """300 persons, exit to work (1) and other exits (2) as competing risks, censoring at 730 days; times are
    continuous so that no two events tie (lifelines jitters tied times at random)."""
    rng = np.random.default_rng(11)
    n = 300
    work, other, censor = rng.exponential(900, n), rng.exponential(1500, n), rng.uniform(200, 730, n)
    time = np.minimum.reduce([work, other, censor])
    cause = np.select([time == work, time == other], [1, 2], 0)
    return time, cause


def test_cumulative_incidence_matches_lifelines(competing):
    time, cause = competing
    ours = aalen_johansen(time, cause, 1, "A")
    theirs = AalenJohansenFitter(calculate_variance=True).fit(time, cause, event_of_interest=1)
    at = theirs.cumulative_density_.index.to_numpy()[1:]  # lifelines starts with a row at time 0
    expected = theirs.cumulative_density_.iloc[1:, 0].to_numpy()
    assert np.array_equal(ours.time, at)
    assert ours.estimate == pytest.approx(expected, abs=1e-12)
    assert ours.variance == pytest.approx(theirs.variance_.iloc[1:].to_numpy(), abs=1e-12)
    interval = theirs.confidence_interval_.iloc[1:]
    # lifelines 0.30 names its columns the other way round: the column "upper" holds exp(-exp(loglog + z se)),
    # the smaller bound. Compared as numbers, whatever their names.
    bounds = np.sort(interval.to_numpy(), axis=1)
    started = ours.estimate > 0
    assert ours.conf_low[started] == pytest.approx(bounds[started, 0], abs=1e-10)
    assert ours.conf_high[started] == pytest.approx(bounds[started, 1], abs=1e-10)
    assert np.all(ours.conf_low <= ours.estimate) and np.all(ours.estimate <= ours.conf_high)


def test_cumulative_incidences_of_all_causes_and_survival_add_to_one(competing):
    time, cause = competing
    work, other = aalen_johansen(time, cause, 1, "A"), aalen_johansen(time, cause, 2, "A")
    # Kaplan-Meier of "any exit" by hand, as the complement.
    at_risk = np.array([np.sum(time >= t) for t in work.time])
    events = np.array([np.sum((time == t) & (cause > 0)) for t in work.time])
    survival = np.cumprod(1 - events / at_risk)
    assert work.estimate + other.estimate + survival == pytest.approx(np.ones(len(survival)), abs=1e-12)


def test_cox_hazard_ratio_matches_lifelines_with_tied_times():
    rng = np.random.default_rng(12)
    n = 400
    treated = (rng.random(n) < 0.5).astype(float)
    age = rng.normal(40, 10, n)
    time = np.ceil(rng.exponential(400 / np.exp(0.5 * treated - 0.01 * (age - 40)), n) / 30)  # months: ties
    event = (time <= 24).astype(float)
    time = np.minimum(time, 24)
    x = np.column_stack([np.ones(n), treated, age])
    row, = cox(time, event, x[:, 1:], ["treated", "age"], {"treated": "A vs C"}, "exit_to_work")
    frame = pd.DataFrame({"time": time, "event": event, "treated": treated, "age": age})
    theirs = CoxPHFitter().fit(frame, "time", "event")
    assert np.log(row.estimate) == pytest.approx(theirs.params_["treated"], abs=1e-6)
    assert row.std_error == pytest.approx(theirs.standard_errors_["treated"], rel=1e-5)
    assert row.p_value == pytest.approx(theirs.summary.loc["treated", "p"], rel=1e-4)


def test_no_hazard_ratio_for_a_group_without_exits():
    rng = np.random.default_rng(13)
    treated = np.r_[np.ones(30), np.zeros(30)]
    time = rng.uniform(1, 100, 60)
    event = np.r_[np.zeros(30), (rng.random(30) < 0.5).astype(float)]  # nobody in the treated group exits
    assert cox(time, event, treated[:, None], ["treated"], {"treated": "A vs C"}, "exit_to_work") == []


def test_no_hazard_ratio_when_nobody_exits_at_all():
    """Six persons, two arms, nobody leaves: nothing to compare (statsmodels' fit failed on it with IndexError)."""
    treated = np.r_[np.ones(3), np.zeros(3)]
    x = np.column_stack([treated, np.arange(6.0)])
    assert cox(np.full(6, 12.0), np.zeros(6), x, ["treated", "age"], {"treated": "A vs C"}, "exit_to_work") == []


def test_at_100_and_0_percent_the_interval_is_wilsons_not_a_point():
    """Everyone left for work: the cumulative incidence is 100% and, with no censoring, a plain share of 40 of 40,
    whose Wilson interval (written out in test_evaluation_estimators) is 91.2% to 100%; before the first exit it is
    0 of 40, 0% to 8.8%."""
    curve = aalen_johansen(np.arange(1.0, 41.0), np.ones(40, dtype=int), 1, "A")
    estimate, low, high = curve.at(41.0)
    assert (estimate, high) == (1.0, 1.0) and low == pytest.approx(wilson(40, 40)[0], abs=1e-12)
    assert curve.at(0.5) == pytest.approx((0.0, 0.0, wilson(0, 40)[1]), abs=1e-12)
