"""The randomized evaluation of an experiment from its dataset (DESIGN.md section 7), as one value.

    from vertrouwen.core.evaluation import evaluate
    result = evaluate(read_dataset(folder), permutations=10_000)
    result.tidy()      # every number as a row: outcome, contrast, estimate, std_error, statistic, p_value, ...
    result.summary()   # a Dutch plain-language reading

Each section is built by its own module; this one decides the contrasts, the populations and the order.
"""

import datetime as dt
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import polars as pl

from vertrouwen.core import codes
from vertrouwen.core.dataset import Dataset
from vertrouwen.core.evaluation import estimators as est
from vertrouwen.core.evaluation import questionnaires, reference, survival
from vertrouwen.core.evaluation.frame import (
    BINARY_OUTCOMES,
    COVARIATES,
    EXIT_WORK,
    LOTTERY_RECORD,
    OUTCOME_LABELS,
    analysis_frame,
)
from vertrouwen.core.evaluation.plan import MODIFIERS, AnalysisPlan
from vertrouwen.core.evaluation.randomization import Scheme, permutation_p_values, redrawn_p_values
from vertrouwen.core.evaluation.results import Estimate, tidy
from vertrouwen.core.evaluation.settings import ALPHA, SEED, EvaluationSettings
from vertrouwen.core.formatting import long_date
from vertrouwen.core.lottery.balance import BalanceTable, balance_table
from vertrouwen.core.predicates import reentries
from vertrouwen.core.surveys.scoring import score_table

JSON_FORMAT = "vertrouwen-evaluatie/1"
STEPS = 7  # the parts progress counts: frame, balance, effects, time to exit, questionnaires, reference, subgroups
Progress = Callable[[int, int], None]

REENTRY_MONTHS = (6, 12)


@dataclass(frozen=True)
class Contrast:
    code: str  # "arm vs control" or "arm+arm vs control"
    arms: tuple[str, ...]
    pooled: bool


