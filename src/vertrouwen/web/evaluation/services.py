"""Computing an experiment's evaluation in the background: one job per data version and settings, asked for by the
page, carried out by the worker (tasks.py), reused until the data change. Not an audited change: a stored result
changes no data (and an audit event would change the data version it is stored under)."""

import logging
import time
from datetime import date

from vertrouwen.core.evaluation import Evaluation, evaluate_with, storage
from vertrouwen.web import jobs
from vertrouwen.web.datasets.exporting import experiment_dataset
from vertrouwen.web.evaluation.models import StoredEvaluation
from vertrouwen.web.evaluation.selectors import (
    data_version,
    evaluation_key,
    evaluation_of,
    evaluation_settings,
    loaded,
)
from vertrouwen.web.registry.models import Experiment

logger = logging.getLogger(__name__)


PER_USER = 2  # evaluations one user may have waiting or running at once: each takes seconds of the worker


class QueueFull(Exception):
    """The user has PER_USER evaluations waiting already; nothing was queued."""


def request_evaluation(experiment: Experiment, on: date, *, again: bool = False,
                       user_id: int | None = None) -> StoredEvaluation:
    """The job that computes the evaluation at `on` of the data as they are now: the one already asked for, or a
    new one in the worker's queue; `again` queues a failed one again. A user with PER_USER evaluations waiting gets
    QueueFull instead of another (the system, `user_id` None, is not bounded)."""
    from vertrouwen.web.evaluation.tasks import compute

    if user_id is not None and not evaluation_of(experiment, on).job and StoredEvaluation.objects.filter(
            requested_by_id=user_id, status__in=(StoredEvaluation.Status.QUEUED,
                                                 StoredEvaluation.Status.RUNNING)).count() >= PER_USER:
        raise QueueFull
    job, new = _job(experiment, on, user_id)
    unreadable = job.status == StoredEvaluation.Status.DONE and loaded(job) is None  # after an upgrade
    if new or (again and jobs.queue_again(job)) or (unreadable and jobs.queue_again(job, (job.Status.DONE,))):
        compute.enqueue(job.pk)  # the job's row is written: _job committed it, or commits it with the task's
        job.refresh_from_db()
    return job


def evaluation_now(experiment: Experiment, on: date) -> Evaluation:
    """The evaluation at `on`, computed here if it is not stored yet: for work that runs in the background itself
    (a report)."""
    job, _ = _job(experiment, on)
    if job.status != StoredEvaluation.Status.DONE:
        compute_evaluation(job.pk)
    result = evaluation_of(experiment, on).evaluation
    if result is None:
        raise RuntimeError("de evaluatie kon niet worden berekend")
    return result


def compute_evaluation(job_id: int) -> None:
    """Carry out an evaluation job; a failure is kept on the job, with the details in the log."""
    job = StoredEvaluation.objects.get(pk=job_id)
    experiment = Experiment.objects.get(pk=job.experiment_id)
    settings = evaluation_settings(experiment, job.evaluated_on)

    def work(progress: jobs.Progress) -> dict:
        started = time.perf_counter()
        result = evaluate_with(experiment_dataset(experiment), settings, progress)
        return {"result": storage.dumps(result), "seconds": time.perf_counter() - started}

    def failed(exc: Exception) -> None:
        logger.error("evaluation of experiment %s at %s failed", experiment.pk, job.evaluated_on, exc_info=exc)

    jobs.carry_out(StoredEvaluation, job_id, work, on_failure=failed)


def _job(experiment: Experiment, on: date, user_id: int | None = None) -> tuple[StoredEvaluation, bool]:
    """The job for the present data version and settings, and whether it is new."""
    version = data_version()
    key = evaluation_key(experiment.pk, version, evaluation_settings(experiment, on))
    return jobs.keyed(StoredEvaluation, key, version, {"experiment_id": experiment.pk, "evaluated_on": on,
                                                       "requested_by_id": user_id})


