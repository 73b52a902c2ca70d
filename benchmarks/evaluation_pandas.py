"""The evaluation as a municipal analyst would write it: the dataset's CSV files read with pandas, one statsmodels
formula per model, lifelines for the cumulative incidence, a Python loop of shuffles within strata for randomization
inference. For the benchmark's side-by-side comparison with core.evaluation: the same populations, outcomes and
methods (the same definitions), so both do the same work; tests/benchmarks checks that the numbers agree.

    tables = read_tables(folder)                  # not timed in the benchmark, as read_dataset is not
    rows = evaluate_pandas(tables)                # tidy rows, as Evaluation.tidy() gives them
    frame, contrasts, control = prepare(tables)
    rows = randomization_pandas(frame, contrasts, control, permutations=10_000, seed=2017)
"""

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from lifelines import AalenJohansenFitter
from scipy import stats
from scipy.optimize import brentq
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, power_proportions_2indep, proportion_confint

from vertrouwen.core import codes
from vertrouwen.core.surveys.instruments import INSTRUMENTS, PARTICIPANT_INSTRUMENTS

OUTCOMES = ["exit_to_work", "net_exit_to_work", "work_27h", "work_12h", "parttime_earnings"]
NUMERIC = ["age"]
TEXT = ["sex", "household_type", "limitation", "education", "refugee_status_holder", "benefit_duration_band"]
# Treatment coding, the first level the reference; for the refugee status "nee", so the columns are the core's.
COVARIATES = " + ".join(["age", *(f"C({name})" for name in TEXT)]).replace(
    "C(refugee_status_holder)", "C(refugee_status_holder, Treatment('nee'))")
WORK = sorted(codes.WORK_END_REASONS)
Z = stats.norm.ppf(0.975)
DATES = {"persons": ["birth_date"], "benefit_spells": ["spell_start", "spell_end"],
         "enrollments": ["allocated_on", "consented_on", "stopped_on"]}


def read_tables(folder) -> dict:
    """The manifest and the five tables the evaluation uses, as pandas reads them."""
    folder = Path(folder)
    t = {"manifest": json.loads((folder / "manifest.json").read_text(encoding="utf-8"))}
    for name in ("persons", "benefit_spells", "enrollments", "earnings", "survey_responses"):
        t[name] = pd.read_csv(folder / f"{name}.csv", dtype={"person_id": str, "bsn": str, "value": str},
                              parse_dates=DATES.get(name, []))
    t["earnings"]["month"] = pd.to_datetime(t["earnings"]["month"], format="%Y-%m")
    return t


# --- the analysis frame -----------------------------------------------------------------------------------------

def whole_years(start: pd.Series, on: pd.Series) -> pd.Series:
    before = start.dt.month * 100 + start.dt.day > on.dt.month * 100 + on.dt.day
    return on.dt.year - start.dt.year - before.astype(int)


def covariates_at(persons: pd.DataFrame, spells: pd.DataFrame, dates: pd.DataFrame) -> pd.DataFrame:
    """Age and benefit duration at each person's own date `on`, with the coded attributes."""
    d = dates.merge(persons, on="person_id", how="left")
    birth = d["birth_date"].fillna(pd.to_datetime(d["birth_year"].astype("Int64").astype(str) + "-07-01",
                                                  errors="coerce"))
    d["age"] = whole_years(birth, d["on"])
    s = spells.merge(dates, on="person_id")
    s = s[(s["spell_start"] < s["on"]) & (s["spell_end"].isna() | (s["spell_end"] >= s["on"]))]
    years = whole_years(d["person_id"].map(s.groupby("person_id")["spell_start"].max()), d["on"])
    d["benefit_duration_band"] = np.select([years >= 5, years >= 2, years >= 1, years >= 0],
                                           ["5+ jaar", "2-5 jaar", "1-2 jaar", "<1 jaar"], "geen uitkering")
    return d[["person_id", "age", *TEXT]]


