"""The estimators: small functions on numpy arrays, each returning Estimates. statsmodels fits the models; what it
does not offer (HC2 errors for the logistic model) is a few lines of linear algebra here."""

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import polars as pl
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from vertrouwen.core.evaluation.results import Estimate
from vertrouwen.core.power.analytic import minimum_detectable_effect

Z95 = float(stats.norm.ppf(0.975))
MAX_LOG_ODDS = 15.0  # beyond this an odds ratio is an artefact of separation, not an estimate


def model_matrix(frame: pl.DataFrame, terms: Sequence[str], covariates: Sequence[str],
                 strata: bool = True) -> tuple[np.ndarray, list[str]]:
    """Intercept, the given 0/1 terms, then numeric covariates as they are and categorical ones as indicators
    (first level left out), then stratum indicators. Columns without variation are left out, and so are
    indicators of a level with fewer than two persons: such a person's residual is zero by construction, its
    leverage one, and HC2 would divide by zero."""
    columns, names = [np.ones(frame.height)], ["const"]
    for term in terms:
        columns.append(frame[term].cast(pl.Float64).to_numpy())
        names.append(term)
    for name in [*covariates, *(["stratum"] if strata else [])]:
        column = frame[name]
        if column.dtype.is_numeric():
            values = column.cast(pl.Float64).fill_null(column.cast(pl.Float64).mean() or 0.0).to_numpy()
            columns.append(values)
            names.append(name)
            continue
        text = column.cast(pl.String).fill_null("onbekend")
        for level in sorted(text.unique().to_list())[1:]:
            columns.append((text == level).cast(pl.Float64).to_numpy())
            names.append(f"{name}={level}")
    matrix = np.column_stack(columns)
    keep = [0, *(k for k in range(1, matrix.shape[1]) if names[k] in terms or _informative(matrix[:, k]))]
    return matrix[:, keep], [names[k] for k in keep]


MIN_RESIDUAL_DF = 10  # below this, an adjusted model fits the noise: it is left for the unadjusted one


def adjustable(x: np.ndarray, names: list[str], terms: Sequence[str]) -> tuple[np.ndarray, list[str], bool]:
    """The model matrix, or, where its residual degrees of freedom are fewer than MIN_RESIDUAL_DF or than its
    columns (more covariates than the persons can carry: the fit would be exact and its errors zero), only the
    intercept and the terms; and whether covariates stayed in."""
    residual = x.shape[0] - np.linalg.matrix_rank(x)
    if residual >= max(MIN_RESIDUAL_DF, x.shape[1]):
        return x, names, True
    keep = [k for k, name in enumerate(names) if name == "const" or name in terms]
    return x[:, keep], [names[k] for k in keep], False


def _informative(column: np.ndarray) -> bool:
    if np.ptp(column) == 0:
        return False
    if np.isin(column, (0.0, 1.0)).all():
        return 2 <= column.sum() <= len(column) - 2
    return True


def difference_in_proportions(y_treated: np.ndarray, y_control: np.ndarray, outcome: str, contrast: str
                              ) -> Estimate:
    """The difference with its Wald error and p-value, and Newcombe's hybrid score interval (from the two Wilson
    intervals), which stays within -1 and 1 and has width where a share is 0 or 1."""
    n1, n0 = len(y_treated), len(y_control)
    p1, p0 = float(np.mean(y_treated)), float(np.mean(y_control))
    se = float(np.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0))
    row = _normal(outcome, contrast, p1 - p0, se, n1 + n0, "difference_in_proportions")
    low, high = confint_proportions_2indep(int(y_treated.sum()), n1, int(y_control.sum()), n0, method="newcomb",
                                           compare="diff", alpha=0.05)
    return replace(row, conf_low=float(low), conf_high=float(high))


def share(y: np.ndarray, outcome: str, group: str, method: str = "share") -> Estimate:
    """A proportion with its Wilson score interval: within 0 and 1, and with width at 0 and 1 (0 of 201 is 0% to
    1.9%, not 0% to 0%)."""
    n = len(y)
    if not n:
        return Estimate(outcome, group, float("nan"), None, None, None, None, None, 0, method)
    p = float(np.mean(y))
    low, high = proportion_confint(int(np.sum(y)), n, alpha=0.05, method="wilson")
    return Estimate(outcome, group, p, float(np.sqrt(p * (1 - p) / n)), None, None, float(low), float(high), n,
                    method)


