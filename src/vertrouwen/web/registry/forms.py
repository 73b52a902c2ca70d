"""Form fields of a group (arm) shared by the set-up form and the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vertrouwen.web.nlds_forms import EuroField


class JobBonusFields(forms.Form):
    """The group's job bonus and its maximum a year, in euros as people write them (2.400,00), kept in cents; an
    empty maximum is one bonus a year, and a maximum below one bonus is refused."""

    job_bonus_cents = EuroField(label=_("Job bonus (euro)"), required=False, initial=0,
                                help_text=_("For example 2.400,00; empty or 0 for none."))
    job_bonus_max_per_year_cents = EuroField(label=_("Job bonus maximum a year (euro)"), required=False,
                                             help_text=_("Empty: at most one bonus a year."))

    def clean(self) -> dict:
        cleaned = super().clean()
        bonus = cleaned["job_bonus_cents"] = cleaned.get("job_bonus_cents") or 0
        maximum = cleaned.get("job_bonus_max_per_year_cents")
        if maximum is None:
            cleaned["job_bonus_max_per_year_cents"] = bonus
        elif maximum < bonus:
            self.add_error("job_bonus_max_per_year_cents",
                           _("The maximum a year is less than one bonus: the bonus could never be paid."))
        return cleaned