def person_outcomes(spells, earnings, starts: pd.DataFrame, c: pd.Timestamp) -> pd.DataFrame:
    """The outcomes from each person's `start` to the count date c (frame.py's definitions)."""
    s = spells.merge(starts, on="person_id")
    ends = s[s["spell_end"].notna() & (s["spell_end"] >= s["start"]) & (s["spell_end"] < c)]
    first = ends.sort_values("spell_end", kind="stable").drop_duplicates("person_id").set_index("person_id")
    exit_on = ends[ends["end_reason"].isin(WORK)].groupby("person_id")["spell_end"].min()
    on_benefit = set(spells[(spells["spell_start"] < c) & (spells["spell_end"].isna() | (spells["spell_end"] >= c))]
                     ["person_id"])
    last_month = earnings[earnings["month"] == (c - pd.Timedelta(days=1)).replace(day=1)]
    hours = last_month.groupby("person_id")["hours"].sum()
    hours_missing = set(last_month.loc[last_month["hours"].isna(), "person_id"])
    earned = set(last_month.loc[last_month["earnings_cents"] > 0, "person_id"])
    o = starts.copy()
    o["exit_on"] = o["person_id"].map(exit_on)
    o["first_end"] = o["person_id"].map(first["spell_end"])
    o["first_reason"] = o["person_id"].map(first["end_reason"])
    back = spells.merge(o[["person_id", "exit_on"]].dropna(), on="person_id")
    came_back = set(back.loc[(back["spell_start"] >= back["exit_on"]) & (back["spell_start"] < c), "person_id"])
    at_c = o["person_id"].isin(on_benefit)
    known = at_c & ~o["person_id"].isin(hours_missing)  # hours are known only on benefit
    working_hours = o["person_id"].map(hours).fillna(0.0)
    o["exit_to_work"] = o["exit_on"].notna().astype(int)
    o["net_exit_to_work"] = (o["exit_on"].notna() & ~at_c & ~o["person_id"].isin(came_back)).astype(int)
    o["work_27h"] = (working_hours >= 117).astype(float).where(known)
    o["work_12h"] = (working_hours >= 52).astype(float).where(known)
    o["parttime_earnings"] = o["person_id"].isin(earned).astype(float) if len(last_month) else np.nan
    o["time"] = (o["first_end"].fillna(c) - o["start"]).dt.days
    o["cause"] = np.where(o["first_end"].isna(), 0, np.where(o["first_reason"].isin(WORK), 1, 2))
    return o.drop(columns=["start", "first_end", "first_reason"])


def analysis_frame(t: dict, c: pd.Timestamp) -> pd.DataFrame:
    e = t["enrollments"]
    frame = e[e["allocated_on"] < c][["person_id", "arm", "allocated_on", "consented_on", "stopped_on", "draw",
                                      "block", "block_size"]]
    base = covariates_at(t["persons"], t["benefit_spells"], frame[["person_id"]].assign(on=frame["allocated_on"]))
    outcomes = person_outcomes(t["benefit_spells"], t["earnings"],
                               frame[["person_id"]].assign(start=frame["allocated_on"]), c)
    frame = frame.merge(base, on="person_id", how="left").merge(outcomes, on="person_id", how="left")
    frame["stratum"] = frame["allocated_on"].dt.strftime("%Y-%m-%d")
    return frame.sort_values("person_id").reset_index(drop=True)


def filled(data: pd.DataFrame, numeric=NUMERIC) -> pd.DataFrame:
    """Missing covariates as an own level, a missing number as the mean, so no row drops out of a formula; a level
    held by one person merged into the reference level, as the core leaves its indicator out (HC2 divides by
    1 - h, and h is one for such a person)."""
    data = data.copy()
    data[TEXT] = data[TEXT].fillna("onbekend")
    for name in numeric:
        data[name] = data[name].fillna(data[name].mean() if data[name].notna().any() else 0.0)
    for name in [*TEXT, *(["stratum"] if "stratum" in data else [])]:
        counts = data[name].astype(str).value_counts()
        base = "nee" if name == "refugee_status_holder" else min(counts.index)
        rare = [level for level, n in counts.items() if n < 2 and level != base]
        data[name] = data[name].astype(str).replace(dict.fromkeys(rare, base))
    return data


def prepare(t: dict) -> tuple[pd.DataFrame, list[tuple[str, list[str], bool]], str]:
    """The analysis frame, the contrasts (code, arms, pooled) and the control arm."""
    manifest = t["manifest"]
    frame = analysis_frame(t, pd.Timestamp(manifest["experiment"]["count_date"]))
    control = next(arm["code"] for arm in manifest["arms"] if arm["is_control"])
    sizes = frame["arm"].value_counts()
    treated = [arm for arm in manifest["arms"] if arm["code"] != control and sizes.get(arm["code"], 0) >= 2]
    contrasts = [(f"{arm['code']} vs {control}", [arm["code"]], False) for arm in treated]
    pools = [[arm["code"] for arm in treated]] if len(treated) >= 2 else []
    unpaid = [arm["code"] for arm in treated if arm["disregard_regime"] == "standaard" and not arm["job_bonus_cents"]]
    if len(unpaid) >= 2 and unpaid not in pools:
        pools.append(unpaid)
    contrasts += [(f"{'+'.join(pool)} vs {control}", pool, True) for pool in pools]
    frame.attrs["ratio"] = {arm["code"]: arm.get("allocation_ratio", 1) for arm in manifest["arms"]}
    return frame, contrasts, control


