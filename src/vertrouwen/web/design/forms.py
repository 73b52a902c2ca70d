"""The set-up form: the experiment's fields and one sub-form per group (arm)."""


from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from vertrouwen.core import codes
from vertrouwen.core.dataset.manifest import (
    ARM_NAME_MAX_LENGTH,
    JOB_BONUS_CONDITION_MAX_LENGTH,
    MAX_ALLOCATION_RATIO,
    MAX_HOURS_A_WEEK,
    MAX_TARGET_CONTACTS,
)
from vertrouwen.core.dataset.schema import ID_MAX_LENGTH
from vertrouwen.web.nlds_forms import DateInput, NldsFormMixin
from vertrouwen.web.registry.forms import JobBonusFields
from vertrouwen.web.registry.models import Experiment, choices, dataset_id

EXPERIMENT_FIELDS = ("name", "code", "period_start", "period_end", "count_date", "min_age", "max_age",
                     "requires_benefit", "lottery_order", "planned_participants", "planned_baseline",
                     "planned_alpha", "planned_power")


class ExperimentForm(NldsFormMixin, forms.ModelForm):
    class Meta:
        model = Experiment
        fields = EXPERIMENT_FIELDS
        widgets = {"period_start": DateInput(), "period_end": DateInput(), "count_date": DateInput(),
                   "lottery_order": forms.RadioSelect()}

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.disabled_names: set[str] = set()  # fields shown but fixed, after the first draw

    def clean_code(self):
        code = self.cleaned_data["code"]
        others = Experiment.objects.filter(municipality=self.municipality, code=code).exclude(pk=self.instance.pk)
        if self.municipality is not None and others.exists():
            raise forms.ValidationError(_("Another experiment of this municipality already has this code."))
        return code


class ArmForm(NldsFormMixin, JobBonusFields):
    code = forms.CharField(label=_("Code"), max_length=ID_MAX_LENGTH, validators=[dataset_id],
                           help_text=_("Letters, digits, '.', '_' and '-'; used in data files."))
    name = forms.CharField(label=_("Name"), max_length=ARM_NAME_MAX_LENGTH)
    rules_text = forms.CharField(label=_("Arm rules"), widget=forms.Textarea(attrs={"rows": 6}),
                                 help_text=_("What the participant signs, in plain Dutch. Shown to participant "
                                             "and case manager."))
    is_control = forms.BooleanField(label=_("Control group"), required=False)
    exempt_from_obligations = forms.BooleanField(label=_("Exempt from work and re-integration obligations"),
                                                 required=False)
    # Initial values as the browser sends an untouched form, so that an empty extra group counts as unchanged.
    guidance_intensity = forms.ChoiceField(label=_("Guidance"), choices=choices(codes.GUIDANCE_INTENSITIES),
                                           initial="regulier")
    target_contacts_per_month = forms.IntegerField(
        label=_("Target contacts a month"), min_value=0, max_value=MAX_TARGET_CONTACTS, initial=0,
        help_text=_("0 for no target."))
    disregard_regime = forms.ChoiceField(label=_("Earnings disregard"), choices=choices(codes.DISREGARD_REGIMES),
                                         initial="standaard")
    job_bonus_condition = forms.CharField(label=_("Job bonus condition"), max_length=JOB_BONUS_CONDITION_MAX_LENGTH,
                                          required=False)
    job_bonus_min_hours_a_week = forms.IntegerField(
        label=_("Job bonus: hours a week at least"), min_value=0, max_value=MAX_HOURS_A_WEEK, initial=0,
        help_text=_("The bonus is paid once for each end of benefit for work with at least these hours a week in "
                    "the month of exit; 0 for any hours."))
    allocation_ratio = forms.IntegerField(
        label=_("Allocation ratio"), initial=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ALLOCATION_RATIO)],
        help_text=_("The group's share in the lottery, e.g. 2 for twice as many as a group with 1."))

    def clean_rules_text(self) -> str:
        """Line ends as the templates and the dataset format write them, whatever the browser sends."""
        return self.cleaned_data["rules_text"].replace("\r\n", "\n")

    def arm_values(self) -> dict:
        """The arm as the services take it."""
        return {k: v for k, v in self.cleaned_data.items() if k != "DELETE"}


ArmFormSet = forms.formset_factory(ArmForm, extra=1, can_delete=True, min_num=2, validate_min=True)


def arms_of(formset) -> list[dict]:
    """The groups the formset holds, in order: the ones given and the new ones filled in, unless marked for
    deletion."""
    kept = [form for i, form in enumerate(formset.forms)
            if (i < formset.initial_form_count() or form.has_changed()) and form.cleaned_data]
    return [form.arm_values() for form in kept if not form.cleaned_data.get("DELETE")]
