"""The comparison with the reference group: people on benefit who did not take part. Not randomized: taking part
was voluntary, so those who did may differ in ways the data do not show (motivation, health, a job in sight).

Both estimates are of the effect on those who took part (ATT), on exit to work from the start of the experiment to
the count date, with the baseline covariates at the start:
- propensity-score matching: each participant to the reference person nearest on the logit of the propensity
  score, with replacement, within a caliper of 0.2 standard deviations of that logit (Austin 2011); participants
  without a match inside the caliper are left out and counted;
- inverse-probability weighting: reference persons weighted by p / (1 - p).
The standard error is that of a weighted regression with HC2 errors; it ignores that the propensity score is
estimated, which makes it somewhat conservative for matching (Abadie and Imbens 2016)."""

import datetime as dt

import numpy as np
import polars as pl
import statsmodels.api as sm

from vertrouwen.core.dataset import Dataset
from vertrouwen.core.evaluation import estimators as est
from vertrouwen.core.evaluation.frame import COVARIATES, covariates_at, person_outcomes
from vertrouwen.core.evaluation.results import Estimate

REFERENCE = "reference"
PARTICIPANTS = "participants"
CALIPER_SD = 0.2
TIE = 1e-9  # distances on the logit scale closer than this are equal
OUTCOME = "exit_to_work"
WARNING = ("Let op: deze vergelijking is niet gerandomiseerd. Deelname aan het experiment was vrijwillig; wie "
           "meedeed kan verschillen van wie niet meedeed op punten die de gegevens niet laten zien, zoals motivatie, "
           "gezondheid of werk in het vooruitzicht. Het verschil kan daardoor (deels) door zelfselectie komen. "
           "Alleen de vergelijking met de onderzoeksgroep (door loting) laat het effect van de spelregels zien.")


def compare(dataset: Dataset, c: dt.date, arms: tuple[str, ...]) -> tuple[list[Estimate], list[str]]:
    frame = _frame(dataset, c)
    if (frame["group"] == REFERENCE).sum() < 2:
        return [], ["Er is geen referentiegroep (personen met een uitkering die niet meedoen) in de gegevens; de "
                    "vergelijking met niet-deelnemers ontbreekt daarom."]
    rows = []
    for group in [*arms, PARTICIPANTS]:
        treated = frame["group"] != REFERENCE if group == PARTICIPANTS else frame["group"] == group
        part = frame.filter(treated | (pl.col("group") == REFERENCE)).with_columns(
            treated=(treated.filter(treated | (frame["group"] == REFERENCE))))
        if part["treated"].sum() >= 2:
            rows += _compare_group(part, f"{group} vs {REFERENCE}")
    return rows, []


def _frame(dataset: Dataset, c: dt.date) -> pl.DataFrame:
    t = dataset.tables
    start = dataset.manifest.experiment.period_start
    persons = t["persons"].select("person_id")
    starts = persons.with_columns(start=pl.lit(start))
    covariates = covariates_at(t["persons"], t["benefit_spells"], persons.with_columns(on=pl.lit(start)))
    outcomes = person_outcomes(t["benefit_spells"], t["earnings"], starts, c).select("person_id", OUTCOME)
    groups = persons.join(t["enrollments"].select("person_id", "arm"), on="person_id", how="left").select(
        "person_id", group=pl.coalesce("arm", pl.lit(REFERENCE)))
    return groups.join(covariates, on="person_id").join(outcomes, on="person_id").sort("person_id")


def _compare_group(part: pl.DataFrame, contrast: str) -> list[Estimate]:
    x, names = est.model_matrix(part, [], COVARIATES, strata=False)
    treated = part["treated"].to_numpy()
    y = part[OUTCOME].cast(pl.Float64).to_numpy()
    try:
        fit = sm.Logit(treated.astype(float), x).fit(disp=0, method="newton", maxiter=100, warn_convergence=False)
    except (np.linalg.LinAlgError, sm.tools.sm_exceptions.PerfectSeparationError):
        return []
    score = np.clip(fit.predict(x), 1e-6, 1 - 1e-6)
    logit = np.log(score / (1 - score))
    weights, unmatched = match(logit, treated)
    rows = []
    design = np.column_stack([np.ones(len(y)), treated.astype(float)])
    kept = weights > 0
    if treated[kept].any() and (~treated[kept]).any():
        row = est.ols_hc2(y[kept], design[kept], ["const", "treated"], {"treated": contrast}, OUTCOME, "psm_att",
                          weights=weights[kept])[0]
        rows.append(Estimate(**{**row.__dict__, "n": int(kept.sum())}))
        rows.append(Estimate(OUTCOME, contrast, float(unmatched), None, None, None, None, None, int(treated.sum()),
                             "psm_unmatched"))
    ipw = np.where(treated, 1.0, score / (1 - score))
    rows += est.ols_hc2(y, design, ["const", "treated"], {"treated": contrast}, OUTCOME, "ipw_att", weights=ipw)
    covariate_columns = [k for k, name in enumerate(names) if name != "const"]
    for label, w in (("smd_unadjusted", np.ones(len(y))), ("smd_matched", weights), ("smd_ipw", ipw)):
        for k in covariate_columns:
            rows.append(Estimate(f"balance:{names[k]}", contrast, weighted_smd(x[:, k], treated, w), None, None,
                                 None, None, None, int((w > 0).sum()), label))
    return rows


def match(logit: np.ndarray, treated: np.ndarray) -> tuple[np.ndarray, int]:
    """Nearest-neighbour matching with replacement within the caliper: weight 1 for each matched treated person;
    the reference persons nearest to it (all of them where several are equally near, as persons with the same
    covariates are) share its weight equally, so the result does not depend on the order of the rows; and the number
    of treated left unmatched."""
    caliper = CALIPER_SD * float(np.std(logit, ddof=1))
    controls = np.flatnonzero(~treated)
    order = controls[np.argsort(logit[controls], kind="stable")]
    sorted_logit = logit[order]
    weights = np.zeros(len(logit))
    unmatched = 0
    for i in np.flatnonzero(treated):
        k = int(np.searchsorted(sorted_logit, logit[i]))
        near = [abs(sorted_logit[j] - logit[i]) for j in (k - 1, k) if 0 <= j < len(order)]
        nearest = min(near)
        if nearest > caliper:
            unmatched += 1
            continue
        # Distances equal up to rounding are a tie: the choice must not depend on the last bits of sums that are
        # equal on paper.
        low = int(np.searchsorted(sorted_logit, logit[i] - nearest - TIE, side="left"))
        high = int(np.searchsorted(sorted_logit, logit[i] + nearest + TIE, side="right"))
        weights[i] = 1.0
        weights[order[low:high]] += 1.0 / (high - low)
    return weights, unmatched


def weighted_smd(values: np.ndarray, treated: np.ndarray, weights: np.ndarray) -> float:
    """Difference in weighted means over the pooled unweighted standard deviation (Austin and Stuart 2015)."""
    a, b = treated & (weights > 0), ~treated & (weights > 0)
    if not a.any() or not b.any():
        return float("nan")
    mean_a = np.average(values[a], weights=weights[a])
    mean_b = np.average(values[b], weights=weights[b])
    sd = np.sqrt((np.var(values[treated], ddof=1) + np.var(values[~treated], ddof=1)) / 2)
    return float((mean_a - mean_b) / sd) if sd > 0 else 0.0