# --- the evaluation ---------------------------------------------------------------------------------------------

def row(outcome, contrast, estimate, se, p, n, method, low=None, high=None, statistic=None) -> dict:
    return {"outcome": outcome, "contrast": contrast, "estimate": float(estimate),
            "std_error": None if se is None else float(se), "statistic": statistic, "p_value": p,
            "conf_low": low, "conf_high": high, "n": int(n), "method": method}


def normal(outcome, contrast, estimate, se, n, method) -> dict:
    z = estimate / se if np.isfinite(se) and se > 0 else float("nan")
    return row(outcome, contrast, estimate, se, 2 * stats.norm.sf(abs(z)), n, method, estimate - Z * se,
               estimate + Z * se, statistic=z)


def evaluate_pandas(t: dict) -> list[dict]:
    """Every section of core.evaluation.evaluate(dataset, permutations=0), as tidy rows."""
    frame, contrasts, control = prepare(t)
    scores = score_table(t["survey_responses"])
    scores = scores[scores["person_id"].isin(frame["person_id"])]
    rows = balance(frame, control, scores)
    rows += effects(frame, contrasts, control)
    rows += time_to_exit(frame, t["benefit_spells"], contrasts, control,
                         pd.Timestamp(t["manifest"]["experiment"]["count_date"]))
    rows += questionnaires(frame, scores, contrasts, control)
    rows += reference_comparison(t)
    rows += heterogeneity(frame, contrasts, control)
    return rows


def balance(frame, control, scores) -> list[dict]:
    """SMD of every covariate level per arm against control, and the likelihood-ratio test of joint balance, for
    everyone allocated and for those who answered each questionnaire wave."""
    populations = {"toegewezen": frame}
    for wave in sorted(scores["wave"].unique()):
        populations[f"vragenlijst ronde {wave}"] = frame[frame["person_id"].isin(scores[scores["wave"] == wave]
                                                                                   ["person_id"])]
    rows = []
    for name, data in populations.items():
        arms = [arm for arm in dict.fromkeys(frame["arm"]) if arm in set(data["arm"])]
        if control not in arms or len(arms) < 2:
            continue
        by_arm = data.groupby("arm")
        means, sds = by_arm["age"].mean(), by_arm["age"].std()
        columns = {"age": (means, sds)}
        for covariate in TEXT:
            shares = pd.crosstab(data["arm"], data[covariate].fillna("(onbekend)"), normalize="index")
            for level in shares.columns:
                columns[f"{covariate}={level}"] = (shares[level], np.sqrt(shares[level] * (1 - shares[level])))
        for label, (mean, sd) in columns.items():
            for arm in arms:
                if arm != control:
                    difference = mean[arm] - mean[control]
                    pooled = np.sqrt((sd[arm] ** 2 + sd[control] ** 2) / 2)
                    smd = 0.0 if pooled == 0 and difference == 0 else difference / pooled
                    rows.append(row(f"balance:{label}", f"{arm} vs {control}:{name}", smd, None, None,
                                    (data["arm"] == arm).sum(), "smd"))
        for arm in arms:
            if arm != control:
                part = filled(data[data["arm"].isin([arm, control])])
                part["is_arm"] = (part["arm"] == arm).astype(int)
                try:
                    fit = smf.logit(f"is_arm ~ {COVARIATES}", data=part).fit(disp=0, method="newton", maxiter=100,
                                                                             warn_convergence=False)
                except np.linalg.LinAlgError:
                    continue
                if np.isfinite(fit.llr):
                    rows.append(row(f"balance:{name}", f"{arm} vs {control}", float("nan"), None,
                                    float(fit.llr_pvalue), len(part), "balance_lr", statistic=float(fit.llr)))
    return rows


def share(y: pd.Series, outcome, group, method="share") -> dict:
    p = y.mean()
    se = np.sqrt(p * (1 - p) / len(y))
    low, high = proportion_confint(int(y.sum()), len(y), method="wilson")
    return row(outcome, group, p, se, None, len(y), method, low, high)


def difference(y1: pd.Series, y0: pd.Series, outcome, contrast, method="difference_in_proportions") -> dict:
    p1, p0 = y1.mean(), y0.mean()
    se = np.sqrt(p1 * (1 - p1) / len(y1) + p0 * (1 - p0) / len(y0))
    low, high = confint_proportions_2indep(int(y1.sum()), len(y1), int(y0.sum()), len(y0), method="newcomb")
    return {**normal(outcome, contrast, p1 - p0, se, len(y1) + len(y0), "difference_in_proportions"),
            "method": method, "conf_low": float(low), "conf_high": float(high)}


