"""The analysis plan: what the evaluation of an experiment will estimate and decide by, fixed before the lottery
(docs/evaluation.md, "Analysis plan"). One value, one canonical JSON text and one SHA-256 hash of that text: a plan
changed by one character has another hash.

The evaluation follows a plan: its primary outcomes, its contrasts, its covariates, its correction of the p-values
(and the family it corrects over), its significance level and its number of re-draws. What the evaluation shows
beyond the plan is labelled exploratory ("verkennend (niet vooraf vastgelegd)"), and where the evaluation could not
follow the plan it says so (deviations)."""

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, fields

from vertrouwen.core.evaluation.frame import BINARY_OUTCOMES, COVARIATES, OUTCOME_LABELS
from vertrouwen.core.formatting import dutch_decimal, dutch_number, long_date
from vertrouwen.core.lottery.strata import ATTRIBUTE_LABELS

PLAN_FORMAT = "vertrouwen-analyseplan/1"
PLAN_FILE = "analyseplan.json"  # beside the dataset's files, the evaluation reads it by itself
ESTIMATORS = {"lpm_hc2": "lineair kansmodel met de achtergrondkenmerken additief, HC2-standaardfouten",
              "lin_hc2": "lineair kansmodel met de achtergrondkenmerken gecentreerd en per groep geïnteracteerd "
                         "(Lin 2013), HC2-standaardfouten, t-verdeling"}
CORRECTIONS = {"holm": "Holm", "benjamini_hochberg": "Benjamini-Hochberg"}
MODIFIERS = ("limitation", "household_type")
EXPLORATORY = "verkennend (niet vooraf vastgelegd)"


class PlanError(ValueError):
    """A plan that cannot be used; the message (Dutch) names the field and the reason."""


@dataclass(frozen=True)
class AnalysisPlan:
    experiment: str  # the experiment's code
    count_date: dt.date
    primary: tuple[str, ...]  # outcome codes (frame.BINARY_OUTCOMES) whose verdicts are decisive
    secondary: tuple[str, ...]
    contrasts: tuple[str, ...]  # "ARM vs CONTROL" or "ARM+ARM vs CONTROL"
    estimator: str = "lpm_hc2"
    covariates: tuple[str, ...] = COVARIATES
    correction: str = "holm"  # over the family: the single arms against control, per outcome
    alpha: float = 0.05
    permutations: int = 10_000  # re-draws of the lottery for randomization inference
    subgroups: tuple[str, ...] = MODIFIERS  # effect modifiers examined (exploratory by nature)
    format: str = PLAN_FORMAT

    def to_json(self) -> str:
        """The canonical text: keys sorted, two spaces, UTF-8, one line end at the end."""
        data = asdict(self)
        data["count_date"] = self.count_date.isoformat()
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @property
    def hash(self) -> str:
        return plan_hash_of(self.to_json())

    def planned(self, outcome: str, contrast: str) -> bool:
        """The plan names this outcome and this contrast."""
        return outcome in (*self.primary, *self.secondary) and contrast in self.contrasts

    def described(self) -> list[str]:
        """The plan in Dutch, one line per decision."""
        return [f"Primaire uitkomsten: {', '.join(OUTCOME_LABELS[o] for o in self.primary)}.",
                f"Secundaire uitkomsten: {', '.join(OUTCOME_LABELS[o] for o in self.secondary) or 'geen'}.",
                f"Vergelijkingen: {', '.join(self.contrasts)}.",
                f"Schatter: {ESTIMATORS[self.estimator]}; achtergrondkenmerken: "
                f"{', '.join(ATTRIBUTE_LABELS[c].lower() for c in self.covariates) or 'geen'}.",
                f"Correctie voor meerdere groepen: {CORRECTIONS[self.correction]} over de groepen tegen de "
                f"controlegroep, per uitkomst; significantieniveau {dutch_decimal(self.alpha, 3)}.",
                f"Herlotingstoets: {dutch_number(self.permutations)} herlotingen; subgroepen: "
                f"{', '.join(ATTRIBUTE_LABELS[m].lower() for m in self.subgroups) or 'geen'}.",
                f"Teldatum: {long_date(self.count_date)}. SHA-256 van het plan: {self.hash}."]


