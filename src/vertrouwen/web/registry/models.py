"""Register models. Field names follow the dataset format (docs/dataset-format.md); money in integer cents."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from vertrouwen.core import codes
from vertrouwen.core.dataset.manifest import (
    ARM_NAME_MAX_LENGTH,
    JOB_BONUS_CONDITION_MAX_LENGTH,
    MAX_ALLOCATION_RATIO,
    MAX_HOURS_A_WEEK,
    MAX_TARGET_CONTACTS,
    MUNICIPALITY_CODE_MAX_LENGTH,
    MUNICIPALITY_CODE_PATTERN,
    NAME_MAX_LENGTH,
)
from vertrouwen.core.dataset.schema import ID_MAX_LENGTH, ID_PATTERN
from vertrouwen.core.rules import TOLERANCE_YEAR, JobBonus

# A code that the dataset format accepts as an id (schema.ID_PATTERN), so that every export is a valid dataset.
dataset_id = RegexValidator(ID_PATTERN, _("Use only letters, digits, '.', '_' and '-', without spaces."))


# A municipality's code becomes part of folder and file names: letters, digits, '-' and '_' only.
municipality_code = RegexValidator(MUNICIPALITY_CODE_PATTERN, _("Use only letters, digits, '-' and '_'."))


def choices(code_list) -> list[tuple[str, str]]:
    return list(code_list.items())


class Municipality(models.Model):
    code = models.CharField(_("CBS municipality code"), max_length=MUNICIPALITY_CODE_MAX_LENGTH, unique=True,
                            validators=[municipality_code])
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    grants_sub_n = models.BooleanField(
        _("grant the standard disregard without a decision"), default=True,
        help_text=_("Art. 31 lid 2 sub n Pw applies where the college judges it helps towards work. Checked: "
                    "everyone eligible gets it unless a decision for the person says otherwise; unchecked: only "
                    "with a decision granting it."))
    young_disregard_from = models.DateField(
        _("disregard under 27 already from"), null=True, blank=True,
        validators=[MinValueValidator(TOLERANCE_YEAR[0]), MaxValueValidator(TOLERANCE_YEAR[1])],
        help_text=_("Participatiewet in balans: from 1 January 2027 the disregard also holds under 27; in the "
                    "tolerance year 2026 a municipality may apply it earlier. Empty: from 1 January 2027."))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


# The longest retention term the admin accepts: ten years after the end.
MAX_RETENTION_MONTHS = 120


class Experiment(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="experiments")
    code = models.CharField(_("code"), max_length=ID_MAX_LENGTH, validators=[dataset_id])
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    period_start = models.DateField(_("start"))
    period_end = models.DateField(_("end"))
    count_date = models.DateField(_("count date"), help_text=_("The date at which the outcomes are counted."))
    # Who may be drawn: age at the draw, and on benefit at the draw.
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=66)
    requires_benefit = models.BooleanField(_("on benefit"), default=True,
                                           help_text=_("Only persons on benefit at the draw can be drawn."))
    lottery_order = models.CharField(_("order of lottery and consent"), max_length=16,
                                     choices=choices(codes.LOTTERY_ORDERS), default="lottery_first")
    template = models.CharField(_("template"), max_length=ID_MAX_LENGTH, blank=True,
                                help_text=_("The design this experiment was set up from."))
    # The power calculation before the lottery (core.power): how many take part, and what the control arm is
    # expected to reach without any effect.
    planned_participants = models.PositiveIntegerField(_("expected participants"), default=400)
    planned_baseline = models.DecimalField(
        _("expected exit to work in the control arm"), max_digits=4, decimal_places=3, default=Decimal("0.107"),
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("0.999"))],
        help_text=_("Share with a first exit to work by the count date without any effect; Wageningen's "
                    "reference group: 0.107."))
    planned_alpha = models.DecimalField(_("significance level"), max_digits=4, decimal_places=3,
                                        default=Decimal("0.050"),
                                        validators=[MinValueValidator(Decimal("0.001")),
                                                    MaxValueValidator(Decimal("0.200"))])
    planned_power = models.DecimalField(_("desired power"), max_digits=4, decimal_places=3, default=Decimal("0.800"),
                                        validators=[MinValueValidator(Decimal("0.500")),
                                                    MaxValueValidator(Decimal("0.990"))])
    # Retention (web/retention.py, docs/verwerkingsregister.md): how long after the end the personal data are
    # kept, and when `vertrouwen purge` erased them. Empty means the installation's term
    # (VERTROUWEN_RETENTION_MONTHS), so that a nullable column is added in place: on SQLite a column with a
    # default would rebuild the table and lose the lottery's triggers on it.
    retention_months = models.PositiveSmallIntegerField(
        _("retention term (months)"), null=True, blank=True, validators=[MaxValueValidator(MAX_RETENTION_MONTHS)],
        help_text=_("Months after the end of the experiment that its personal data are kept; empty for the "
                    "installation's term. After that they may be erased; a pseudonymized research dataset and the "
                    "lottery's evidence stay."))
    purged_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="experiment_code_per_municipality"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="experiment_period_ordered",
                                   violation_error_message=_("The end of the period may not lie before its start.")),
            models.CheckConstraint(
                condition=models.Q(count_date__gte=models.F("period_start"), count_date__lte=models.F("period_end")),
                name="count_date_within_period",
                violation_error_message=_("The count date must lie within the period of the experiment.")),
            models.CheckConstraint(condition=models.Q(max_age__gte=models.F("min_age")), name="age_limits_ordered",
                                   violation_error_message=_("The maximum age may not lie below the minimum age.")),
        ]

    def __str__(self) -> str:
        return self.name


class Arm(models.Model):
    """A group of the experiment with its rules (spelregels) and parameters."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="arms")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=ID_MAX_LENGTH, validators=[dataset_id])
    name = models.CharField(_("name"), max_length=ARM_NAME_MAX_LENGTH)
    rules_text = models.TextField(_("arm rules"))
    is_control = models.BooleanField(_("control group"), default=False)
    exempt_from_obligations = models.BooleanField(_("exempt from obligations"), default=False)
    guidance_intensity = models.CharField(_("guidance"), max_length=20,
                                          choices=choices(codes.GUIDANCE_INTENSITIES), default="regulier")
    disregard_regime = models.CharField(_("earnings disregard"), max_length=20,
                                        choices=choices(codes.DISREGARD_REGIMES), default="standaard")
    job_bonus_cents = models.PositiveIntegerField(_("job bonus (cents)"), default=0)
    job_bonus_condition = models.CharField(_("job bonus condition"), max_length=JOB_BONUS_CONDITION_MAX_LENGTH,
                                           blank=True)
    job_bonus_min_hours_a_week = models.PositiveSmallIntegerField(
        _("job bonus: hours a week at least"), default=0, validators=[MaxValueValidator(MAX_HOURS_A_WEEK)],
        help_text=_("The bonus is paid once for each end of benefit for work with at least these hours a week in "
                    "the month of exit; 0 for any hours."))
    job_bonus_max_per_year_cents = models.PositiveIntegerField(
        _("job bonus maximum a year (cents)"), default=0,
        help_text=_("The most one person receives in job bonuses in a calendar year."))
    target_contacts_per_month = models.PositiveSmallIntegerField(
        _("target contacts a month"), default=0, validators=[MaxValueValidator(MAX_TARGET_CONTACTS)],
        help_text=_("Guidance target: contacts a month with the case manager; 0 for no target."))
    allocation_ratio = models.PositiveSmallIntegerField(
        _("allocation ratio"), default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ALLOCATION_RATIO)],
        help_text=_("The arm's share in the lottery: with ratios 2, 1 and 1 half of the persons drawn go to the "
                    "first arm."))

    class Meta:
        verbose_name = _("arm")
        verbose_name_plural = _("arms")
        ordering = ["experiment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "code"], name="arm_code_per_experiment"),
            models.CheckConstraint(condition=models.Q(allocation_ratio__gte=1), name="allocation_ratio_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def job_bonus(self) -> JobBonus:
        return JobBonus.of(self)


class Person(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="persons")
    external_id = models.CharField(_("person number"), max_length=ID_MAX_LENGTH)
    # The BSN only encrypted, plus a keyed HMAC to find the person again; never shown, logged or exported.
    bsn_encrypted = models.TextField(blank=True, editable=False)
    bsn_pseudonym = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=choices(codes.SEX))
    household_type = models.CharField(_("household type"), max_length=24, choices=choices(codes.HOUSEHOLD_TYPES))
    refugee_status_holder = models.BooleanField(_("refugee status holder"), default=False)
    limitation = models.CharField(_("limitation"), max_length=16, choices=choices(codes.LIMITATIONS))
    education = models.CharField(_("education"), max_length=16, choices=choices(codes.EDUCATION_LEVELS))
    # Set when the retention purge erased this person's data: what is left is a pseudonymous skeleton that the
    # lottery's evidence refers to (web/retention.py).
    erased_on = models.DateField(_("personal data erased on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "external_id"], name="person_id_per_municipality"),
            models.UniqueConstraint(fields=["municipality", "bsn_pseudonym"], condition=~models.Q(bsn_pseudonym=""),
                                    name="bsn_once_per_municipality"),
        ]

    def __str__(self) -> str:
        return self.external_id


class BenefitSpell(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="benefit_spells")
    spell_start = models.DateField(_("benefit start"))
    spell_end = models.DateField(_("benefit end"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=16, choices=choices(codes.END_REASONS),
                                  blank=True)

    class Meta:
        verbose_name = _("benefit spell")
        verbose_name_plural = _("benefit spells")
        constraints = [models.UniqueConstraint(fields=["person", "spell_start"], name="spell_start_per_person")]

    def __str__(self) -> str:
        return f"{self.person} {self.spell_start}–{self.spell_end or ''}"


class Enrollment(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="enrollments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrollments")
    arm = models.ForeignKey(Arm, on_delete=models.PROTECT, related_name="enrollments")
    allocated_on = models.DateField(_("allocated on"))
    consented_on = models.DateField(_("rules signed on"), null=True, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stop_reason = models.CharField(_("stop reason"), max_length=24, choices=choices(codes.STOP_REASONS),
                                   blank=True)

    # The lottery's randomization unit (docs/dataset-format.md): the evaluation re-deals exactly these blocks.
    draw = models.CharField(_("draw"), max_length=ID_MAX_LENGTH, blank=True)
    method = models.CharField(_("lottery method"), max_length=20, choices=choices(codes.LOTTERY_METHODS), blank=True)
    block = models.PositiveIntegerField(_("block"), null=True, blank=True)
    block_size = models.PositiveSmallIntegerField(_("block size"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [models.UniqueConstraint(fields=["experiment", "person"], name="one_enrollment_per_person")]

    def __str__(self) -> str:
        return f"{self.person} in {self.arm}"


class ReferenceMember(models.Model):
    """A person on benefit who did not take part: followed through administrative data only."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="reference_members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reference_memberships")

    class Meta:
        verbose_name = _("reference group member")
        verbose_name_plural = _("reference group")
        constraints = [models.UniqueConstraint(fields=["experiment", "person"], name="one_reference_membership")]

    def __str__(self) -> str:
        return f"{self.person} (referentiegroep)"


class Goal(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="goals")
    recorded_on = models.DateField(_("recorded on"))
    occasion = models.CharField(_("occasion"), max_length=16, choices=choices(codes.OCCASIONS))
    goal = models.CharField(_("goal"), max_length=20, choices=choices(codes.GOALS))

    class Meta:
        verbose_name = _("personal goal")
        verbose_name_plural = _("personal goals")
        constraints = [models.UniqueConstraint(fields=["person", "recorded_on", "occasion", "goal"],
                                               name="goal_once_per_occasion")]

    def __str__(self) -> str:
        return f"{self.person} {self.goal} ({self.recorded_on})"


class Assessment(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assessments")
    recorded_on = models.DateField(_("recorded on"))
    occasion = models.CharField(_("occasion"), max_length=16, choices=choices(codes.OCCASIONS))
    good_prospects = models.BooleanField(_("good prospects of exit"))
    ladder_rung = models.PositiveSmallIntegerField(_("participation ladder rung"))

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["person", "recorded_on", "occasion"], name="assessment_per_occasion"),
            models.CheckConstraint(condition=models.Q(ladder_rung__gte=1, ladder_rung__lte=6),
                                   name="ladder_rung_1_to_6"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.occasion} ({self.recorded_on})"


class MonthlyEarnings(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="earnings")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    earnings_cents = models.BigIntegerField(_("earnings (cents)"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("monthly earnings")
        verbose_name_plural = _("monthly earnings")
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="earnings_once_per_month"),
            models.CheckConstraint(condition=models.Q(earnings_cents__gte=0), name="earnings_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m}"


class Contact(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    contact_on = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=16, choices=choices(codes.CHANNELS))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    initiated_by = models.CharField(_("initiated by"), max_length=16, choices=choices(codes.INITIATORS))

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [models.UniqueConstraint(fields=["person", "contact_on", "channel", "initiated_by"],
                                               name="contact_once_per_day_channel")]

    def __str__(self) -> str:
        return f"{self.person} {self.channel} ({self.contact_on})"


class SurveyResponse(models.Model):
    # An answer belongs to the experiment whose questionnaire it answers: a person may take part in several
    # experiments of a municipality, one after the other, each with its own baseline.
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="survey_responses")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="survey_responses")
    wave = models.PositiveSmallIntegerField(_("wave"))
    instrument = models.CharField(_("instrument"), max_length=ID_MAX_LENGTH)
    item = models.CharField(_("item"), max_length=ID_MAX_LENGTH)
    value = models.TextField(_("answer"), blank=True)
    mode = models.CharField(_("mode"), max_length=16, choices=choices(codes.SURVEY_MODES))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["experiment", "person", "wave", "instrument", "item"],
                                               name="answer_once_per_item_in_experiment")]

    def __str__(self) -> str:
        return f"{self.person} {self.instrument}.{self.item} meting {self.wave}"