def minimum_detectable(p0, n0, n1, alpha=0.05) -> float:
    def shortfall(d):
        return power_proportions_2indep(d, p0, n1, ratio=n0 / n1, alpha=alpha).power - 0.8

    return brentq(shortfall, 0.0, (1.0 - p0) * (1.0 - 1e-9), xtol=1e-12)


def logit_hc2(fit, terms: dict, outcome) -> list[dict]:
    """statsmodels' Logit has no HC2; the leverage-corrected sandwich by hand, on the log-odds scale."""
    x, y = fit.model.exog, fit.model.endog
    mu = fit.predict()
    w = mu * (1 - mu)
    bread = np.linalg.pinv(x.T @ (x * w[:, None]))
    leverage = np.sum(x @ bread * x, axis=1) * w
    scores = x * ((y - mu) / np.sqrt(np.clip(1 - leverage, 1e-12, None)))[:, None]
    cov = bread @ (scores.T @ scores) @ bread
    rows = []
    for term, (contrast, n) in terms.items():
        k = fit.params.index.get_loc(term)
        beta, se = fit.params.iloc[k], np.sqrt(max(cov[k, k], 0.0))
        if not (np.isfinite(beta) and abs(beta) < 15 and se > 0):
            continue  # separation: an odds ratio beyond e^15 is no estimate
        rows.append(row(outcome, contrast, np.exp(beta), se, 2 * stats.norm.sf(abs(beta / se)), n, "logit_hc2",
                        np.exp(beta - Z * se), np.exp(beta + Z * se), statistic=beta / se))
    return rows


def models(data, terms: dict, outcome, rhs, arms_of: dict) -> list[dict]:
    """The linear probability model (HC2) and, per contrast, the logistic model of one outcome; terms: name ->
    (contrast, n); arms_of: name -> the arms of the persons its logistic model holds."""
    formula = f"{outcome} ~ {rhs} + {COVARIATES} + C(stratum)"
    ols = smf.ols(formula, data=filled(data)).fit(cov_type="HC2")
    rows = []
    for term, (contrast, n) in terms.items():  # a difference in shares and its interval lie within -1 and 1
        lpm = normal(outcome, contrast, ols.params[term], ols.bse[term], n, "lpm_hc2")
        rows.append({**lpm, "conf_low": max(lpm["conf_low"], -1.0), "conf_high": min(lpm["conf_high"], 1.0)})
    for term, (contrast, n) in terms.items():
        mine = filled(data[data["arm"].isin(arms_of[term])])
        rows += logistic(smf.ols(formula, data=mine), {term: (contrast, n)}, outcome)
    return rows


def logistic(design, terms: dict, outcome) -> list[dict]:
    """The logistic model on a design, less the indicators of a level in which everyone has the same outcome: they
    separate the data (the core leaves them out too)."""
    y, x = design.data.orig_endog, design.data.orig_exog
    x = x.loc[:, [name for name in x.columns if name in terms or name == "Intercept" or x[name].nunique() > 1]]
    separating = [name for name in x.columns if name not in terms and x[name].isin([0, 1]).all()
                  and x[name].nunique() == 2 and y.iloc[:, 0][x[name] == 1].nunique() == 1]
    try:
        logit = sm.Logit(y, x.drop(columns=separating)).fit(disp=0, method="newton", maxiter=100,
                                                            warn_convergence=False)
    except np.linalg.LinAlgError:
        return []
    return logit_hc2(logit, terms, outcome) if logit.mle_retvals.get("converged", False) else []


