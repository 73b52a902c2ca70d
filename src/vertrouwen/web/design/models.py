"""A simulation-based design diagnosis, run in the background, with its progress and its result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vertrouwen.web.registry.models import Experiment


class DesignDiagnosis(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="diagnoses")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    n_per_arm = models.PositiveIntegerField(_("persons per group"))
    replications = models.PositiveIntegerField(_("simulated experiments"))
    seed = models.BigIntegerField(_("seed"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("done"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)  # core.power.Diagnosis.as_dict()
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("design diagnosis")
        verbose_name_plural = _("design diagnoses")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.experiment} simulatie {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.replications) if self.replications else 0