@dataclass(frozen=True)
class Evaluation:
    municipality: str
    experiment: str
    count_date: dt.date
    arms: tuple[str, ...]
    arm_names: dict
    control: str | None
    contrasts: tuple[Contrast, ...]
    sizes: dict  # allocated persons per arm
    permutations: int
    seed: int
    strata: tuple[str, ...]  # what the re-draws keep fixed: the draw, plus these person attributes
    balance: dict = field(default_factory=dict)  # population ("toegewezen", "vragenlijst ronde 0", ...) -> table
    effects: tuple[Estimate, ...] = ()  # intention to treat, every method; shares per arm; MDEs
    incidence: dict = field(default_factory=dict)  # arm -> survival.Incidence of exit to work
    time_to_exit: tuple[Estimate, ...] = ()  # incidence at the count date, Cox, re-entry
    questionnaires: tuple[Estimate, ...] = ()
    reference: tuple[Estimate, ...] = ()
    heterogeneity: tuple[Estimate, ...] = ()
    balance_tests: tuple[Estimate, ...] = ()
    notes: tuple[str, ...] = ()  # what cannot be shown and why, in Dutch
    unadjusted: tuple[str, ...] = ()  # contrasts too small for the covariates: their models hold the arm only
    randomization_scheme: str = ""  # how the re-draws re-did the lottery, in Dutch ("" without re-draws)
    scheme_assumed: bool = False  # the lottery's record was missing: the re-draws assume a scheme
    plan: AnalysisPlan | None = None  # the analysis plan the evaluation followed
    deviations: tuple[str, ...] = ()  # where it could not follow the plan, in Dutch
    alpha: float = ALPHA  # the verdicts' level (the plan's)
    correction: str = "holm"  # the correction that decides over the family of arms against control (the plan's)

    @property
    def estimator(self) -> str:
        """The method of the primary estimate: the plan's, else the additive model."""
        return self.plan.estimator if self.plan else "lpm_hc2"

    def primary(self, outcome: str, contrast: str) -> Estimate | None:
        """The primary estimate of an outcome and contrast (primary_of)."""
        return primary_of(self.effects, self.estimator, outcome, contrast)

    def tidy(self) -> list[dict]:
        smd = [Estimate(f"balance:{r.covariate}" + (f"={r.level}" if r.level is not None else ""),
                        f"{r.arm} vs {self.control}:{population}", r.smd, None, None, None, None, None, r.n, "smd")
               for population, table in self.balance.items() for r in table.rows if r.smd is not None]
        return tidy([*self.balance_tests, *smd, *self.effects, *self.time_to_exit, *self.questionnaires,
                     *self.reference, *self.heterogeneity])

    @property
    def warnings(self) -> tuple[str, ...]:
        """What a reader must know beside the numbers: the non-randomized comparison's self-selection, and that
        subgroups are exploratory."""
        found = [reference.WARNING] if self.reference else []
        if self.scheme_assumed:
            found.append(self.randomization_scheme)
        if self.heterogeneity:
            found.append("Subgroepen zijn verkennend: de loting was niet opgezet om subgroepen te vergelijken.")
        return tuple(found)

    def as_json(self) -> dict:
        """The evaluation as one JSON object (docs/evaluation.md, "JSON"): what was compared, every note and
        warning, and every number as a tidy row."""
        return {"format": JSON_FORMAT, "municipality": self.municipality, "experiment": self.experiment,
                "count_date": self.count_date.isoformat(), "control": self.control,
                "arms": [{"code": a, "name": self.arm_names.get(a, a), "allocated": self.sizes.get(a, 0)}
                         for a in self.arms],
                "contrasts": [{"code": c.code, "arms": list(c.arms), "pooled": c.pooled,
                               "adjusted_for_covariates": c.code not in self.unadjusted} for c in self.contrasts],
                "permutations": self.permutations, "seed": self.seed, "strata": list(self.strata),
                "randomization_scheme": self.randomization_scheme,
                "compared": bool(self.contrasts), "notes": list(self.notes), "warnings": list(self.warnings),
                "plan": None if self.plan is None else {"sha256": self.plan.hash, **json.loads(self.plan.to_json())},
                "deviations": list(self.deviations), "exploratory": self.exploratory(),
                "estimates": self.tidy()}

    def exploratory(self) -> list[str]:
        """The effects the plan did not name, as 'OUTCOME|CONTRAST' (all of them without a plan)."""
        return [f"{outcome}|{c.code}" for outcome in BINARY_OUTCOMES for c in self.contrasts
                if self.plan is None or not self.plan.planned(outcome, c.code)]

    def rows(self, method: str, outcome: str | None = None) -> list[Estimate]:
        every = [*self.balance_tests, *self.effects, *self.time_to_exit, *self.questionnaires, *self.reference,
                 *self.heterogeneity]
        return [e for e in every if e.method == method and (outcome is None or e.outcome == outcome)]

    def row(self, method: str, outcome: str, contrast: str) -> Estimate | None:
        return next((e for e in self.rows(method, outcome) if e.contrast == contrast), None)

    def summary(self) -> str:
        from vertrouwen.core.evaluation.reading import summary  # the reading needs the finished value

        return summary(self)


def evaluate_with(dataset: Dataset, settings: EvaluationSettings, progress: Progress | None = None) -> Evaluation:
    """The evaluation with the settings (and the plan) that the command line, the web page and the reports share."""
    return evaluate(dataset, permutations=settings.permutations, seed=settings.seed, strata=settings.strata,
                    as_of=settings.as_of, progress=progress, plan=settings.plan)


def evaluate(dataset: Dataset, permutations: int = 0, seed: int = SEED, strata: tuple[str, ...] = (),
             as_of: dt.date | None = None, progress: Progress | None = None,
             plan: AnalysisPlan | None = None) -> Evaluation:
    """The evaluation at the count date, or at `as_of` when that is earlier. permutations=0 leaves out
    randomization inference. strata: person attributes the lottery stratified by, besides the draw. With a plan:
    its covariates, correction, level and subgroups; what it does not name is exploratory, and where the
    evaluation cannot follow it, a deviation is said. progress(done, STEPS) hears of every part computed."""
    with warnings.catch_warnings():
        # Small groups make singular designs and separated logistic fits; the estimators check their results and
        # leave out what is not estimable, so the libraries' warnings would only repeat that.
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", UserWarning)
        return _evaluate(dataset, permutations, seed, strata, as_of, progress or (lambda done, total: None), plan)