def effects(frame, contrasts, control) -> list[dict]:
    rows = []
    single = [(code, arms[0]) for code, arms, pooled in contrasts if not pooled]
    arms_in_order = list(dict.fromkeys(frame["arm"]))
    for outcome in OUTCOMES:
        known = frame[frame[outcome].notna()]  # the hours are not known for everyone
        if (known["arm"] == control).sum() < 2 or (known["arm"] != control).sum() < 2:
            continue
        for arm in arms_in_order:
            if (known["arm"] == arm).any():
                rows.append(share(known.loc[known["arm"] == arm, outcome], outcome, arm))
        y0 = known.loc[known["arm"] == control, outcome]
        for code, arms, _ in contrasts:
            y1 = known.loc[known["arm"].isin(arms), outcome]
            rows.append(difference(y1, y0, outcome, code))
            table = [[y1.sum(), len(y1) - y1.sum()], [y0.sum(), len(y0) - y0.sum()]]
            cells = np.array(table, dtype=float)
            odds = sm.stats.Table2x2(cells + 0.5 * (cells == 0).any())  # Haldane: a half in every cell
            low, high = odds.oddsratio_confint()
            rows.append(row(outcome, code, odds.oddsratio, odds.log_oddsratio_se, stats.fisher_exact(table).pvalue,
                            len(y1) + len(y0), "fisher_exact", low, high))
            if len(y0) >= 2 and len(y1) >= 2 and 0 < y0.mean() < 1:
                alpha = 0.05 / len(single) if code in {c for c, _ in single} and len(single) > 1 else 0.05
                try:
                    rows.append(row(outcome, code, minimum_detectable(y0.mean(), len(y0), len(y1), alpha), None,
                                    None, len(y0) + len(y1), "mde"))
                except ValueError:  # not reachable with these numbers
                    pass
        if single:
            data = known[known["arm"].isin([arm for _, arm in single] + [control])]
            term = f"C(arm, Treatment('{control}'))[T.{{}}]"
            sizes = data["arm"].value_counts()
            rows += models(data, {term.format(arm): (code, sizes[arm] + sizes[control]) for code, arm in single},
                           outcome, f"C(arm, Treatment('{control}'))",
                           {term.format(arm): [arm, control] for _, arm in single})
        for code, arms, pooled in contrasts:
            if pooled:
                data = known[known["arm"].isin([*arms, control])].assign(
                    treated=lambda d, arms=arms: d["arm"].isin(arms).astype(int))
                rows += models(data, {"treated": (code, len(data))}, outcome, "treated", {"treated": [*arms, control]})
        family = [r for r in rows if r["method"] == "lpm_hc2" and r["outcome"] == outcome
                  and r["contrast"] in {code for code, _ in single}]
        if len(family) >= 2:
            for method, adjust in (("holm", "holm"), ("benjamini_hochberg", "fdr_bh")):
                adjusted = multipletests([r["p_value"] for r in family], method=adjust)[1]
                rows += [{**r, "p_value": float(q), "method": method} for r, q in zip(family, adjusted, strict=True)]
    return rows


def time_to_exit(frame, spells, contrasts, control, c) -> list[dict]:
    rows = []
    horizon = frame["time"].max() + 0.5
    for arm in dict.fromkeys(frame["arm"]):
        part = frame[frame["arm"] == arm]
        with warnings.catch_warnings():  # lifelines says it jitters tied times; it is meant to
            warnings.simplefilter("ignore")
            aj = AalenJohansenFitter(seed=2017).fit(part["time"] + 0.5, part["cause"], event_of_interest=1)
        at = aj.cumulative_density_.loc[:horizon].iloc[-1, 0]
        low, high = aj.confidence_interval_.loc[:horizon].iloc[-1]
        rows.append(row("exit_to_work", arm, at, None, None, len(part), "cumulative_incidence", low, high))
    single = [(code, arms[0]) for code, arms, pooled in contrasts if not pooled]
    if single:
        data = frame[frame["arm"].isin([arm for _, arm in single] + [control])]
        term = f"C(arm, Treatment('{control}'))[T.{{}}]"
        sizes = data["arm"].value_counts()
        rows += cox(data, {term.format(arm): (code, sizes[arm] + sizes[control]) for code, arm in single},
                    f"C(arm, Treatment('{control}'))")
    for code, arms, pooled in contrasts:
        if pooled:
            data = frame[frame["arm"].isin([*arms, control])].assign(
                treated=lambda d, arms=arms: d["arm"].isin(arms).astype(int))
            rows += cox(data, {"treated": (code, len(data))}, "treated")
    rows += reentry(frame, spells, contrasts, control, c)
    return rows


def cox(data, terms: dict, rhs) -> list[dict]:
    """The Cox model of exit to work, less the indicators of a level without any exit (as the core does)."""
    data = filled(data).assign(time=lambda d: d["time"] + 0.5, event=lambda d: (d["cause"] == 1).astype(int))
    design = smf.phreg(f"time ~ {rhs} + {COVARIATES}", data=data, status="event", ties="efron")
    x = pd.DataFrame(design.exog, columns=design.exog_names)
    empty = [name for name in x.columns if name not in terms and x[name].isin([0, 1]).all()
             and x[name].nunique() == 2 and data["event"].to_numpy()[x[name].to_numpy() == 1].sum() == 0]
    x = x.drop(columns=empty)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = sm.PHReg(data["time"].to_numpy(), x, status=data["event"].to_numpy(), ties="efron").fit()
        except np.linalg.LinAlgError:
            return []
    rows = []
    for term, (contrast, n) in terms.items():
        k = list(x.columns).index(term)
        beta, se = fit.params[k], fit.bse[k]
        if np.isfinite(se) and se > 0:
            rows.append(row("exit_to_work", contrast, np.exp(beta), se, 2 * stats.norm.sf(abs(beta / se)), n,
                            "cox_hr", np.exp(beta - Z * se), np.exp(beta + Z * se), statistic=beta / se))
    return rows