NUMERICALLY_ZERO = 1e-12  # a standard error this small is rounding of an exact fit, not precision


def _normal(outcome: str, contrast: str, estimate: float, se: float, n: int, method: str) -> Estimate:
    """Wald statistic, p-value and 95% interval; not a number when the error is (numerically) zero or not a
    number: an exact fit has no sampling error to speak of, and its 'p < 0,001' would be an artefact."""
    known = bool(np.isfinite(se) and se > NUMERICALLY_ZERO)
    z = estimate / se if known else float("nan")
    p = float(2 * stats.norm.sf(abs(z))) if known else float("nan")
    low, high = (estimate - Z95 * se, estimate + Z95 * se) if known else (float("nan"), float("nan"))
    return Estimate(outcome, contrast, float(estimate), float(se), z, p, low, high, int(n), method)


def ols_hc2(y: np.ndarray, x: np.ndarray, names: list[str], terms: dict[str, str], outcome: str, method: str,
            weights: np.ndarray | None = None) -> list[Estimate]:
    """OLS (or WLS) with HC2 errors; one Estimate per term, keyed term name -> contrast name."""
    model = sm.WLS(y, x, weights=weights) if weights is not None else sm.OLS(y, x)
    fit = model.fit(cov_type="HC2")
    return [_normal(outcome, contrast, fit.params[names.index(term)], fit.bse[names.index(term)],
                    contrast_size(x, names, term), method) for term, contrast in terms.items()]


def lin_hc2(y: np.ndarray, x: np.ndarray, names: list[str], terms: dict[str, str], outcome: str) -> list[Estimate]:
    """Lin's (2013) interacted estimator, as estimatr's lm_lin: the covariates centred at their mean and interacted
    with every treatment indicator; HC2 errors, p-values and interval from the t distribution with the residual
    degrees of freedom. Left out (no rows) when the persons cannot carry the interactions (adjustable)."""
    treatment = [names.index(t) for t in terms]
    others = [k for k, name in enumerate(names) if name != "const" and name not in terms]
    centred = x[:, others] - x[:, others].mean(axis=0)
    design = np.column_stack([x[:, [names.index("const"), *treatment]], centred,
                              *(x[:, [k]] * centred for k in treatment)])
    if x.shape[0] - np.linalg.matrix_rank(design) < max(MIN_RESIDUAL_DF, design.shape[1]):
        return []
    params, errors, df = _ols_hc2_fit(y, design)
    rows = []
    for j, (term, contrast) in enumerate(terms.items(), start=1):
        beta, se = float(params[j]), float(errors[j])
        if not (np.isfinite(se) and se > NUMERICALLY_ZERO):
            continue
        t = beta / se
        half = float(stats.t.ppf(0.975, df)) * se
        rows.append(Estimate(outcome, contrast, beta, se, t, float(2 * stats.t.sf(abs(t), df)), beta - half,
                             beta + half, contrast_size(x, names, term), "lin_hc2"))
    return rows