def _evaluate(dataset, permutations, seed, strata, as_of, progress: Progress, plan: AnalysisPlan | None
              ) -> Evaluation:
    manifest = dataset.manifest
    c = manifest.experiment.count_date if as_of is None else min(as_of, manifest.experiment.count_date)
    arms = tuple(arm.code for arm in manifest.arms)
    controls = [arm.code for arm in manifest.arms if arm.is_control]
    control = controls[0] if controls else None
    frame = analysis_frame(dataset, c)
    if strata:
        frame = frame.with_columns(stratum=pl.concat_str(["stratum", *strata], separator="|", ignore_nulls=True))
    sizes = {arm: int((frame["arm"] == arm).sum()) for arm in arms}
    base = dict(municipality=manifest.municipality.name, experiment=manifest.experiment.name, count_date=c,
                arms=arms, arm_names={a.code: a.name for a in manifest.arms}, control=control, sizes=sizes,
                permutations=permutations, seed=seed, strata=tuple(strata), plan=plan,
                alpha=plan.alpha if plan else ALPHA, correction=plan.correction if plan else "holm")
    covariates = plan.covariates if plan else COVARIATES
    notes = _not_possible(frame, control, sizes)
    progress(1, STEPS)
    if notes:
        progress(STEPS, STEPS)
        return Evaluation(contrasts=(), notes=tuple(notes), deviations=tuple(notes) if plan else (), **base)
    contrasts = contrasts_of(manifest, control, sizes)
    scores = score_table(dataset.tables["survey_responses"]).join(frame.select("person_id"), on="person_id")
    balance, balance_tests = _balance(frame, arms, control, scores)
    progress(2, STEPS)
    ratio = tuple(arm.allocation_ratio for arm in manifest.arms)
    known, missing = known_outcomes(frame, control)
    scheme, scheme_text = lottery_scheme(frame, ratio) if permutations else (None, "")
    effects = _effects(frame, known, contrasts, control, permutations, seed, arms, ratio, covariates, base["alpha"],
                       plan.estimator if plan else "lpm_hc2", scheme)
    progress(3, STEPS)
    incidence, time_to_exit = _time_to_exit(frame, dataset.tables["benefit_spells"], contrasts, control, c,
                                            covariates)
    progress(4, STEPS)
    survey_rows, survey_notes = questionnaires.analyse(frame, scores, contrasts, control)
    progress(5, STEPS)
    reference_rows, reference_notes = reference.compare(dataset, c, arms)
    progress(6, STEPS)
    heterogeneity = tuple(_heterogeneity(frame, contrasts, control, plan.subgroups if plan else MODIFIERS))
    progress(7, STEPS)
    unadjusted = unadjusted_contrasts(frame, contrasts, control, covariates)
    names = base["arm_names"]
    small = [f"Te weinig personen om bij {' + '.join(names[a] for a in c.partition(' vs ')[0].split('+'))} tegen "
             f"{names[control]} te corrigeren voor achtergrondkenmerken: het model schat daar het verschil zonder "
             "die correctie." for c in unadjusted]
    return Evaluation(contrasts=contrasts, balance=balance, balance_tests=tuple(balance_tests),
                      effects=tuple(effects), incidence=incidence, time_to_exit=tuple(time_to_exit),
                      questionnaires=tuple(survey_rows), reference=tuple(reference_rows),
                      heterogeneity=heterogeneity, notes=tuple(small + missing + survey_notes + reference_notes),
                      unadjusted=unadjusted, randomization_scheme=scheme_text,
                      scheme_assumed=bool(permutations) and scheme is None,
                      deviations=tuple(deviations(plan, manifest, c, contrasts, unadjusted, missing, permutations,
                                                  effects) if plan else ()), **base)


