"""The evaluation of an experiment in the register: the register as a dataset in memory (person numbers, never a
BSN) through core.evaluation, the same implementation as `vertrouwen evaluate`, kept for reuse.

A computed evaluation is stored under a key of what it was computed from: the experiment, the data version and
the evaluation's settings (core.evaluation.settings: the date, the permutations, the seed, the lottery's strata).
The data version changes with every change to the data, so a stored result is never out of date, and a page view
after the first costs a few queries.
"""

import hashlib
import json
import logging
import pickle
import time
from dataclasses import dataclass, fields
from datetime import date, datetime

from django.db import IntegrityError, transaction

import vertrouwen
from vertrouwen.core.evaluation import Estimate, Evaluation, EvaluationSettings, evaluate_with
from vertrouwen.core.evaluation.settings import evaluation_date as core_evaluation_date
from vertrouwen.core.lottery.strata import STRATUM_VARIABLES
from vertrouwen.web.audit.selectors import last_data_change_id
from vertrouwen.web.evaluation.models import StoredEvaluation
from vertrouwen.web.lottery.models import Draw
from vertrouwen.web.registry.models import Experiment
from vertrouwen.web.registry.services.exporting import experiment_dataset

logger = logging.getLogger(__name__)

# A stored result is read back only by the code that wrote it: another version or another shape of the result
# gives another key.
FORMAT = ":".join([vertrouwen.__version__, *(f.name for f in fields(Evaluation)), *(f.name for f in fields(Estimate))])


@dataclass(frozen=True)
class Computed:
    settings: EvaluationSettings
    evaluation: Evaluation | None  # None when it could not be computed
    computed_at: datetime | None
    seconds: float


def evaluation_date(experiment: Experiment, today: date) -> date:
    """The count date, or today while the experiment is still running (an interim evaluation)."""
    return core_evaluation_date(experiment.count_date, today)


def evaluation_settings(experiment: Experiment, on: date) -> EvaluationSettings:
    """The settings of the experiment's evaluation at `on`: the shared defaults and the lottery's strata."""
    return EvaluationSettings(as_of=on, strata=lottery_strata(experiment))


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
    """The evaluation at `on` (at most the count date): stored, or computed now and stored."""
    version, settings = data_version(), evaluation_settings(experiment, on)
    key = _key(experiment.pk, version, settings)
    stored = StoredEvaluation.objects.filter(key=key).first()
    if stored is not None and (result := _loaded(stored)) is not None:
        return Computed(settings, result, stored.computed_at, stored.seconds)
    started = time.perf_counter()
    try:
        result = evaluate_with(experiment_dataset(experiment), settings)
    except Exception:  # a failing estimator must not take the page down; the log has the details
        logger.exception("evaluation of experiment %s at %s failed", experiment.pk, on)
        return Computed(settings, None, None, time.perf_counter() - started)
    seconds = time.perf_counter() - started
    return Computed(settings, result, _store(experiment.pk, key, version, on, result, seconds), seconds)


def _key(experiment_id: int, version: str, settings: EvaluationSettings) -> str:
    made_from = [FORMAT, experiment_id, version, settings.arguments()]
    return hashlib.sha256(json.dumps(made_from).encode()).hexdigest()


def _loaded(stored: StoredEvaluation) -> Evaluation | None:
    try:
        result = pickle.loads(bytes(stored.result))  # noqa: S301 - written by _store, never from outside
    except Exception:  # unreadable after an upgrade: compute it again
        return None
    return result if isinstance(result, Evaluation) else None


def _store(experiment_id: int, key: str, version: str, on: date, result: Evaluation, seconds: float) -> datetime:
    """Keep the result, and drop every result of an older data version. Not an audited change: it changes no data
    (and an audit event would change the data version it is stored under)."""
    try:
        with transaction.atomic():
            StoredEvaluation.objects.exclude(data_version=version).delete()
            row, _ = StoredEvaluation.objects.update_or_create(
                key=key, defaults={"experiment_id": experiment_id, "data_version": version, "evaluated_on": on,
                                   "seconds": seconds, "result": pickle.dumps(result)})
    except IntegrityError:  # another process stored the same result at the same moment
        return StoredEvaluation.objects.get(key=key).computed_at
    return row.computed_at