def reentry(frame, spells, contrasts, control, c) -> list[dict]:
    exits = frame[frame["exit_on"].notna()][["person_id", "arm", "exit_on"]]
    later = spells.merge(exits, on="person_id")
    back_on = later[later["spell_start"] >= later["exit_on"]].groupby("person_id")["spell_start"].min()
    exits = exits.assign(back_on=exits["person_id"].map(back_on))
    rows = []
    for months in (6, 12):
        method = f"reentry_{months}m"
        until = exits["exit_on"] + pd.DateOffset(months=months)
        eligible = exits[until <= c].assign(back=lambda d, m=months: (
            d["back_on"].notna() & (d["back_on"] < d["exit_on"] + pd.DateOffset(months=m))).astype(int))
        for arm in dict.fromkeys(frame["arm"]):
            y = eligible.loc[eligible["arm"] == arm, "back"]
            if len(y):
                rows.append(share(y, method, arm))
        y0 = eligible.loc[eligible["arm"] == control, "back"]
        for code, arms, _ in contrasts:
            y1 = eligible.loc[eligible["arm"].isin(arms), "back"]
            if len(y1) >= 2 and len(y0) >= 2:
                rows.append(difference(y1, y0, method, code, method))
    return rows


def score_table(responses: pd.DataFrame) -> pd.DataFrame:
    """Scale scores per person, wave and instrument from the instruments' scoring keys."""
    key = pd.DataFrame([(code, item.code, item.scale.minimum, item.scale.maximum, item.reverse, instrument.method,
                         max(instrument.min_answered, 1))
                        for code, instrument in INSTRUMENTS.items() if instrument.method != "none"
                        for item in instrument.items],
                       columns=["instrument", "item", "low", "high", "reverse", "method", "min_answered"])
    r = responses.merge(key, on=["instrument", "item"])
    r["value"] = pd.to_numeric(r["value"].str.strip().str.replace(",", "."), errors="coerce")
    r = r[(r["value"] >= r["low"]) & (r["value"] <= r["high"])].copy()
    r.loc[r["reverse"], "value"] = r["low"] + r["high"] - r["value"]
    s = r.groupby(["person_id", "wave", "instrument"]).agg(total=("value", "sum"), count=("value", "size"),
                                                           method=("method", "first"),
                                                           minimum=("min_answered", "first")).reset_index()
    s = s[s["count"] >= s["minimum"]]
    s["score"] = np.where(s["method"] == "sum", s["total"], s["total"] / s["count"])
    return s[["person_id", "wave", "instrument", "score"]]


def questionnaires(frame, scores, contrasts, control) -> list[dict]:
    if scores.empty:
        return []
    asked = frame[frame["consented_on"].notna()]
    waves = sorted(scores["wave"].unique())
    rows = []
    for wave in waves:
        answered = asked["person_id"].isin(scores.loc[scores["wave"] == wave, "person_id"]).astype(int)
        for arm in dict.fromkeys(asked["arm"]):
            rows.append(share(answered[asked["arm"] == arm], f"response:wave{wave}", arm))
        counts = pd.crosstab(asked["arm"], answered)
        if len(counts) >= 2 and counts.shape[1] == 2:
            chi2, p, _, _ = stats.chi2_contingency(counts, correction=False)
            rows.append(row(f"response:wave{wave}", "arms", float("nan"), None, p, len(asked), "response_chi2",
                            statistic=chi2))
    final = max(waves)
    for instrument in PARTICIPANT_INSTRUMENTS:
        mine = scores[scores["instrument"] == instrument].merge(frame[["person_id", "arm"]], on="person_id")
        for (wave, arm), group in mine.groupby(["wave", "arm"]):
            if len(group) >= 2:
                mean, se = group["score"].mean(), group["score"].std() / np.sqrt(len(group))
                rows.append(row(f"{instrument}:wave{wave}", arm, mean, se, None, len(group), "mean",
                                mean - Z * se, mean + Z * se))
        if final == 0:
            continue
        wide = mine[mine["wave"].isin([0, final])].pivot(index="person_id", columns="wave", values="score")
        if 0 not in wide.columns or final not in wide.columns:
            continue
        wide = wide.rename(columns={0: "baseline", final: "final"})[["baseline", "final"]].reset_index()
        people = asked.merge(wide, on="person_id").dropna(subset=["baseline"])
        weights = response_weights(people)
        both = people.dropna(subset=["final"]).assign(change=lambda d: d["final"] - d["baseline"])
        for code, arms, _ in contrasts:
            part = both[both["arm"].isin([*arms, control])].assign(
                treated=lambda d, arms=arms: d["arm"].isin(arms).astype(int))
            if part["treated"].sum() < 2 or (1 - part["treated"]).sum() < 2:
                continue
            for method, fit in (("ancova_hc2", smf.ols("final ~ treated + baseline", data=part)),
                                ("change_hc2", smf.ols("change ~ treated", data=part))):
                result = fit.fit(cov_type="HC2")
                rows.append(normal(instrument, code, result.params["treated"], result.bse["treated"], len(part),
                                   method))
            if weights is not None:
                w = part["person_id"].map(weights)
                if np.isfinite(w).all():
                    result = smf.wls("final ~ treated + baseline", data=part, weights=w).fit(cov_type="HC2")
                    rows.append(normal(instrument, code, result.params["treated"], result.bse["treated"],
                                       len(part), "ancova_ipw"))
    return rows