def deviations(plan: AnalysisPlan, manifest, as_of: dt.date, contrasts, unadjusted, missing: list[str],
               permutations: int, effects=()) -> list[str]:
    """Where the evaluation could not follow the plan, in Dutch."""
    found = []
    if plan.experiment != manifest.experiment.code:
        found.append(f"Het plan hoort bij experiment {plan.experiment}, de gegevens bij "
                     f"{manifest.experiment.code}.")
    if as_of != plan.count_date:
        found.append(f"De evaluatie staat op {long_date(as_of)}; het plan noemt de teldatum "
                     f"{long_date(plan.count_date)}.")
    made = {c.code for c in contrasts}
    found += [f"De vergelijking {c} uit het plan is niet gemaakt: een van de groepen heeft te weinig personen."
              for c in plan.contrasts if c not in made]
    found += [f"Bij {c} is niet gecorrigeerd voor achtergrondkenmerken, zoals het plan vroeg: te weinig personen."
              for c in unadjusted if c in plan.contrasts]
    found += [f"Bij {c.code} kon de geïnteracteerde schatter van Lin (2013) uit het plan niet worden berekend: te "
              f"weinig personen voor de interacties; het additieve model is gebruikt."
              for c in contrasts if c.code in plan.contrasts and c.code not in unadjusted and any(
                  (p := primary_of(effects, plan.estimator, o, c.code)) is not None and p.method != plan.estimator
                  for o in (*plan.primary, *plan.secondary))]
    planned = {OUTCOME_LABELS[o].capitalize() for o in (*plan.primary, *plan.secondary)}
    found += [note for note in missing if any(note.startswith(label) for label in planned)]
    if permutations != plan.permutations:
        found.append(f"De herlotingstoets gebruikte {permutations} herlotingen; het plan noemt er "
                     f"{plan.permutations}.")
    return found


def _not_possible(frame: pl.DataFrame, control: str | None, sizes: dict) -> list[str]:
    if frame.height == 0:
        return ["Er is nog niemand door loting ingedeeld vóór de teldatum; er valt nog niets te vergelijken."]
    if control is None:
        return ["Het experiment heeft geen controlegroep (onderzoeksgroep); zonder controlegroep is er geen "
                "gerandomiseerde vergelijking. Alleen de aantallen in de monitor zijn te tonen."]
    if sizes[control] < 2 or sum(1 for arm, n in sizes.items() if arm != control and n >= 2) == 0:
        return ["Er zijn nog te weinig ingedeelde personen in de controlegroep of de andere groepen om te "
                "vergelijken (minstens twee per groep)."]
    return []


def contrasts_of(manifest, control: str, sizes: dict) -> tuple[Contrast, ...]:
    """Each arm against control; all treatment arms pooled; and the arms without a financial incentive (standard
    disregard, no job bonus) pooled, as the Wageningen researchers pooled exemption and extra guidance, when that
    is another set of at least two."""
    treated = [arm for arm in manifest.arms if arm.code != control and sizes[arm.code] >= 2]
    contrasts = [Contrast(f"{arm.code} vs {control}", (arm.code,), False) for arm in treated]
    pools = []
    if len(treated) >= 2:
        pools.append(tuple(arm.code for arm in treated))
    unpaid = tuple(arm.code for arm in treated if arm.disregard_regime == "standaard" and not arm.job_bonus_cents)
    if len(unpaid) >= 2 and unpaid not in pools:
        pools.append(unpaid)
    contrasts += [Contrast(f"{'+'.join(pool)} vs {control}", pool, True) for pool in pools]
    return tuple(contrasts)


def treatment_terms(frame: pl.DataFrame, contrast: Contrast, control: str) -> tuple[pl.DataFrame, str]:
    """The persons of the contrast's arms and the control arm, with the 0/1 column `treated`."""
    part = frame.filter(pl.col("arm").is_in([*contrast.arms, control]))
    return part.with_columns(treated=pl.col("arm").is_in(list(contrast.arms))), "treated"


def arm_terms(frame: pl.DataFrame, arms: list[str]) -> pl.DataFrame:
    return frame.with_columns(**{f"arm={arm}": pl.col("arm") == arm for arm in arms})


def _balance(frame, arms, control, scores) -> tuple[dict[str, BalanceTable], list[Estimate]]:
    present = [arm for arm in arms if (frame["arm"] == arm).any()]
    populations = {"toegewezen": frame}
    for wave in sorted(scores["wave"].unique().to_list()):
        answered = scores.filter(pl.col("wave") == wave).select("person_id").unique()
        populations[f"vragenlijst ronde {wave}"] = frame.join(answered, on="person_id")
    tables, tests = {}, []
    for name, population in populations.items():
        here = [arm for arm in present if (population["arm"] == arm).any()]
        if control not in here or len(here) < 2:
            continue
        tables[name] = balance_table(population.select("arm", *COVARIATES), here, control,
                                     covariates=COVARIATES)
        for arm in here:
            if arm != control:
                tests += est.joint_balance(population, arm, control, COVARIATES, f"{arm} vs {control}", name)
    return tables, tests


