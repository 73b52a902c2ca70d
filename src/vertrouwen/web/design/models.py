"""A simulation-based design diagnosis, run in the background, with its progress and its result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vertrouwen.web.jobs import Job
from vertrouwen.web.registry.models import Experiment


class DesignDiagnosis(Job):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="diagnoses")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    n_per_arm = models.PositiveIntegerField(_("persons per group"))
    replications = models.PositiveIntegerField(_("simulated experiments"))
    seed = models.BigIntegerField(_("seed"))
    result = models.JSONField(_("result"), null=True, blank=True)  # core.power.Diagnosis.as_dict()

    class Meta:
        verbose_name = _("design diagnosis")
        verbose_name_plural = _("design diagnoses")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.experiment} simulatie {self.requested_at:%Y-%m-%d %H:%M}"