def plan_hash_of(text: str) -> str:
    """The SHA-256 of a plan's text, as it is written."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_plan(text: str, where: str = PLAN_FILE) -> AnalysisPlan:
    """A plan from its JSON text; every problem names the field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(f"{where}: geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}): {exc.msg}") from None
    if not isinstance(data, dict):
        raise PlanError(f"{where}: een analyseplan is een JSON-object")
    known = {f.name for f in fields(AnalysisPlan)}
    if unknown := sorted(set(data) - known):
        raise PlanError(f"{where}: onbekende velden {', '.join(unknown)}")
    if data.get("format", PLAN_FORMAT) != PLAN_FORMAT:
        raise PlanError(f"{where}, format: {data.get('format')!r} wordt niet gelezen; verwacht {PLAN_FORMAT!r}")
    try:
        plan = AnalysisPlan(
            experiment=_text(data, "experiment", where), count_date=_date(data, "count_date", where),
            primary=_codes(data, "primary", where, BINARY_OUTCOMES, required=True),
            secondary=_codes(data, "secondary", where, BINARY_OUTCOMES),
            contrasts=_texts(data, "contrasts", where),
            estimator=_choice(data, "estimator", where, ESTIMATORS, "lpm_hc2"),
            covariates=_codes(data, "covariates", where, COVARIATES, default=COVARIATES),
            correction=_choice(data, "correction", where, CORRECTIONS, "holm"),
            alpha=_number(data, "alpha", where, 0.05, 0.0, 0.5),
            permutations=int(_number(data, "permutations", where, 10_000, 0, 1_000_000, whole=True)),
            subgroups=_codes(data, "subgroups", where, MODIFIERS, default=MODIFIERS))
    except KeyError as missing:
        raise PlanError(f"{where}: het veld {missing.args[0]} ontbreekt") from None
    if overlap := set(plan.primary) & set(plan.secondary):
        raise PlanError(f"{where}: {', '.join(sorted(overlap))} staat zowel bij primary als bij secondary")
    if any(" vs " not in c for c in plan.contrasts) or not plan.contrasts:
        raise PlanError(f"{where}, contrasts: noem elke vergelijking als 'GROEP vs CONTROLEGROEP'")
    return plan


def default_plan(manifest, contrasts: tuple[str, ...]) -> AnalysisPlan:
    """The plan vertrouwen proposes for an experiment: the two primary outcomes of the Wageningen evaluation
    (exit to work, and net exit to work), the rest secondary, every contrast the evaluation would make."""
    return AnalysisPlan(experiment=manifest.experiment.code, count_date=manifest.experiment.count_date,
                        primary=("exit_to_work", "net_exit_to_work"),
                        secondary=tuple(o for o in BINARY_OUTCOMES if o not in ("exit_to_work", "net_exit_to_work")),
                        contrasts=contrasts)


def _text(data: dict, key: str, where: str) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise PlanError(f"{where}, {key}: een tekst, gevonden {value!r}")
    return value.strip()


def _texts(data: dict, key: str, where: str) -> tuple[str, ...]:
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PlanError(f"{where}, {key}: een lijst van teksten")
    return tuple(value)


def _date(data: dict, key: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(data[key])
    except (TypeError, ValueError):
        raise PlanError(f"{where}, {key}: een datum als JJJJ-MM-DD, gevonden {data[key]!r}") from None


def _codes(data: dict, key: str, where: str, allowed, required: bool = False, default=()) -> tuple[str, ...]:
    if key not in data and not required:
        return tuple(default)
    value = tuple(_texts(data, key, where))
    if unknown := [v for v in value if v not in allowed]:
        raise PlanError(f"{where}, {key}: onbekend {', '.join(unknown)}; kies uit {', '.join(allowed)}")
    if required and not value:
        raise PlanError(f"{where}, {key}: noem ten minste één uitkomst")
    return value


def _choice(data: dict, key: str, where: str, allowed, default: str) -> str:
    value = data.get(key, default)
    if value not in allowed:
        raise PlanError(f"{where}, {key}: {value!r} is geen keuze; kies uit {', '.join(allowed)}")
    return value


def _number(data: dict, key: str, where: str, default, low, high, whole: bool = False) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or (whole and not isinstance(value, int)):
        raise PlanError(f"{where}, {key}: een {'geheel ' if whole else ''}getal, gevonden {value!r}")
    if not low < value <= high and not (whole and value == low):
        raise PlanError(f"{where}, {key}: {value} ligt niet tussen {low} en {high}")
    return value