def known_outcomes(frame: pl.DataFrame, control: str) -> tuple[dict[str, pl.DataFrame], list[str]]:
    """For each outcome, the persons for whom it is known (an hours-based outcome is not known for everyone), and
    the notes on who is left out or why an outcome cannot be determined at all."""
    known, notes = {}, []
    for outcome in BINARY_OUTCOMES:
        part = frame.filter(pl.col(outcome).is_not_null())
        missing = frame.height - part.height
        label = OUTCOME_LABELS[outcome].capitalize()
        if (part["arm"] == control).sum() < 2 or part.filter(pl.col("arm") != control).height < 2:
            notes.append(f"{label} is niet te bepalen: de gegevens noemen het voor te weinig personen.")
            continue
        if missing:
            notes.append(f"{label}: bij {missing} van de {frame.height} personen niet te bepalen (de uren zijn niet "
                         f"bekend, of de persoon had op de teldatum geen uitkering); de schatting gebruikt de "
                         f"overige {part.height}.")
        known[outcome] = part
    return known, notes


def comparable(people: pl.DataFrame, contrasts) -> tuple[Contrast, ...]:
    """The contrasts whose treated arms hold at least two of these persons."""
    return tuple(c for c in contrasts if people["arm"].is_in(list(c.arms)).sum() >= 2)


def _effects(frame, known: dict[str, pl.DataFrame], contrasts, control, permutations, seed, arms: tuple[str, ...],
             ratio: tuple[int, ...], covariates: tuple[str, ...], alpha: float, estimator: str,
             scheme: Scheme | None) -> list[Estimate]:
    rows: list[Estimate] = []
    single = [c for c in contrasts if not c.pooled]
    for outcome, people in known.items():  # each outcome on the persons for whom it is known
        for arm in people["arm"].unique(maintain_order=True).to_list():
            rows.append(est.share(people.filter(pl.col("arm") == arm)[outcome].to_numpy(), outcome, arm))
        y_control = people.filter(pl.col("arm") == control)[outcome].to_numpy().astype(float)
        usable = comparable(people, contrasts)
        for contrast in usable:
            part, _ = treatment_terms(people, contrast, control)
            y_treated = part.filter(pl.col("treated"))[outcome].to_numpy().astype(float)
            rows.append(est.difference_in_proportions(y_treated, y_control, outcome, contrast.code))
            rows.append(est.fisher_exact(y_treated, y_control, outcome, contrast.code))
            mde = est.mde(float(y_control.mean()), len(y_control), len(y_treated), outcome, contrast.code,
                          alpha=alpha / (len(single) if not contrast.pooled and len(single) > 1 else 1))
            rows += [mde] if mde else []
        rows += _models(people, usable, control, outcome, covariates)
        rows += est.adjusted([r for c in single if (r := primary_of(rows, estimator, outcome, c.code)) is not None])
    if permutations:
        rows += randomization_rows(frame, known, contrasts, control, arms, ratio, permutations, seed, scheme)
    return rows


def primary_of(rows, estimator: str, outcome: str, contrast: str) -> Estimate | None:
    """The primary estimate: the plan's estimator, or the additive model where that one could not be computed (Lin's
    interactions need more persons than the additive model)."""
    found = {r.method: r for r in rows if r.outcome == outcome and r.contrast == contrast
             and r.method in (estimator, "lpm_hc2")}
    return found.get(estimator) or found.get("lpm_hc2")


def _designs(frame, contrasts, control, covariates: tuple[str, ...], strata: bool = True):
    """The adjusted models' data: one model with an indicator per arm for the single contrasts, and one per pool.
    Yields the persons, the model matrix, its column names, whether it holds the covariates (estimators.adjustable)
    and {term: contrast code}."""
    single = {f"arm={c.arms[0]}": c.code for c in contrasts if not c.pooled}
    if single:
        part = arm_terms(frame.filter(pl.col("arm").is_in([*(t[4:] for t in single), control])),
                         [t[4:] for t in single])
        x, names = est.model_matrix(part, list(single), covariates, strata)
        yield part, *est.adjustable(x, names, list(single)), single
    for contrast in (c for c in contrasts if c.pooled):
        part, term = treatment_terms(frame, contrast, control)
        x, names = est.model_matrix(part, [term], covariates, strata)
        yield part, *est.adjustable(x, names, [term]), {term: contrast.code}


