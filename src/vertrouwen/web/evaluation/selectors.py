"""The evaluation of an experiment in the register: the register as a dataset in memory (person numbers, never a
BSN) through core.evaluation, the same implementation as `vertrouwen evaluate`, computed in the background
(services.request_evaluation) and kept for reuse.

A computed evaluation is stored under a key of what it was computed from: the experiment, the data version and
the evaluation's settings (core.evaluation.settings: the date, the permutations, the seed, the lottery's strata,
the analysis plan).
The data version changes with every change to the data, so a stored result is never out of date, and a page view
once it is computed costs a few queries.
"""

import hashlib
import json
from dataclasses import dataclass, fields
from datetime import date, datetime

import vertrouwen
from vertrouwen.core.evaluation import Estimate, Evaluation, EvaluationSettings, storage
from vertrouwen.core.evaluation.settings import evaluation_date as core_evaluation_date
from vertrouwen.core.evaluation.settings import with_plan
from vertrouwen.core.lottery.strata import STRATUM_VARIABLES
from vertrouwen.web.audit.selectors import last_data_change_id
from vertrouwen.web.evaluation.models import StoredEvaluation
from vertrouwen.web.lottery.models import Draw
from vertrouwen.web.lottery.selectors import registered_plan
from vertrouwen.web.registry.models import Experiment

# A stored result is read back only by the code that wrote it: another version or another shape of the result
# gives another key.
FORMAT = ":".join([vertrouwen.__version__, *(f.name for f in fields(Evaluation)), *(f.name for f in fields(Estimate))])


@dataclass(frozen=True)
class Computed:
    settings: EvaluationSettings
    key: str  # what it is computed from, hashed (StoredEvaluation.key)
    job: StoredEvaluation | None  # None when nobody asked for it yet
    evaluation: Evaluation | None  # None until the job is done

    @property
    def computed_at(self) -> datetime | None:
        return self.job.finished_at if self.evaluation is not None else None

    @property
    def seconds(self) -> float:
        return self.job.seconds if self.job else 0.0


def evaluation_date(experiment: Experiment, today: date) -> date:
    """The count date, or today while the experiment is still running (an interim evaluation)."""
    return core_evaluation_date(experiment.count_date, today)


def evaluation_settings(experiment: Experiment, on: date) -> EvaluationSettings:
    """The settings of the experiment's evaluation at `on`: the shared defaults, the lottery's strata and the
    registered analysis plan."""
    return with_plan(EvaluationSettings(as_of=on, strata=lottery_strata(experiment)), registered_plan(experiment))


def data_version() -> str:
    """Changes whenever the data change: every change is written to the audit trail (logins and readings are
    not changes)."""
    return str(last_data_change_id())


def lottery_strata(experiment: Experiment) -> tuple[str, ...]:
    """The person attributes the experiment's draws were stratified by, in the order they were first used."""
    found: list[str] = []
    for strata in Draw.objects.filter(experiment=experiment).order_by("sequence").values_list("strata", flat=True):
        found += [name for name in strata or () if name in STRATUM_VARIABLES and name not in found]
    return tuple(found)


def evaluation_of(experiment: Experiment, on: date) -> Computed:
    """The evaluation at `on` (at most the count date) of the data as they are now, if it has been computed, with
    the job that computes it."""
    settings = evaluation_settings(experiment, on)
    key = evaluation_key(experiment.pk, data_version(), settings)
    job = StoredEvaluation.objects.filter(key=key).first()
    result = loaded(job) if job is not None and job.status == StoredEvaluation.Status.DONE else None
    return Computed(settings, key, job, result)


def evaluation_key(experiment_id: int, version: str, settings: EvaluationSettings) -> str:
    made_from = [FORMAT, experiment_id, version, settings.identity()]
    return hashlib.sha256(json.dumps(made_from).encode()).hexdigest()


def loaded(stored: StoredEvaluation) -> Evaluation | None:
    """The stored evaluation, or None when the row holds anything but this version's data-only form (after an
    upgrade, or planted): then it is computed again."""
    try:
        return storage.loads(stored.result or "")
    except storage.StoredResultRefused:
        return None
