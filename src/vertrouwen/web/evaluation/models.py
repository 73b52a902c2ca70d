"""Computed evaluations kept for reuse: a cache, not data about persons.

Computing an evaluation takes seconds (models, survival curves and thousands of permutations), too long to repeat
for every page view. A row here is shared by every server process and survives a restart, which a cache in each
process's memory would not.
"""

from django.db import models


class StoredEvaluation(models.Model):
    # A plain number, not a foreign key: a cached result must never stand in the way of deleting an experiment
    # (the admin refuses deletions that reach anything but configuration). Rows of an older data version are
    # removed whenever a new one is stored, so a deleted experiment's rows go with them.
    experiment_id = models.PositiveBigIntegerField()
    key = models.CharField(max_length=64, unique=True)  # what the result was computed from, hashed
    data_version = models.CharField(max_length=64, db_index=True)
    evaluated_on = models.DateField()
    computed_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField()
    result = models.BinaryField()  # the pickled core.evaluation.Evaluation, written only by this application

    def __str__(self) -> str:
        return f"evaluatie van experiment {self.experiment_id} op {self.evaluated_on}"
