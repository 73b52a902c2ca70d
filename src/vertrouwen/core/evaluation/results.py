"""Results as values: every number the evaluation reports is an Estimate, one tidy row."""

import math
from dataclasses import asdict, dataclass

TIDY_COLUMNS = ("outcome", "contrast", "estimate", "std_error", "statistic", "p_value", "conf_low", "conf_high",
                "n", "method")


@dataclass(frozen=True)
class Estimate:
    outcome: str
    contrast: str  # e.g. "zelf_in_actie vs onderzoeksgroep", or an arm's code for a level within one group
    estimate: float
    std_error: float | None
    statistic: float | None
    p_value: float | None
    conf_low: float | None
    conf_high: float | None
    n: int
    method: str  # a code from METHODS

    def tidy(self) -> dict:
        return {key: _plain(value) for key, value in asdict(self).items()}


def _plain(value):
    """JSON-safe: NaN and infinity become None; numpy scalars become Python numbers."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | bool):
        return int(value)
    value = float(value)
    return value if math.isfinite(value) else None


def tidy(estimates) -> list[dict]:
    return [e.tidy() for e in estimates]


# What each method code means; docs/evaluation.md explains them at length.
METHODS = {
    "difference_in_proportions": "difference in proportions, unpooled (Wald) standard error and p-value, Newcombe's "
                                 "hybrid score interval",
    "lpm_hc2": "linear probability model adjusted for baseline covariates and lottery strata, HC2 standard errors",
    "lin_hc2": "Lin (2013): the same covariates centred and interacted with the arm (estimatr's lm_lin), HC2 errors, "
               "t-distribution p-values",
    "logit_hc2": "logistic model adjusted for baseline covariates and lottery strata; odds ratio, HC2 errors",
    "fisher_exact": "Fisher's exact test; the sample odds ratio with its Woolf interval beside it",
    "randomization_inference": "randomization inference: difference in proportions, labels permuted within strata",
    "holm": "Holm-adjusted p-value of lpm_hc2 over the family of arms against control",
    "benjamini_hochberg": "Benjamini-Hochberg-adjusted p-value of lpm_hc2 over the family of arms",
    "mde": "minimum detectable difference at 80% power, two-sided 5% divided over the family of single arms against "
           "control (Holm's first step), given the realised numbers",
    "share": "proportion in one group, with its Wilson score interval",
    "cumulative_incidence": "Aalen-Johansen cumulative incidence at the count date, log-log interval",
    "cox_hr": "Cox model of the cause-specific hazard of exit to work; hazard ratio, Efron ties",
    "reentry_6m": "re-entry within 6 months after an exit to work: difference in proportions, among those who exited "
                  "(conditional on a post-randomization event: exploratory)",
    "reentry_12m": "re-entry within 12 months after an exit to work: difference in proportions, among those who "
                   "exited (conditional on a post-randomization event: exploratory)",
    "ancova_hc2": "final wave adjusted for the baseline score (ANCOVA), HC2 standard errors",
    "change_hc2": "change from baseline to final wave, difference between groups, HC2 standard errors",
    "ancova_ipw": "ANCOVA weighted by the inverse probability of answering the final wave (sensitivity)",
    "response_chi2": "chi-square test of equal response across arms",
    "psm_att": "propensity-score matching, 1:1 with replacement, caliper 0.2 SD of the logit (not randomized)",
    "ipw_att": "inverse-probability weighting for the treated (not randomized)",
    "subgroup_difference": "difference in proportions within a subgroup (exploratory)",
    "interaction_wald": "Wald test that the effect is equal across subgroups, HC2 (exploratory)",
    "smd": "standardized mean difference against control (balance after the lottery)",
    "mean": "mean score in one group and wave, with its interval",
    "psm_unmatched": "participants without a reference person within the caliper (left out of psm_att)",
    "smd_unadjusted": "standardized difference participants - reference group before adjustment",
    "smd_matched": "standardized difference after propensity-score matching",
    "smd_ipw": "standardized difference after inverse-probability weighting",
    "balance_lr": "likelihood-ratio test that baseline covariates do not predict the arm (joint balance)",
}