def _ols_hc2_fit(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Least squares with HC2 errors in O(n p^2): the leverages from the rows, not from the n x n hat matrix (which
    statsmodels forms); coefficients, standard errors and residual degrees of freedom."""
    bread = np.linalg.pinv(x.T @ x)
    beta = bread @ (x.T @ y)
    residual = y - x @ beta
    leverage = np.einsum("ij,jk,ik->i", x, bread, x)
    meat = (x * (residual**2 / np.clip(1.0 - leverage, 1e-12, None))[:, None]).T @ x
    cov = bread @ meat @ bread
    return beta, np.sqrt(np.clip(np.diag(cov), 0.0, None)), x.shape[0] - np.linalg.matrix_rank(x)


def ols_fit(y: np.ndarray, x: np.ndarray, weights: np.ndarray | None = None):
    model = sm.WLS(y, x, weights=weights) if weights is not None else sm.OLS(y, x)
    return model.fit(cov_type="HC2")


def contrast_size(x: np.ndarray, names: list[str], term: str) -> int:
    """Persons in the term's group and in the reference (control) group."""
    others = [names.index(t) for t in names if t != term and t.startswith("arm=")]
    if not others:
        return x.shape[0]
    return int(np.sum(np.all(x[:, others] == 0, axis=1)))


def logit_hc2(y: np.ndarray, x: np.ndarray, names: list[str], terms: dict[str, str], outcome: str
              ) -> list[Estimate]:
    """Logistic regression; odds ratio per term with HC2 (leverage-corrected sandwich) errors on the log scale.
    Indicators of a level in which everyone has the same outcome are left out (they would separate the data and
    drive their coefficient to infinity); a model that still cannot be fitted gives no rows."""
    keep = [k for k in range(x.shape[1]) if names[k] in terms or not _separates(x[:, k], y)]
    x, names = x[:, keep], [names[k] for k in keep]
    try:
        fit = sm.Logit(y, x).fit(disp=0, method="newton", maxiter=100, warn_convergence=False)
    except (np.linalg.LinAlgError, sm.tools.sm_exceptions.PerfectSeparationError):
        return []
    if not fit.mle_retvals.get("converged", False):
        return []
    cov = logit_hc2_cov(y, x, fit.params)
    rows = []
    for term, contrast in terms.items():
        k = names.index(term)
        beta, se = float(fit.params[k]), float(np.sqrt(max(cov[k, k], 0.0)))
        if not (np.isfinite(beta) and abs(beta) < MAX_LOG_ODDS and se > 0):
            continue  # separation: everyone in a group had the same outcome
        z = beta / se
        rows.append(Estimate(outcome, contrast, float(np.exp(beta)), se, z, float(2 * stats.norm.sf(abs(z))),
                             float(np.exp(beta - Z95 * se)), float(np.exp(beta + Z95 * se)),
                             contrast_size(x, names, term), "logit_hc2"))
    return rows


def _separates(column: np.ndarray, y: np.ndarray) -> bool:
    """A 0/1 column whose ones all have the same outcome."""
    if not is_indicator(column):
        return False
    outcomes = y[column == 1.0]
    return bool(outcomes.min() == outcomes.max())


def is_indicator(column: np.ndarray) -> bool:
    """A 0/1 column with both values."""
    return bool(np.isin(column, (0.0, 1.0)).all() and column.min() != column.max())


def logit_hc2_cov(y: np.ndarray, x: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Bread (X'WX)^-1, meat sum of (y - mu)^2 / (1 - h) x x', h the leverage of the weighted hat matrix."""
    mu = 1.0 / (1.0 + np.exp(-(x @ beta)))
    w = mu * (1.0 - mu)
    bread = np.linalg.pinv(x.T @ (x * w[:, None]))
    leverage = np.einsum("ij,jk,ik->i", x, bread, x) * w
    scores = x * ((y - mu) / np.sqrt(np.clip(1.0 - leverage, 1e-12, None)))[:, None]
    return bread @ (scores.T @ scores) @ bread


def fisher_exact(y_treated: np.ndarray, y_control: np.ndarray, outcome: str, contrast: str) -> Estimate:
    """Fisher's exact p-value, beside the sample odds ratio with its Woolf (log) interval; with an empty cell a half
    is added to every cell (Haldane). The exact conditional interval needs a root search per bound that takes a
    tenth of a second per table, for an interval the logistic model already gives."""
    table = np.array([[int(y_treated.sum()), int(len(y_treated) - y_treated.sum())],
                      [int(y_control.sum()), int(len(y_control) - y_control.sum())]])
    p = float(stats.fisher_exact(table).pvalue)
    cells = table + 0.5 if (table == 0).any() else table.astype(float)
    log_or = float(np.log(cells[0, 0] * cells[1, 1] / (cells[0, 1] * cells[1, 0])))
    se = float(np.sqrt((1.0 / cells).sum()))
    return Estimate(outcome, contrast, float(np.exp(log_or)), se, None, p, float(np.exp(log_or - Z95 * se)),
                    float(np.exp(log_or + Z95 * se)), int(table.sum()), "fisher_exact")


def adjusted(estimates: Sequence[Estimate]) -> list[Estimate]:
    """Holm and Benjamini-Hochberg adjusted p-values over a family of estimates (same outcome, each arm against
    control), as extra rows with the estimate and interval unadjusted."""
    estimates = [e for e in estimates if e.p_value is not None and np.isfinite(e.p_value)]
    if len(estimates) < 2:
        return []
    p = np.array([e.p_value for e in estimates])
    rows = []
    for code, corrected in (("holm", holm(p)), ("benjamini_hochberg", stats.false_discovery_control(p))):
        rows += [Estimate(e.outcome, e.contrast, e.estimate, e.std_error, e.statistic, float(q), e.conf_low,
                          e.conf_high, e.n, code) for e, q in zip(estimates, corrected, strict=True)]
    return rows


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment: the i-th smallest p times (m - i + 1), kept increasing, at most 1."""
    order = np.argsort(p, kind="stable")
    steps = np.maximum.accumulate(p[order] * (len(p) - np.arange(len(p))))
    adjusted = np.empty(len(p))
    adjusted[order] = np.minimum(steps, 1.0)
    return adjusted


def mde(p_control: float, n_control: int, n_treated: int, outcome: str, contrast: str, alpha: float = 0.05
        ) -> Estimate | None:
    """The smallest difference with 80% power at two-sided `alpha` (the 5% the verdict uses, divided over the family
    of arms against control), given the realised numbers and control share."""
    if n_control < 2 or n_treated < 2 or not 0 < p_control < 1:
        return None
    try:
        value = minimum_detectable_effect(p_control, n_control, n_treated, alpha=alpha, power=0.8)
    except ValueError:
        return None
    return Estimate(outcome, contrast, value, None, None, None, None, None, n_control + n_treated, "mde")


def joint_balance(frame: pl.DataFrame, arm: str, control: str, covariates: Sequence[str], contrast: str,
                  population: str) -> list[Estimate]:
    """Do the baseline covariates together predict the arm (against control)? A logistic model's likelihood-ratio
    test; a high p-value is what a fair lottery gives."""
    part = frame.filter(pl.col("arm").is_in([arm, control]))
    x, _ = model_matrix(part, [], covariates, strata=False)
    y = (part["arm"] == arm).cast(pl.Float64).to_numpy()
    try:
        fit = sm.Logit(y, x).fit(disp=0, method="newton", maxiter=100, warn_convergence=False)
    except (np.linalg.LinAlgError, sm.tools.sm_exceptions.PerfectSeparationError):
        return []
    if not np.isfinite(fit.llr):
        return []
    return [Estimate(f"balance:{population}", contrast, float("nan"), None, float(fit.llr), float(fit.llr_pvalue),
                     None, None, part.height, "balance_lr")]


def subgroups(part: pl.DataFrame, term: str, modifier: str, outcome: str, contrast: str) -> list[Estimate]:
    """The effect within each level of the modifier and the Wald test that it is the same in all levels
    (exploratory: subgroups were not what the lottery was designed for)."""
    rows = []
    levels = sorted(part[modifier].cast(pl.String).unique().to_list())
    kept = []
    for level in levels:
        group = part.filter(pl.col(modifier).cast(pl.String) == level)
        treated = group.filter(pl.col(term))[outcome].to_numpy().astype(float)
        control = group.filter(~pl.col(term))[outcome].to_numpy().astype(float)
        if len(treated) >= 2 and len(control) >= 2:
            kept.append(level)
            row = difference_in_proportions(treated, control, f"{outcome}|{modifier}={level}", contrast)
            rows.append(Estimate(**{**row.__dict__, "method": "subgroup_difference"}))
    if len(kept) < 2:
        return rows
    group = part.filter(pl.col(modifier).cast(pl.String).is_in(kept))
    text = group[modifier].cast(pl.String)
    treated = group[term].cast(pl.Float64).to_numpy()
    columns, interactions = [np.ones(group.height), treated], []
    for level in kept[1:]:
        indicator = (text == level).cast(pl.Float64).to_numpy()
        columns += [indicator, indicator * treated]
        interactions.append(len(columns) - 1)
    x = np.column_stack(columns)
    fit = ols_fit(group[outcome].cast(pl.Float64).to_numpy(), x)
    restriction = np.zeros((len(interactions), x.shape[1]))
    restriction[np.arange(len(interactions)), interactions] = 1.0
    test = fit.wald_test(restriction, scalar=True)
    rows.append(Estimate(f"{outcome}|{modifier}", contrast, float("nan"), None, float(test.statistic),
                         float(test.pvalue), None, None, group.height, "interaction_wald"))
    return rows
