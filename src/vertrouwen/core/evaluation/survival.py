"""Time to exit: the Aalen-Johansen cumulative incidence of exit to work with other exits as competing events,
a Cox model of the cause-specific hazard of exit to work, and re-entry after an exit to work.

The variance of the cumulative incidence is the Greenwood-type estimator of Collett (Modelling Survival Data in
Medical Research, 3rd ed., p. 411), the interval is built on log(-log F) so that it stays within 0 and 1."""

from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from vertrouwen.core.evaluation.estimators import Z95, contrast_size, is_indicator
from vertrouwen.core.evaluation.results import Estimate


@dataclass(frozen=True)
class Incidence:
    """The cumulative incidence of one cause in one group, at each distinct time (ascending)."""

    group: str
    time: np.ndarray
    estimate: np.ndarray
    variance: np.ndarray
    conf_low: np.ndarray
    conf_high: np.ndarray
    n: int

    def at(self, t: float) -> tuple[float, float, float]:
        """Estimate and interval at time t (the step function's value)."""
        k = int(np.searchsorted(self.time, t, side="right")) - 1
        if k < 0:  # before the first event: no one yet
            return (0.0, *(float(v) for v in proportion_confint(0, self.n, alpha=0.05, method="wilson")))
        return float(self.estimate[k]), float(self.conf_low[k]), float(self.conf_high[k])


def aalen_johansen(time: np.ndarray, cause: np.ndarray, of_interest: int, group: str) -> Incidence:
    """time > 0 per person; cause 0 for censored, else the code of the event."""
    time, cause = np.asarray(time, dtype=np.float64), np.asarray(cause)
    times, inverse = np.unique(time, return_inverse=True)
    removed = np.bincount(inverse, minlength=len(times))
    events = np.bincount(inverse, weights=cause != 0, minlength=len(times))
    of_cause = np.bincount(inverse, weights=cause == of_interest, minlength=len(times))
    at_risk = len(time) - np.r_[0, np.cumsum(removed)[:-1]]
    survival = np.cumprod(1.0 - events / at_risk)
    lagged = np.r_[1.0, survival[:-1]]
    f = np.minimum(np.cumsum(lagged * of_cause / at_risk), 1.0)  # rounding can add up to a hair above 1
    with np.errstate(divide="ignore", invalid="ignore"):
        a = events / (at_risk * (at_risk - events))
        b = lagged**2 * of_cause * (at_risk - of_cause) / at_risk**3
        c = lagged * of_cause / at_risk**2
        # sum_i a_i (F - F_i)^2 + sum_i b_i - 2 sum_i c_i (F - F_i), over i up to the time, expanded in sums
        variance = (f**2 * np.cumsum(a) - 2 * f * np.cumsum(a * f) + np.cumsum(a * f**2) + np.cumsum(b)
                    - 2 * (f * np.cumsum(c) - np.cumsum(c * f)))
        loglog = np.log(-np.log(f))
        se = np.sqrt(variance) / (f * np.abs(np.log(f)))
        low, high = np.exp(-np.exp(loglog + Z95 * se)), np.exp(-np.exp(loglog - Z95 * se))
    # At 0% and 100% the log(-log) interval has no width; there the estimate is a plain share of the group (no one,
    # or everyone, had the event), and its Wilson interval is used: 0 of 40 is 0% to 8.8%, 40 of 40 is 91.2% to 100%.
    n = len(time)
    none_low, none_high = proportion_confint(0, n, alpha=0.05, method="wilson")
    all_low, all_high = proportion_confint(n, n, alpha=0.05, method="wilson")
    everyone = f >= 1.0 - 1e-12
    low = np.where(f <= 0, none_low, np.where(everyone, all_low, low))
    high = np.where(f <= 0, none_high, np.where(everyone, all_high, high))
    return Incidence(group, times, f, variance, np.nan_to_num(low), np.nan_to_num(high, nan=0.0), n)


def cox(time: np.ndarray, event: np.ndarray, x: np.ndarray, names: list[str], terms: dict[str, str],
        outcome: str) -> list[Estimate]:
    """Hazard ratio per term (Efron ties), model-based errors. x has no intercept: the baseline hazard is one.
    Indicators of a level without any event are left out: their coefficient would run off to minus infinity and
    the fit would not converge."""
    keep = [k for k in range(x.shape[1])
            if names[k] in terms or not (is_indicator(x[:, k]) and event[x[:, k] == 1.0].sum() == 0)]
    x, names = x[:, keep], [names[k] for k in keep]
    if event.sum() == 0:
        return []  # no exits at all: nothing to compare (statsmodels' Newton steps fail on an empty risk set)
    try:
        fit = sm.PHReg(time, x, status=event, ties="efron").fit()
        errors = fit.bse
    except np.linalg.LinAlgError:
        return []  # covariates that never vary among those at risk
    rows = []
    arms = [names.index(t) for t in terms]
    for term, contrast in terms.items():
        k = names.index(term)
        beta, se = float(fit.params[k]), float(errors[k])
        reference = np.all(x[:, arms] == 0, axis=1)
        if not (np.isfinite(se) and se > 0) or event[x[:, k] == 1].sum() == 0 or event[reference].sum() == 0:
            continue  # no exits in a group: the ratio is zero or infinite, not an estimate
        z = beta / se
        rows.append(Estimate(outcome, contrast, float(np.exp(beta)), se, z, float(2 * stats.norm.sf(abs(z))),
                             float(np.exp(beta - Z95 * se)), float(np.exp(beta + Z95 * se)),
                             contrast_size(x, names, term), "cox_hr"))
    return rows