def _models(frame, contrasts, control, outcome, covariates: tuple[str, ...]) -> list[Estimate]:
    rows = []
    for part, x, names, _, terms in _designs(frame, contrasts, control, covariates):
        y = part[outcome].cast(pl.Float64).to_numpy()
        # A difference in shares lies within -1 and 1; so does its interval.
        rows += [replace(row, conf_low=max(row.conf_low, -1.0), conf_high=min(row.conf_high, 1.0))
                 for row in [*est.ols_hc2(y, x, names, terms, outcome, "lpm_hc2"),
                             *est.lin_hc2(y, x, names, terms, outcome)]]
        for term, contrast in terms.items():  # one logistic fit per contrast: an arm without events loses only its own
            treated = x[:, names.index(term)] == 1.0
            mine = treated | ~np.any(x[:, [names.index(t) for t in terms]] == 1.0, axis=1)
            rows += est.logit_hc2(y[mine], *_without_others(x[mine], names, terms, term), {term: contrast}, outcome)
    return rows


def _without_others(x, names, terms, term) -> tuple[np.ndarray, list[str]]:
    keep = [k for k, name in enumerate(names) if name == term or name not in terms]
    return x[:, keep], [names[k] for k in keep]


def unadjusted_contrasts(frame, contrasts, control, covariates: tuple[str, ...] = COVARIATES) -> tuple[str, ...]:
    """The contrasts whose persons are too few for the covariates (estimators.adjustable)."""
    return tuple(contrast for *_, adjusted, terms in _designs(frame, contrasts, control, covariates) if not adjusted
                 for contrast in terms.values())


def lottery_scheme(frame: pl.DataFrame, ratio: tuple[int, ...]) -> tuple[Scheme | None, str]:
    """How the lottery dealt the arms, from the record of every person's block; or None, and the scheme assumed
    instead, when the record is missing or does not fit the arms' ratios."""
    record = frame.select(LOTTERY_RECORD)
    if frame.height and record.null_count().sum_horizontal().item() == 0:
        sizes = set(record["block_size"].to_list())
        if all(size % sum(ratio) == 0 for size in sizes):
            methods = ", ".join(codes.LOTTERY_METHODS[m].lower() for m in sorted(set(record["method"])))
            draws = record["draw"].n_unique()
            return Scheme.of(record["draw"], record["method"], record["block"], record["block_size"]), (
                f"De herlotingen doen de loting over zoals die trok: {draws} trekking(en), {methods}, in blokken "
                f"van {' of '.join(str(s) for s in sorted(sizes))} personen; elke groep wordt opnieuw verdeeld.")
    return None, ("De gegevens zeggen niet in welke blokken de loting trok (kolommen draw, method, block en "
                  "block_size van enrollments.csv); de herlotingen nemen daarom aan dat de groepen binnen elke "
                  "lotingsdatum volledig willekeurig zijn verdeeld, met de aantallen per groep zoals ze waren.")


def randomization_rows(frame, known: dict[str, pl.DataFrame], contrasts, control, arms, ratio, permutations,
                       seed, scheme: Scheme | None) -> list[Estimate]:
    """The permutation p-value of each outcome and contrast: the lottery re-dealt as it drew (`scheme`, from
    lottery_scheme), or, without its record, labels re-drawn within each allocation date."""
    if scheme is None:
        return _permuted_within_strata(known, contrasts, control, permutations, seed)
    arm_index = np.array([arms.index(a) for a in frame["arm"].to_list()])
    outcomes = list(known)
    y = frame.select(pl.col(outcomes).cast(pl.Float64).fill_null(0.0)).to_numpy()
    observed_known = frame.select(pl.col(outcomes).is_not_null()).to_numpy()
    treated = [[arms.index(a) for a in contrast.arms] for contrast in contrasts]
    observed, p = redrawn_p_values(scheme, ratio, arm_index, treated, arms.index(control), y, observed_known,
                                   permutations, seed)
    rows = []
    for k, contrast in enumerate(contrasts):
        in_contrast = np.isin(arm_index, [*treated[k], arms.index(control)])
        for j, outcome in enumerate(outcomes):
            if contrast in comparable(known[outcome], contrasts):
                rows.append(Estimate(outcome, contrast.code, float(observed[k, j]), None, None, float(p[k, j]),
                                     None, None, int((in_contrast & observed_known[:, j]).sum()),
                                     "randomization_inference"))
    return rows


