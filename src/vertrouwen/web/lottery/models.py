"""Draws and allocations: written once, never changed or deleted.

A draw stores what is needed to redo it: the seed, the algorithm and its version, the ordered input (person
numbers with their stratum values) and the hashes of input and result. Draws of an experiment form a hash
chain: each draw's chain hash covers the previous one, so a changed or removed draw breaks every later link.
Database triggers (migration 0002) refuse UPDATE and DELETE on draws and allocations, also from the
application's own connection.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vertrouwen.core import codes
from vertrouwen.web.registry.models import Arm, Experiment, Person, choices

HASH_LENGTH = 64  # SHA-256 in hex


class Draw(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="draws")
    sequence = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=16, choices=choices(codes.DRAW_KINDS))
    cohort_month = models.DateField(_("cohort month"), null=True, blank=True)
    drawn_on = models.DateField(_("allocated on"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    actor_label = models.CharField(_("by"), max_length=150)
    seed = models.BigIntegerField(_("seed"), null=True, blank=True)  # none for an imported allocation
    method = models.CharField(_("method"), max_length=24, blank=True)
    strata = models.JSONField(_("strata"), default=list, blank=True)
    arms = models.JSONField(_("arms"), default=list)  # arm codes in the order the algorithm used
    ratio = models.JSONField(_("ratio"), default=list)
    algorithm_version = models.CharField(_("algorithm version"), max_length=16, blank=True)
    units = models.JSONField(_("input"), default=list)  # [[person number, stratum value, ...], ...] in order
    size = models.PositiveIntegerField(_("persons"))
    input_hash = models.CharField(_("input hash"), max_length=HASH_LENGTH)
    result_hash = models.CharField(_("result hash"), max_length=HASH_LENGTH)
    previous_hash = models.CharField(_("previous chain hash"), max_length=HASH_LENGTH)
    chain_hash = models.CharField(_("chain hash"), max_length=HASH_LENGTH, unique=True)
    # The analysis plan in force when the draw was made; none for an older draw or one without a plan. The chain
    # hash covers it only when it is there, so draws recorded before plans existed keep their hashes. Nullable
    # without a default: SQLite then adds the column in place and the table keeps its triggers.
    plan_hash = models.CharField(_("analysis plan hash"), max_length=HASH_LENGTH, null=True,  # noqa: DJ001
                                 blank=True)

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        ordering = ["experiment", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "sequence"], name="draw_sequence_per_experiment"),
            models.UniqueConstraint(fields=["experiment", "cohort_month"], condition=models.Q(kind="cohort"),
                                    name="one_draw_per_cohort_month"),
        ]

    def __str__(self) -> str:
        return f"{self.experiment} loting {self.sequence}"


class PlanVersion(models.Model):
    """One version of an experiment's analysis plan (core.evaluation.plan): the first is registered before the
    lottery, each later one amends it before the count date with a reason. The text is the plan's canonical JSON
    and `plan_hash` its SHA-256; the versions form a hash chain of their own, and a draw records the hash of the
    version in force. Written once: the triggers of migration 0005 refuse UPDATE and DELETE."""

    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="plan_versions")
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("plan"))
    plan_hash = models.CharField(_("plan hash"), max_length=HASH_LENGTH)
    reason = models.TextField(_("reason for the amendment"), blank=True)
    registered_on = models.DateField(_("registered on"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+")
    actor_label = models.CharField(_("by"), max_length=150)
    draws_before = models.PositiveIntegerField(_("draws before it"))  # 0: registered before the lottery
    previous_hash = models.CharField(_("previous chain hash"), max_length=HASH_LENGTH)
    chain_hash = models.CharField(_("chain hash"), max_length=HASH_LENGTH, unique=True)

    class Meta:
        verbose_name = _("analysis plan version")
        verbose_name_plural = _("analysis plan versions")
        ordering = ["experiment", "version"]
        constraints = [models.UniqueConstraint(fields=["experiment", "version"], name="plan_version_per_experiment")]

    def __str__(self) -> str:
        return f"{self.experiment} analyseplan versie {self.version}"


class Allocation(models.Model):
    """The arm one person was drawn into. One per person and experiment, for good."""

    draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="allocations")
    experiment = models.ForeignKey(Experiment, on_delete=models.PROTECT, related_name="allocations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="allocations")
    arm = models.ForeignKey(Arm, on_delete=models.PROTECT, related_name="allocations")
    position = models.PositiveIntegerField(_("position in the draw"))
    allocated_on = models.DateField(_("allocated on"))

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["experiment", "person"], name="one_allocation_per_person"),
            models.UniqueConstraint(fields=["draw", "position"], name="one_person_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.arm}"


class Invitation(models.Model):
    """An invitation to take part, and the person's answer. Consent comes before the lottery when the
    experiment's order is consent first (Oss); otherwise the person signs the allocated arm's rules."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    invited_on = models.DateField(_("invited on"))
    consented_on = models.DateField(_("consented on"), null=True, blank=True)
    declined_on = models.DateField(_("declined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["experiment", "person"], name="one_invitation_per_person"),
            models.CheckConstraint(condition=~models.Q(consented_on__isnull=False, declined_on__isnull=False),
                                   name="consented_or_declined"),
        ]

    def __str__(self) -> str:
        return f"{self.person} uitgenodigd {self.invited_on}"
