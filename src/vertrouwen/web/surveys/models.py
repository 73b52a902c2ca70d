"""Questionnaire waves of an experiment and the personal invitations to them. The answers themselves are the
register's SurveyResponse rows (person, wave, instrument, item, value, mode), as in the dataset format, each
belonging to the experiment of its wave."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vertrouwen.core import codes
from vertrouwen.web.registry.models import Experiment, Person, choices

TOKEN_LENGTH = 43  # secrets.token_urlsafe(32): 256 random bits


class Wave(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="waves")
    number = models.PositiveSmallIntegerField(_("wave"), help_text=_("0 for the baseline."))
    name = models.CharField(_("name"), max_length=100)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    instruments = models.JSONField(_("instruments"), default=list, help_text=_("Instrument codes, in order."))
    versions = models.JSONField(_("instrument versions"), default=dict)

    class Meta:
        verbose_name = _("questionnaire wave")
        verbose_name_plural = _("questionnaire waves")
        ordering = ["experiment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "number"], name="wave_number_per_experiment"),
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="wave_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.experiment}: {self.name}"

    def is_open(self, today) -> bool:
        return self.opens_on <= today <= self.closes_on


class Invitation(models.Model):
    """One person's personal link to one wave: no account, an unguessable token, valid while the wave is open."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="survey_invitations")
    token = models.CharField(max_length=TOKEN_LENGTH, unique=True, editable=False)
    invited_on = models.DateField(_("invited on"))
    reminders = models.PositiveSmallIntegerField(_("reminders"), default=0)
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    page = models.PositiveSmallIntegerField(_("next page"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=16, choices=choices(codes.SURVEY_MODES), default="online")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["wave", "person"], name="one_invitation_per_wave")]

    def __str__(self) -> str:
        return f"{self.person} {self.wave}"


class StaffAnswer(models.Model):
    """A case manager's answer to the process evaluation's questionnaire in a wave: about their work, not a person."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="staff_answers")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    instrument = models.CharField(_("instrument"), max_length=64)
    item = models.CharField(_("item"), max_length=64)
    value = models.CharField(_("answer"), max_length=16)
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("case manager's answer")
        verbose_name_plural = _("case managers' answers")
        constraints = [models.UniqueConstraint(fields=["wave", "respondent", "instrument", "item"],
                                               name="staff_answer_once")]

    def __str__(self) -> str:
        return f"{self.respondent} {self.wave} {self.item}"