def _permuted_within_strata(known: dict[str, pl.DataFrame], contrasts, control, permutations, seed
                            ) -> list[Estimate]:
    """Labels re-drawn within strata; outcomes known for the same persons share their re-draws (one group for
    everyone, one per outcome known for fewer)."""
    groups: dict[tuple, list[str]] = {}
    for outcome, frame in known.items():
        groups.setdefault(tuple(frame["person_id"].to_list()), []).append(outcome)
    rows = []
    for outcomes in groups.values():
        people = known[outcomes[0]]
        for k, contrast in enumerate(contrasts):
            if contrast not in comparable(people, contrasts):
                continue
            part, term = treatment_terms(people, contrast, control)
            treated = part[term].to_numpy()
            y = part.select(pl.col(outcomes).cast(pl.Float64)).to_numpy()
            p = permutation_p_values(y, treated, part["stratum"].to_numpy(), permutations, seed + k)
            for j, outcome in enumerate(outcomes):
                difference = float(y[treated, j].mean() - y[~treated, j].mean())
                rows.append(Estimate(outcome, contrast.code, difference, None, None, float(p[j]), None, None,
                                     part.height, "randomization_inference"))
    return rows


def _time_to_exit(frame, spells, contrasts, control, c, covariates: tuple[str, ...]) -> tuple[dict, list[Estimate]]:
    incidence, rows = {}, []
    horizon = float(frame["time"].max())
    for arm in frame["arm"].unique(maintain_order=True).to_list():
        part = frame.filter(pl.col("arm") == arm)
        curve = survival.aalen_johansen(part["time"].to_numpy() + 0.5, part["cause"].to_numpy(), EXIT_WORK, arm)
        incidence[arm] = curve
        value, low, high = curve.at(horizon + 0.5)
        rows.append(Estimate("exit_to_work", arm, value, None, None, None, low, high, curve.n,
                             "cumulative_incidence"))
    for part, x, names, _, terms in _designs(frame, contrasts, control, covariates, strata=False):
        time = part["time"].to_numpy().astype(float) + 0.5  # an exit on the draw's day still takes time
        rows += survival.cox(time, (part["cause"] == EXIT_WORK).to_numpy().astype(float), x[:, 1:], names[1:],
                             terms, "exit_to_work")
    rows += _reentry(frame, spells, contrasts, control, c)
    return incidence, rows


def _reentry(frame, spells, contrasts, control, c) -> list[Estimate]:
    """Of those whose first exit to work lies at least k months before the count date: back on benefit within k
    months (a new spell starting after the exit)."""
    exits = frame.filter(pl.col("exit_on").is_not_null()).select("person_id", "arm", "exit_on")
    returns = reentries(spells, exits.rename({"exit_on": "first_exit"}), c)
    exits = exits.join(returns, on="person_id", how="left")
    rows = []
    for months in REENTRY_MONTHS:
        method, outcome = f"reentry_{months}m", f"reentry_{months}m"
        eligible = exits.filter(pl.col("exit_on").dt.offset_by(f"{months}mo") <= c).with_columns(
            back=pl.col("back_on").is_not_null() & (pl.col("back_on") < pl.col("exit_on").dt.offset_by(f"{months}mo")))
        for arm in frame["arm"].unique(maintain_order=True).to_list():
            y = eligible.filter(pl.col("arm") == arm)["back"].to_numpy().astype(float)
            if len(y):
                rows.append(est.share(y, outcome, arm))
        y_control = eligible.filter(pl.col("arm") == control)["back"].to_numpy().astype(float)
        for contrast in contrasts:
            y_treated = eligible.filter(pl.col("arm").is_in(list(contrast.arms)))["back"].to_numpy().astype(float)
            if len(y_treated) >= 2 and len(y_control) >= 2:
                row = est.difference_in_proportions(y_treated, y_control, outcome, contrast.code)
                rows.append(Estimate(**{**row.__dict__, "method": method}))
    return rows


def _heterogeneity(frame, contrasts, control, modifiers: tuple[str, ...]) -> list[Estimate]:
    rows = []
    for modifier in modifiers:
        for contrast in (c for c in contrasts if not c.pooled):
            part, term = treatment_terms(frame, contrast, control)
            rows += est.subgroups(part, term, modifier, "exit_to_work", contrast.code)
    return rows