def response_weights(people) -> pd.Series | None:
    """1 / P(answered the final wave), from a logistic model of arm, covariates and baseline score."""
    data = filled(people, [*NUMERIC, "baseline"]).assign(answered=people["final"].notna().astype(int))
    if data["answered"].nunique() < 2:
        return None
    try:
        fit = smf.logit(f"answered ~ C(arm) + {COVARIATES} + baseline", data=data).fit(
            disp=0, method="newton", maxiter=100, warn_convergence=False)
    except np.linalg.LinAlgError:
        return None
    return pd.Series(1 / np.clip(fit.predict(data), 0.01, 1.0).to_numpy(), index=data["person_id"])


def reference_comparison(t: dict) -> list[dict]:
    """Participants against non-participants on exit to work from the start: propensity-score matching and
    inverse-probability weighting (not randomized)."""
    manifest = t["manifest"]
    start, c = pd.Timestamp(manifest["experiment"]["period_start"]), pd.Timestamp(manifest["experiment"]["count_date"])
    persons = t["persons"][["person_id"]]
    base = covariates_at(t["persons"], t["benefit_spells"], persons.assign(on=start))
    outcome = person_outcomes(t["benefit_spells"], t["earnings"], persons.assign(start=start), c)
    data = base.merge(outcome[["person_id", "exit_to_work"]], on="person_id")
    data["group"] = data["person_id"].map(t["enrollments"].set_index("person_id")["arm"]).fillna("reference")
    data = data.sort_values("person_id").reset_index(drop=True)
    if (data["group"] == "reference").sum() < 2:
        return []
    rows = []
    for group in [*(arm["code"] for arm in manifest["arms"]), "participants"]:
        chosen = data["group"] != "reference" if group == "participants" else data["group"] == group
        part = filled(data[chosen | (data["group"] == "reference")]).assign(treated=chosen.astype(int))
        if part["treated"].sum() >= 2:
            rows += compare_group(part, f"{group} vs reference")
    return rows


def compare_group(part, contrast) -> list[dict]:
    try:
        fit = smf.logit(f"treated ~ {COVARIATES}", data=part).fit(disp=0, method="newton", maxiter=100,
                                                                  warn_convergence=False)
    except np.linalg.LinAlgError:
        return []
    score = np.clip(fit.predict(part).to_numpy(), 1e-6, 1 - 1e-6)
    logit = np.log(score / (1 - score))
    treated = part["treated"].to_numpy() == 1
    caliper = 0.2 * np.std(logit, ddof=1)
    reference = np.flatnonzero(~treated)
    reference = reference[np.argsort(logit[reference], kind="stable")]
    pool = logit[reference]
    weights = np.zeros(len(part))
    unmatched = 0
    for i in np.flatnonzero(treated):  # nearest neighbour with replacement
        k = np.searchsorted(pool, logit[i])
        # Of equally near reference persons the lower on the sorted score, as core.evaluation.reference.match
        # takes it: many persons share a score, and another choice would match other persons.
        j = min((j for j in (k - 1, k) if 0 <= j < len(pool)), key=lambda j: (abs(pool[j] - logit[i]), j))
        if abs(pool[j] - logit[i]) <= caliper:
            weights[i] += 1
            weights[reference[j]] += 1
        else:
            unmatched += 1
    rows = []
    kept = part[weights > 0]
    if kept["treated"].nunique() == 2:
        result = smf.wls("exit_to_work ~ treated", data=kept, weights=weights[weights > 0]).fit(cov_type="HC2")
        rows.append(normal("exit_to_work", contrast, result.params["treated"], result.bse["treated"], len(kept),
                           "psm_att"))
        rows.append(row("exit_to_work", contrast, unmatched, None, None, treated.sum(), "psm_unmatched"))
    ipw = np.where(treated, 1.0, score / (1 - score))
    result = smf.wls("exit_to_work ~ treated", data=part, weights=ipw).fit(cov_type="HC2")
    rows.append(normal("exit_to_work", contrast, result.params["treated"], result.bse["treated"], len(part),
                       "ipw_att"))
    x = pd.DataFrame(fit.model.exog, columns=fit.model.exog_names).drop(columns="Intercept")
    for method, w in (("smd_unadjusted", np.ones(len(part))), ("smd_matched", weights), ("smd_ipw", ipw)):
        for name in x.columns:
            rows.append(row(f"balance:{name}", contrast, weighted_smd(x[name].to_numpy(), treated, w), None, None,
                            (w > 0).sum(), method))
    return rows


