"""Questionnaire outcomes: mean scores per arm and wave, the final wave adjusted for the baseline (ANCOVA), the
change over the waves, who answered (attrition), and the ANCOVA weighted by the inverse probability of answering
the final wave as a sensitivity analysis.

Outcome codes are the instrument codes (core/surveys/instruments); a row about one wave carries it in the outcome
("levenstevredenheid:wave1"), response rows are "response:wave1"."""

import numpy as np
import polars as pl
import statsmodels.api as sm
from scipy import stats

from vertrouwen.core.evaluation import estimators as est
from vertrouwen.core.evaluation.frame import COVARIATES
from vertrouwen.core.evaluation.results import Estimate
from vertrouwen.core.surveys.instruments import PARTICIPANT_INSTRUMENTS

BASELINE = 0


def analyse(frame: pl.DataFrame, scores: pl.DataFrame, contrasts, control: str) -> tuple[list[Estimate], list[str]]:
    if scores.height == 0:
        return [], ["Er zijn nog geen antwoorden op vragenlijsten; de uitkomsten van de vragenlijsten volgen zodra "
                    "de eerste ronde is ingevuld."]
    waves = sorted(scores["wave"].unique().to_list())
    rows = _response(frame, scores, waves)
    final = max(waves)
    notes = []
    for instrument in PARTICIPANT_INSTRUMENTS:
        mine = scores.filter(pl.col("instrument") == instrument)
        rows += _means(frame, mine, instrument, waves)
        if final == BASELINE:
            continue
        rows += _compare(frame, mine, instrument, final, contrasts, control)
    if final == BASELINE:
        notes.append("Alleen de nulmeting is ingevuld; effecten op de vragenlijsten zijn te schatten zodra een "
                     "volgende ronde is ingevuld.")
    return rows, notes


def _participants(frame: pl.DataFrame) -> pl.DataFrame:
    """Those asked to answer: the persons who signed their arm's rules."""
    return frame.filter(pl.col("consented_on").is_not_null())


def _response(frame: pl.DataFrame, scores: pl.DataFrame, waves: list[int]) -> list[Estimate]:
    asked = _participants(frame)
    arms = asked["arm"].unique(maintain_order=True).to_list()
    rows = []
    for wave in waves:
        answered = scores.filter(pl.col("wave") == wave).select("person_id").unique().with_columns(
            answered=pl.lit(True))
        table = asked.join(answered, on="person_id", how="left").with_columns(pl.col("answered").fill_null(False))
        counts = []
        for arm in arms:
            y = table.filter(pl.col("arm") == arm)["answered"].to_numpy().astype(float)
            rows.append(est.share(y, f"response:wave{wave}", arm))
            counts.append([y.sum(), len(y) - y.sum()])
        counts = np.array(counts)
        if len(arms) >= 2 and (counts.sum(axis=0) > 0).all():
            chi2, p, _, _ = stats.chi2_contingency(counts, correction=False)
            rows.append(Estimate(f"response:wave{wave}", "arms", float("nan"), None, float(chi2), float(p), None,
                                 None, int(counts.sum()), "response_chi2"))
    return rows


def _means(frame: pl.DataFrame, scores: pl.DataFrame, instrument: str, waves: list[int]) -> list[Estimate]:
    rows = []
    joined = scores.join(frame.select("person_id", "arm"), on="person_id")
    for wave in waves:
        for (arm,), group in joined.filter(pl.col("wave") == wave).group_by("arm", maintain_order=True):
            y = group["score"].to_numpy()
            if len(y) >= 2:
                mean, se = float(y.mean()), float(y.std(ddof=1) / np.sqrt(len(y)))
                rows.append(Estimate(f"{instrument}:wave{wave}", arm, mean, se, None, None, mean - est.Z95 * se,
                                     mean + est.Z95 * se, len(y), "mean"))
    return rows


def _compare(frame, scores, instrument, final, contrasts, control) -> list[Estimate]:
    wide = (scores.filter(pl.col("wave").is_in([BASELINE, final]))
            .pivot("wave", index="person_id", values="score")
            .rename({str(BASELINE): "baseline", str(final): "final"}, strict=False))
    if "baseline" not in wide.columns or "final" not in wide.columns:
        return []
    people = (_participants(frame).join(wide, on="person_id", how="inner", maintain_order="left")
              .filter(pl.col("baseline").is_not_null()))
    both = people.filter(pl.col("final").is_not_null())
    rows = []
    weights = _response_weights(people, control)
    for contrast in contrasts:
        part = both.filter(pl.col("arm").is_in([*contrast.arms, control])).with_columns(
            treated=pl.col("arm").is_in(list(contrast.arms)))
        if part["treated"].sum() < 2 or (~part["treated"]).sum() < 2:
            continue
        y = part["final"].to_numpy()
        x = np.column_stack([np.ones(part.height), part["treated"].cast(pl.Float64).to_numpy(),
                             part["baseline"].to_numpy()])
        names = ["const", "treated", "baseline"]
        terms = {"treated": contrast.code}
        rows += est.ols_hc2(y, x, names, terms, instrument, "ancova_hc2")
        change = y - part["baseline"].to_numpy()
        rows += est.ols_hc2(change, x[:, :2], names[:2], terms, instrument, "change_hc2")
        if weights is not None:
            w = part.join(weights, on="person_id", how="left", maintain_order="left")["weight"].to_numpy()
            if np.isfinite(w).all():
                rows += est.ols_hc2(y, x, names, terms, instrument, "ancova_ipw", weights=w)
    return rows


def _response_weights(people: pl.DataFrame, control: str) -> pl.DataFrame | None:
    """1 / P(answered the final wave | arm, baseline covariates, baseline score), for those who answered, from a
    logistic model over everyone with a baseline score."""
    answered = people["final"].is_not_null().cast(pl.Float64).to_numpy()
    if answered.min() == answered.max():
        return None
    arms = [a for a in people["arm"].unique(maintain_order=True).to_list() if a != control]
    design = people.with_columns(**{f"arm={a}": pl.col("arm") == a for a in arms})
    x, _ = est.model_matrix(design, [f"arm={a}" for a in arms], [*COVARIATES, "baseline"], strata=False)
    try:
        fit = sm.Logit(answered, x).fit(disp=0, method="newton", maxiter=100, warn_convergence=False)
    except (np.linalg.LinAlgError, sm.tools.sm_exceptions.PerfectSeparationError):
        return None
    probability = np.clip(fit.predict(x), 0.01, 1.0)  # trimmed: no one stands for more than 100 persons
    return people.select("person_id").with_columns(weight=pl.Series(1.0 / probability))
