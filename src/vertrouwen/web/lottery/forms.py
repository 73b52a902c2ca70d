"""The onderzoeker's forms: a draw, an invitation, the person's answer, one person's allocation."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vertrouwen.core.lottery.randomization import METHOD_LABELS, Method
from vertrouwen.core.lottery.strata import STRATUM_VARIABLES
from vertrouwen.web.nlds_forms import DateInput, NldsFormMixin

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
