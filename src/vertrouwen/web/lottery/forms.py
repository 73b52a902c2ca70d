"""The onderzoeker's forms: the analysis plan, a draw, an invitation, the person's answer, one person's
allocation."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vertrouwen.core.evaluation.frame import BINARY_OUTCOMES, COVARIATES, OUTCOME_LABELS
from vertrouwen.core.evaluation.plan import CORRECTIONS, ESTIMATORS, MODIFIERS, AnalysisPlan
from vertrouwen.core.lottery.randomization import METHOD_LABELS, Method
from vertrouwen.core.lottery.strata import ATTRIBUTE_LABELS, STRATUM_VARIABLES
from vertrouwen.web.nlds_forms import DateInput, NldsFormMixin, PercentageField

SOURCES = (
    ("eligible", _("Everyone who can be drawn now (the imported caseload)")),
    ("cohort", _("The new inflow of one month (monthly cohort)")),
    ("list", _("A list of person numbers")),
)
DEFAULT_STRATA = ("household_type", "benefit_duration_band")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


def person_numbers(text: str) -> list[str]:
    """Person numbers as pasted: one per line, or separated by commas, semicolons or spaces; order kept."""
    return [n for n in re.split(r"[\s,;]+", text) if n]


class DrawForm(NldsFormMixin, forms.Form):
    drawn_on = forms.DateField(label=_("Date of the draw"), widget=DateInput(),
                               help_text=_("The allocation date; eligibility (age, benefit) is checked on this day."))
    source = forms.ChoiceField(label=_("Who is drawn"), choices=SOURCES, widget=forms.RadioSelect, initial="eligible")
    cohort_month = forms.DateField(label=_("Cohort month"), required=False, widget=MonthInput(),
                                   input_formats=["%Y-%m", "%Y-%m-%d"],
                                   help_text=_("Persons whose benefit started in this month."))
    numbers = forms.CharField(label=_("Person numbers"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("One per line, in the order of the list. Never a citizen service number."))
    method = forms.ChoiceField(label=_("Method"), choices=[(m.value, label) for m, label in METHOD_LABELS.items()],
                               initial=Method.STRATIFIED_BLOCK.value)
    strata = forms.MultipleChoiceField(label=_("Strata (only with stratified block randomization)"), required=False,
                                       choices=list(STRATUM_VARIABLES.items()), initial=list(DEFAULT_STRATA),
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("drawn_on", timezone.localdate())
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source == "cohort" and not data.get("cohort_month"):
            self.add_error("cohort_month", _("Choose the month of the cohort."))
        if source == "list" and not person_numbers(data.get("numbers", "")):
            self.add_error("numbers", _("Give at least one person number."))
        if data.get("method") != Method.STRATIFIED_BLOCK.value:
            data["strata"] = []
        elif not data.get("strata"):
            self.add_error("strata", _("Choose at least one stratum, or another method."))
        if data.get("cohort_month"):
            data["cohort_month"] = data["cohort_month"].replace(day=1)
        return data


class PersonForm(NldsFormMixin, forms.Form):
    person_number = forms.CharField(label=_("Person number"), max_length=64,
                                    help_text=_("The municipality's person number, never the citizen service number."))
    on = forms.DateField(label=_("Date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


class AnswerForm(PersonForm):
    answer = forms.ChoiceField(label=_("Answer"), widget=forms.RadioSelect, initial="yes", choices=(
        ("yes", _("Takes part (signed)")), ("no", _("Declines"))))


BASIS_POINTS = 10_000  # a PercentageField keeps hundredths of a percent
OUTCOMES = [(code, OUTCOME_LABELS[code].capitalize()) for code in BINARY_OUTCOMES]
PERMUTATIONS_MAX = 1_000_000


class PlanForm(NldsFormMixin, forms.Form):
    """The analysis plan of one experiment (core.evaluation.plan), with the count date the experiment has. The
    contrasts offered are those the evaluation would make; the first plan proposed is the default one."""

    primary = forms.MultipleChoiceField(label=_("Primary outcomes"), choices=OUTCOMES,
                                        widget=forms.CheckboxSelectMultiple,
                                        help_text=_("The outcomes whose verdict is decisive."))
    secondary = forms.MultipleChoiceField(label=_("Secondary outcomes"), choices=OUTCOMES, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    contrasts = forms.MultipleChoiceField(label=_("Comparisons"), widget=forms.CheckboxSelectMultiple)
    estimator = forms.ChoiceField(label=_("Estimator"), choices=list(ESTIMATORS.items()), widget=forms.RadioSelect)
    covariates = forms.MultipleChoiceField(label=_("Background characteristics in the model"), required=False,
                                           choices=[(c, ATTRIBUTE_LABELS[c]) for c in COVARIATES],
                                           widget=forms.CheckboxSelectMultiple)
    correction = forms.ChoiceField(label=_("Correction for several groups"), choices=list(CORRECTIONS.items()),
                                   widget=forms.RadioSelect,
                                   help_text=_("Over the groups against the control group, per outcome."))
    alpha = PercentageField(label=_("Significance level (%)"), help_text=_("For example 5."))
    permutations = forms.IntegerField(label=_("Re-draws for randomization inference"), min_value=0,
                                      max_value=PERMUTATIONS_MAX)
    subgroups = forms.MultipleChoiceField(label=_("Subgroups (effect modifiers)"), required=False,
                                          choices=[(m, ATTRIBUTE_LABELS[m]) for m in MODIFIERS],
                                          widget=forms.CheckboxSelectMultiple)
    registered_on = forms.DateField(label=_("Registered on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason for the amendment"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required when the plan is amended; shown with the version."))

    def __init__(self, *args, contrasts: list[tuple[str, str]], plan: AnalysisPlan, **kwargs):
        kwargs.setdefault("initial", {}).update(
            primary=list(plan.primary), secondary=list(plan.secondary), contrasts=list(plan.contrasts),
            estimator=plan.estimator, covariates=list(plan.covariates), correction=plan.correction,
            alpha=round(plan.alpha * BASIS_POINTS), permutations=plan.permutations,
            subgroups=list(plan.subgroups), registered_on=timezone.localdate())
        super().__init__(*args, **kwargs)
        offered = dict(contrasts)
        offered.update({c: c for c in plan.contrasts if c not in offered})  # an earlier version's own choice
        self.fields["contrasts"].choices = list(offered.items())
        self.experiment, self.count_date = plan.experiment, plan.count_date

    def clean(self):
        data = super().clean()
        overlap = set(data.get("primary", ())) & set(data.get("secondary", ()))
        if overlap:
            self.add_error("secondary", _("An outcome is primary or secondary, not both: %(outcomes)s.")
                           % {"outcomes": ", ".join(OUTCOME_LABELS[o] for o in sorted(overlap))})
        alpha = data.get("alpha")
        if alpha is not None and not 0 < alpha <= BASIS_POINTS // 2:
            self.add_error("alpha", _("Choose a level above 0% and at most 50%."))
        return data

    def plan(self) -> AnalysisPlan:
        data = self.cleaned_data
        return AnalysisPlan(experiment=self.experiment, count_date=self.count_date, primary=tuple(data["primary"]),
                            secondary=tuple(data["secondary"]), contrasts=tuple(data["contrasts"]),
                            estimator=data["estimator"], covariates=tuple(data["covariates"]),
                            correction=data["correction"], alpha=data["alpha"] / BASIS_POINTS,
                            permutations=data["permutations"], subgroups=tuple(data["subgroups"]))