def weighted_smd(values, treated, weights) -> float:
    a, b = treated & (weights > 0), ~treated & (weights > 0)
    if not a.any() or not b.any():
        return float("nan")
    difference = np.average(values[a], weights=weights[a]) - np.average(values[b], weights=weights[b])
    sd = np.sqrt((np.var(values[treated], ddof=1) + np.var(values[~treated], ddof=1)) / 2)
    return difference / sd if sd > 0 else 0.0


def heterogeneity(frame, contrasts, control) -> list[dict]:
    """Exit to work within levels of limitation and household type, and the Wald test of equal effects."""
    rows = []
    for modifier in ("limitation", "household_type"):
        for code, arms, pooled in contrasts:
            if pooled:
                continue
            part = frame[frame["arm"].isin([*arms, control])].assign(
                treated=lambda d, arms=arms: d["arm"].isin(arms).astype(int),
                level=lambda d, m=modifier: d[m].fillna("onbekend"))
            kept = []
            for level, group in part.groupby("level"):
                y1 = group.loc[group["treated"] == 1, "exit_to_work"]
                y0 = group.loc[group["treated"] == 0, "exit_to_work"]
                if len(y1) >= 2 and len(y0) >= 2:
                    kept.append(level)
                    rows.append(difference(y1, y0, f"exit_to_work|{modifier}={level}", code, "subgroup_difference"))
            if len(kept) < 2:
                continue
            fit = smf.ols("exit_to_work ~ C(level) * treated", data=part[part["level"].isin(kept)]).fit(cov_type="HC2")
            interactions = [name for name in fit.params.index if ":treated" in name]
            restriction = np.array([[1.0 if name == term else 0.0 for name in fit.params.index]
                                    for term in interactions])
            test = fit.wald_test(restriction, scalar=True)
            rows.append(row(f"exit_to_work|{modifier}", code, float("nan"), None, float(test.pvalue),
                            len(part[part["level"].isin(kept)]), "interaction_wald", statistic=float(test.statistic)))
    return rows


# --- randomization inference ------------------------------------------------------------------------------------

def randomization_pandas(frame, contrasts, control, permutations: int, seed: int) -> list[dict]:
    """p-values of the difference in proportions for every contrast and outcome over re-draws of the lottery, one
    at a time: each block of each draw dealt again from its pattern (the first L places of a shuffled pattern for a
    block of L persons), every arm at once; then each contrast compared among the persons whose outcome is known."""
    rng = np.random.default_rng(seed)
    weights = frame.attrs["ratio"]  # the arms' allocation ratios, from the manifest (prepare)
    arms = list(weights)
    blocks = [(group.index.to_numpy(), np.repeat(arms, [weights[a] * int(size) // sum(weights.values())
                                                         for a in arms]))
              for (_, _, size), group in frame.groupby(["draw", "block", "block_size"])]
    outcomes = [o for o in OUTCOMES if frame[o].notna().sum() >= 4]

    def differences(arm: pd.Series) -> dict:
        found = {}
        for code, members, _ in contrasts:
            treated, control_arm = arm.isin(members), arm == control
            found[code] = frame.loc[treated, outcomes].mean() - frame.loc[control_arm, outcomes].mean()
        return found

    observed = differences(frame["arm"])
    extreme = {code: pd.Series(0, index=outcomes) for code, _, _ in contrasts}
    for _ in range(permutations):
        arm = pd.Series(index=frame.index, dtype=object)
        for index, pattern in blocks:
            arm[index] = rng.permutation(pattern)[:len(index)]
        for code, drawn in differences(arm).items():
            extreme[code] += drawn.abs() >= observed[code].abs() - 1e-12
    rows = []
    for code, members, _ in contrasts:
        in_contrast = frame["arm"].isin([*members, control])
        for outcome in outcomes:
            rows.append(row(outcome, code, observed[code][outcome], None,
                            (1 + extreme[code][outcome]) / (1 + permutations),
                            int((in_contrast & frame[outcome].notna()).sum()), "randomization_inference"))
    return rows
