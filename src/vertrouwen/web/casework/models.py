"""The case manager's records about a person: who is their case manager, the intake and half-yearly reviews,
the plan of action, sanctions and participant stories.

Goals, assessments (ladder rung, good prospects), contacts and earnings are register records (registry.models):
they belong to the dataset format, and a conversation writes them with its own date and occasion. Every write
goes through casework.services, which records it in the audit trail.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vertrouwen.core import codes
from vertrouwen.web.registry.models import Person, choices

TEXT_MAX_LENGTH = 4000  # a summary, a note or a story: a few paragraphs, not a file


class Assignment(models.Model):
    """A person on a case manager's caseload from one day until another; at most one open assignment a person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    case_manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments",
                                     verbose_name=_("case manager"))
    assigned_on = models.DateField(_("assigned on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("caseload assignment")
        verbose_name_plural = _("caseload assignments")
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(ended_on__isnull=True),
                                    name="one_open_assignment_per_person"),
        ]
        indexes = [models.Index(fields=["case_manager", "ended_on"], name="caseload_lookup")]

    def __str__(self) -> str:
        return f"{self.person} bij {self.case_manager} vanaf {self.assigned_on}"


class Conversation(models.Model):
    """The intake (startgesprek) or a half-yearly review. The goals and the assessment set at it are the
    register's Goal and Assessment rows of the same person, date and occasion."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conversations")
    kind = models.CharField(_("conversation"), max_length=16, choices=choices(codes.CONVERSATION_KINDS))
    held_on = models.DateField(_("date"))
    summary = models.TextField(_("summary"), max_length=TEXT_MAX_LENGTH)
    goals_in_own_words = models.TextField(_("goal in the participant's own words"), max_length=TEXT_MAX_LENGTH,
                                          blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["held_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "held_on"], name="one_conversation_a_day"),
            models.UniqueConstraint(fields=["person"], condition=Q(kind="startgesprek"), name="one_intake"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.kind} ({self.held_on})"


class Action(models.Model):
    """A SMART action of the plan of action: what, who, by when, and how far it is."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("what"), max_length=300)
    owner = models.CharField(_("who"), max_length=16, choices=choices(codes.ACTION_OWNERS))
    due_on = models.DateField(_("by when"))
    goal = models.CharField(_("for the goal"), max_length=20, choices=choices(codes.GOALS), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=choices(codes.ACTION_STATUSES), default="open")
    created_on = models.DateField(_("agreed on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description


class ContactNote(models.Model):
    """The case manager's short note with a register contact; kept apart, so free text is never exported."""

    contact = models.OneToOneField("registry.Contact", on_delete=models.CASCADE, related_name="note")
    text = models.CharField(_("note"), max_length=500)

    def __str__(self) -> str:
        return self.text


class Sanction(models.Model):
    """A measure (maatregel, art. 18 Pw) for breaking a work or re-integration obligation. Never for a person
    whose group is exempt from those obligations."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sanctions")
    started_on = models.DateField(_("start"))
    obligation = models.CharField(_("obligation not met"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")

    def __str__(self) -> str:
        return f"{self.person} maatregel ({self.started_on})"


class Story(models.Model):
    """A participant's story, told for the reports, with their explicit consent (naast tellen ook vertellen)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="stories")
    told_on = models.DateField(_("told on"))
    text = models.TextField(_("story"), max_length=TEXT_MAX_LENGTH)
    consent_on = models.DateField(_("consent given on"))
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant story")
        verbose_name_plural = _("participant stories")
        ordering = ["told_on", "id"]

    def __str__(self) -> str:
        return f"{self.person} verhaal ({self.told_on})"
