"""Reports made in the background and kept for download: a cache of files, not data about persons beyond what the
report itself says. Making a report takes seconds (the evaluation, the charts, the PDF layout): the download asks
for it as a job (web/jobs.py), the reports page shows its progress, and the file is kept until the data change."""

from django.db import models

from vertrouwen.web.jobs import Job


class StoredReport(Job):
    # A plain number, as for a stored evaluation: a cached file never stands in the way of deleting an experiment.
    experiment_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=16)  # core.reports.KINDS
    fmt = models.CharField(max_length=4)  # html or pdf
    key = models.CharField(max_length=64, unique=True)  # what the file is made from, hashed
    data_version = models.CharField(max_length=64, db_index=True)
    as_of = models.DateField()
    filename = models.CharField(max_length=200, blank=True)
    data_hash = models.CharField(max_length=64, blank=True)  # the SHA-256 of the dataset the report names
    content = models.BinaryField(null=True)
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.kind}.{self.fmt} van experiment {self.experiment_id} op {self.as_of}"
