"""The calculator's form: household, regime, earnings (a month, or hours and hourly wage), age."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vertrouwen.core import codes
from vertrouwen.core.dataset.schema import DATE_RANGE
from vertrouwen.core.formatting import euro
from vertrouwen.core.rules import MAX_EARNINGS_CENTS
from vertrouwen.web.lottery.forms import MonthInput
from vertrouwen.web.nlds_forms import NldsFormMixin
from vertrouwen.web.registry.models import choices

WEEKS_A_MONTH = Decimal(52) / Decimal(12)
MAX_EARNINGS = Decimal(MAX_EARNINGS_CENTS) / 100
TOO_MUCH = format_lazy(_("More than {maximum} a month: check the amount."), maximum=euro(MAX_EARNINGS_CENTS))


class CalculatorForm(NldsFormMixin, forms.Form):
    household_type = forms.ChoiceField(label=_("Your household"), choices=choices(codes.HOUSEHOLD_TYPES),
                                       widget=forms.RadioSelect, initial="alleenstaande")
    regime = forms.ChoiceField(label=_("Which rules apply to you?"), widget=forms.RadioSelect, initial="standard")
    earnings = forms.DecimalField(label=_("Net earnings a month (euro), as on your payslip"), required=False,
                                  min_value=Decimal(0),
                                  max_value=MAX_EARNINGS, max_digits=8, decimal_places=2, localize=True,
                                  help_text=_("Or fill in hours and hourly wage below."),
                                  error_messages={"min_value": _("Earnings cannot be negative."),
                                                  "max_value": TOO_MUCH})
    hours_per_week = forms.DecimalField(label=_("Hours a week"), required=False, min_value=Decimal(0),
                                        max_value=Decimal(60), max_digits=4, decimal_places=1, localize=True)
    hourly_wage = forms.DecimalField(label=_("Net hourly wage (euro)"), required=False, min_value=Decimal(0),
                                     max_value=Decimal(200), max_digits=6, decimal_places=2, localize=True)
    age = forms.IntegerField(label=_("Your age"), required=False, min_value=18, max_value=70,
                             help_text=_("The usual disregard applies from 27 years."))
    start = forms.DateField(label=_("From the month"), widget=MonthInput(), input_formats=["%Y-%m", "%Y-%m-%d"])

    def __init__(self, *args, regimes=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("start", timezone.localdate().replace(day=1))
        super().__init__(*args, **kwargs)
        self.fields["regime"].choices = list(regimes)

    def clean(self):
        data = super().clean()
        earnings, hours, wage = data.get("earnings"), data.get("hours_per_week"), data.get("hourly_wage")
        if earnings is None and (hours is None or wage is None) and not self.errors:
            self.add_error("earnings", _("Fill in your earnings a month, or your hours a week and hourly wage."))
        elif earnings is None and hours is not None and wage is not None:
            data["earnings"] = (hours * wage * WEEKS_A_MONTH).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if data["earnings"] > MAX_EARNINGS:
                self.add_error("hourly_wage", TOO_MUCH)
        if data.get("start"):
            data["start"] = data["start"].replace(day=1)
            earliest, latest = DATE_RANGE
            if not earliest <= data["start"] <= latest.replace(year=latest.year - 1):  # a year of months follows
                self.add_error("start", _("Choose a month between %(first)s and %(last)s.")
                               % {"first": earliest.year, "last": latest.year - 1})
        return data

    def earnings_cents(self) -> int:
        return int(self.cleaned_data["earnings"] * 100)


class RunForm(NldsFormMixin, forms.Form):
    month = forms.DateField(label=_("Month"), widget=MonthInput(), input_formats=["%Y-%m", "%Y-%m-%d"],
                            help_text=_("Every person on benefit in this month is settled from the declared "
                                        "earnings."))
