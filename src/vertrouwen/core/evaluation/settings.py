"""What an evaluation is computed with, as one value built in one place: `vertrouwen evaluate`, the researcher's
page and the reports compute with it, so one experiment's data give one set of estimates and p-values everywhere.

The date an evaluation stands at is the count date, or earlier while the data do not reach it: for the register the
day it is read (today), for a dataset folder the day after the last thing that happened in it.
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass

from vertrouwen.core.dataset import Dataset
from vertrouwen.core.evaluation.plan import PLAN_FILE, AnalysisPlan
from vertrouwen.core.formatting import dutch_number
from vertrouwen.core.lottery.strata import STRATUM_VARIABLES

PERMUTATIONS = 10_000  # randomization inference: the p-value's own Monte-Carlo error is at most 0.005
SEED = 2017
ALPHA = 0.05  # the verdicts' significance level; the family of single arms against control shares it (Holm)


@dataclass(frozen=True)
class EvaluationSettings:
    as_of: dt.date  # the evaluation as it stood at this date (never after the count date)
    permutations: int = PERMUTATIONS
    seed: int = SEED
    strata: tuple[str, ...] = ()  # person attributes the lottery stratified by, besides the draw
    plan: AnalysisPlan | None = None  # the analysis plan the evaluation follows

    def __post_init__(self) -> None:
        if self.permutations < 0:
            raise ValueError("permutations: 0 of meer")
        unknown = [name for name in self.strata if name not in STRATUM_VARIABLES]
        if unknown:
            raise ValueError(f"strata: onbekend kenmerk {', '.join(unknown)}; kies uit {', '.join(STRATUM_VARIABLES)}")

    def described(self) -> str:
        """In Dutch, for a page or a report's verification."""
        strata = f"; strata van de loting: {', '.join(self.strata)}" if self.strata else ""
        plan = f"; analyseplan SHA-256 {self.plan.hash}" if self.plan else "; zonder analyseplan"
        return f"{dutch_number(self.permutations)} herlotingen, seed {self.seed}{strata}{plan}"

    def arguments(self) -> list[str]:
        """The `vertrouwen evaluate` options that compute with these settings."""
        strata = ["--strata", ",".join(self.strata)] if self.strata else []
        plan = ["--plan", PLAN_FILE] if self.plan else []
        return ["--date", self.as_of.isoformat(), "--permutations", str(self.permutations), "--seed", str(self.seed),
                *strata, *plan]

    def identity(self) -> list[str]:
        """What the results depend on: the arguments and the plan's own hash (its file name says nothing)."""
        return [*self.arguments(), self.plan.hash if self.plan else ""]


def data_date(dataset: Dataset) -> dt.date | None:
    """The last day anything in the data happened."""
    t = dataset.tables
    days = [t["benefit_spells"]["spell_start"].max(), t["benefit_spells"]["spell_end"].max(),
            t["enrollments"]["allocated_on"].max(), t["enrollments"]["consented_on"].max(),
            t["contacts"]["contact_on"].max(), t["goals"]["recorded_on"].max()]
    return max((d for d in days if d is not None), default=None)


def evaluation_date(count_date: dt.date, data_reach: dt.date | None) -> dt.date:
    """The count date, or `data_reach` (today, or the day after a dataset's last event) when that is earlier."""
    return count_date if data_reach is None else min(count_date, data_reach)


def settings_for_dataset(dataset: Dataset, *, as_of: dt.date | None = None, plan: AnalysisPlan | None = None,
                         **chosen) -> EvaluationSettings:
    """The settings for a dataset folder: at `as_of` (at most the count date), or as far as its data reach; with a
    plan, its number of re-draws unless another was chosen."""
    count_date = dataset.manifest.experiment.count_date
    last = data_date(dataset)
    reach = as_of if as_of is not None else (last + dt.timedelta(days=1) if last is not None else None)
    return with_plan(EvaluationSettings(as_of=evaluation_date(count_date, reach), **chosen), plan,
                     permutations_chosen="permutations" in chosen)


def with_plan(settings: EvaluationSettings, plan: AnalysisPlan | None, *,
              permutations_chosen: bool = False) -> EvaluationSettings:
    """The settings following `plan`: the plan names the number of re-draws, unless another was chosen."""
    if plan is None:
        return settings
    permutations = settings.permutations if permutations_chosen else plan.permutations
    return dataclasses.replace(settings, plan=plan, permutations=permutations)
