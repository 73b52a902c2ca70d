"""The rule tables as data (earnings disregards and benefit norms, each version kept) and the monthly
settlements: one current settlement per person and month, a correction a new version with its reason.

Amounts are integer cents, percentages basis points (2500 = 25%).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vertrouwen.core import codes
from vertrouwen.core.rules import Regime
from vertrouwen.web.jobs import Job
from vertrouwen.web.registry.models import Municipality, Person, choices

REGIME_CHOICES = [(regime.value, regime.label) for regime in Regime if regime != Regime.NONE]


class DisregardRule(models.Model):
    regime = models.CharField(_("regime"), max_length=16, choices=REGIME_CHOICES)
    valid_from = models.DateField(_("valid from"), help_text=_("Valid until the next rule of the same regime."))
    percent_bp = models.PositiveIntegerField(_("percentage (basis points)"),
                                             help_text=_("Hundredths of a percent: 2500 is 25%, 1250 is 12.5%."))
    max_cents = models.PositiveIntegerField(_("maximum a month (cents)"))
    max_months = models.PositiveSmallIntegerField(_("at most months"), null=True, blank=True,
                                                  help_text=_("Empty: as long as the regime lasts."))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    confirmed = models.BooleanField(_("confirmed against the ministry's publication"), default=False)
    valid_until = models.DateField(_("lapses on"), null=True, blank=True,
                                   help_text=_("Empty: valid until the next rule of the same regime."))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("earnings disregard rule")
        verbose_name_plural = _("earnings disregard rules")
        ordering = ["regime", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "valid_from"], name="disregard_rule_once_per_date"),
            models.CheckConstraint(condition=Q(percent_bp__lte=10_000), name="disregard_at_most_everything"),
        ]

    def __str__(self) -> str:
        return f"{self.get_regime_display()} vanaf {self.valid_from:%d-%m-%Y}"


class BenefitNorm(models.Model):
    household_type = models.CharField(_("household type"), max_length=24, choices=choices(codes.HOUSEHOLD_TYPES))
    valid_from = models.DateField(_("valid from"), help_text=_("Valid until the next norm of the same household."))
    cents = models.PositiveIntegerField(_("norm a month (cents)"),
                                        help_text=_("From 21 years to the state pension age, holiday allowance "
                                                    "included."))
    holiday_cents = models.PositiveIntegerField(_("of which holiday allowance (cents)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    confirmed = models.BooleanField(_("confirmed against the ministry's publication"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("benefit norm")
        verbose_name_plural = _("benefit norms")
        ordering = ["household_type", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["household_type", "valid_from"], name="norm_once_per_date")]

    def __str__(self) -> str:
        return f"{self.get_household_type_display()} vanaf {self.valid_from:%d-%m-%Y}"


class RuleVersion(models.Model):
    """Every saved version of a rule or norm, as it was: the history behind the tables."""

    table = models.CharField(_("table"), max_length=32)
    row_id = models.PositiveBigIntegerField(_("row"))
    version = models.PositiveIntegerField(_("version"))
    values = models.JSONField(_("values"))
    saved_at = models.DateTimeField(_("saved at"), auto_now_add=True)
    saved_by = models.CharField(_("by"), max_length=150)

    class Meta:
        verbose_name = _("rule version")
        verbose_name_plural = _("rule versions")
        constraints = [models.UniqueConstraint(fields=["table", "row_id", "version"], name="rule_version_once")]

    def __str__(self) -> str:
        return f"{self.table} {self.row_id} v{self.version}"


class SettlementRun(Job):
    """A monthly run for a whole municipality, with its progress (done and total: persons)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="settlement_runs")
    month = models.DateField(_("month"))
    created = models.PositiveIntegerField(_("new settlements"), default=0)
    corrected = models.PositiveIntegerField(_("new versions"), default=0)
    requested_by = models.CharField(_("by"), max_length=150)

    class Meta:
        verbose_name = _("monthly run")
        verbose_name_plural = _("monthly runs")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.municipality} {self.month:%Y-%m}"


class Settlement(models.Model):
    """One person's month: exactly one current version; a correction adds a version with its reason. The inputs
    and the rule applied are kept, so core.rules.settle explains it again, line by line."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="settlements")
    month = models.DateField(_("month"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    regime = models.CharField(_("regime"), max_length=16)
    earnings_cents = models.BigIntegerField(_("earnings (cents)"))
    norm_cents = models.BigIntegerField(_("norm (cents)"))
    disregarded_cents = models.BigIntegerField(_("disregarded (cents)"))
    deducted_cents = models.BigIntegerField(_("deducted (cents)"))
    benefit_cents = models.BigIntegerField(_("benefit paid (cents)"))
    months_used = models.PositiveSmallIntegerField(_("months of the disregard used"))
    bonus_cents = models.BigIntegerField(_("job bonus (cents)"), default=0)
    # The rule as it was applied, so that the settlement explains itself whatever the tables say later.
    rule_percent_bp = models.PositiveIntegerField(_("percentage applied (basis points)"))
    rule_max_cents = models.PositiveIntegerField(_("maximum applied (cents)"))
    rule_max_months = models.PositiveSmallIntegerField(_("months allowed"), null=True, blank=True)
    rule_min_age = models.PositiveSmallIntegerField(_("minimum age applied"), null=True, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    household_type = models.CharField(_("household type"), max_length=24)
    no_entitlement = models.BooleanField(_("no right to benefit this month"), default=False)
    amounts_missing_since = models.DateField(_("settled with older amounts: missing since"), null=True, blank=True)
    reason = models.CharField(_("reason for this version"), max_length=300, blank=True)
    run = models.ForeignKey(SettlementRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sub_n_granted = models.BooleanField(_("standard disregard granted"), default=True,
                                        help_text=_("The college's decision on art. 31 lid 2 sub n in this month."))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.CharField(_("by"), max_length=150)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], condition=Q(is_current=True),
                                    name="one_current_settlement_per_month"),
            models.UniqueConstraint(fields=["person", "month", "version"], name="settlement_version_once"),
        ]
        indexes = [models.Index(fields=["month", "is_current"], name="settlement_month")]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m} v{self.version}"


class SubNDecision(models.Model):
    """The college's decision on the standard disregard (art. 31 lid 2 sub n Pw) for one person: granted or not,
    from a date, with its reason. In a month the newest decision made that holds from before the month's end decides
    (rules.sub_n_granted); without one, the municipality's default (Municipality.grants_sub_n). Decisions are never
    changed, only followed by newer ones."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sub_n_decisions")
    granted = models.BooleanField(_("granted"))
    valid_from = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=500)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.CharField(_("by"), max_length=150)

    class Meta:
        verbose_name = _("decision on the standard disregard")
        verbose_name_plural = _("decisions on the standard disregard")
        ordering = ["person", "id"]

    def __str__(self) -> str:
        return f"{'toegekend' if self.granted else 'niet toegekend'} vanaf {self.valid_from:%d-%m-%Y}"
