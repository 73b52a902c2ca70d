"""The rule tables in the admin (/beheer/), for the beheerder: amounts typed in euros and percentages as people
write them (EUR 202,00; 12,5%), stored in cents and basis points; every save is a new version, kept in full;
nothing is deleted, so every settlement's rule stays traceable."""


from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vertrouwen.core.formatting import basis_points, euro
from vertrouwen.core.rules.rulebook import PARTICIPATIEWET_START
from vertrouwen.web.nlds_forms import EuroField, PercentageField
from vertrouwen.web.settlement import services
from vertrouwen.web.settlement.models import BenefitNorm, DisregardRule, RuleVersion


class DisregardRuleForm(forms.ModelForm):
    percent_bp = PercentageField(label=_("percentage of the earnings"), help_text=_("For example 25 or 12,5."))
    max_cents = EuroField(label=_("maximum a month (euro)"), help_text=_("For example 202,00."))

    class Meta:
        model = DisregardRule
        fields = ("regime", "valid_from", "valid_until", "percent_bp", "max_cents", "max_months", "min_age",
                  "source", "confirmed")

    def clean(self):
        data = super().clean()
        start, until = data.get("valid_from"), data.get("valid_until")
        if start and start < PARTICIPATIEWET_START:
            self.add_error("valid_from", _("The rule tables start on 1 January 2015 (the Participatiewet)."))
        if start and until and until <= start:
            self.add_error("valid_until", _("A rule lapses after the day it starts."))
        return data


class BenefitNormForm(forms.ModelForm):
    cents = EuroField(label=_("norm a month (euro)"), help_text=_("Holiday allowance included, for example 1.308,45."))
    holiday_cents = EuroField(label=_("of which holiday allowance (euro)"), required=False)

    class Meta:
        model = BenefitNorm
        fields = ("household_type", "valid_from", "cents", "holiday_cents", "source", "confirmed")

    def clean(self):
        data = super().clean()
        if data.get("valid_from") and data["valid_from"] < PARTICIPATIEWET_START:
            self.add_error("valid_from", _("The rule tables start on 1 January 2015 (the Participatiewet)."))
        if data.get("cents") is not None and data.get("holiday_cents") is not None \
                and data["holiday_cents"] >= data["cents"]:
            self.add_error("holiday_cents", _("The holiday allowance is a part of the norm."))
        return data


class VersionedRuleAdmin(admin.ModelAdmin):
    readonly_fields = ("version",)
    list_filter = ("confirmed",)

    def save_model(self, request, obj, form, change):
        services.save_rule(obj, actor=request.user, changed=form.changed_data)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DisregardRule)
class DisregardRuleAdmin(VersionedRuleAdmin):
    form = DisregardRuleForm
    list_display = ("regime", "valid_from", "percentage", "maximum", "max_months", "min_age", "valid_until",
                    "confirmed", "version")

    @admin.display(description=_("percentage"))
    def percentage(self, rule: DisregardRule) -> str:
        return f"{basis_points(rule.percent_bp)}%"

    @admin.display(description=_("maximum a month"))
    def maximum(self, rule: DisregardRule) -> str:
        return euro(rule.max_cents)


@admin.register(BenefitNorm)
class BenefitNormAdmin(VersionedRuleAdmin):
    form = BenefitNormForm
    list_display = ("household_type", "valid_from", "norm", "confirmed", "version")

    @admin.display(description=_("norm a month"))
    def norm(self, norm: BenefitNorm) -> str:
        return euro(norm.cents)


@admin.register(RuleVersion)
class RuleVersionAdmin(admin.ModelAdmin):
    list_display = ("table", "row_id", "version", "saved_at", "saved_by")
    list_filter = ("table",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
