"""Evaluations computed in the background and kept for reuse: a cache, not data about persons.

Computing an evaluation takes seconds (models, survival curves and ten thousand permutations), too long for a page
view: the page queues it as a job (web/jobs.py), shows its progress, and shows the result once it is there. A row
here is shared by every server process and survives a restart, which a cache in each process's memory would not.
"""

from django.db import models

from vertrouwen.web.jobs import Job


class StoredEvaluation(Job):
    # A plain number, not a foreign key: a cached result must never stand in the way of deleting an experiment
    # (the admin refuses deletions that reach anything but configuration). Rows of an older data version are
    # removed whenever a new one is requested, so a deleted experiment's rows go with them.
    experiment_id = models.PositiveBigIntegerField()
    requested_by_id = models.PositiveBigIntegerField(null=True, blank=True)  # the user who asked; none: the system
    key = models.CharField(max_length=64, unique=True)  # what the result is computed from, hashed
    data_version = models.CharField(max_length=64, db_index=True)
    evaluated_on = models.DateField()
    seconds = models.FloatField(default=0)
    # The core.evaluation.Evaluation as data-only JSON (core.evaluation.storage): nothing stored here can run code.
    result = models.TextField(blank=True, default="")

    def __str__(self) -> str:
        return f"evaluatie van experiment {self.experiment_id} op {self.evaluated_on}"
