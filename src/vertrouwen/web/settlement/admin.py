"""The rule tables in the admin (/beheer/), for the beheerder: every save is a new version, kept in full; nothing
is deleted, so every settlement's rule stays traceable."""

from django.contrib import admin

from vertrouwen.web.settlement import services
from vertrouwen.web.settlement.models import BenefitNorm, DisregardRule, RuleVersion


class VersionedRuleAdmin(admin.ModelAdmin):
    readonly_fields = ("version",)
    list_filter = ("confirmed",)

    def save_model(self, request, obj, form, change):
        services.save_rule(obj, actor=request.user, changed=form.changed_data)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DisregardRule)
class DisregardRuleAdmin(VersionedRuleAdmin):
    list_display = ("regime", "valid_from", "percent_bp", "max_cents", "max_months", "min_age", "confirmed",
                    "version")


@admin.register(BenefitNorm)
class BenefitNormAdmin(VersionedRuleAdmin):
    list_display = ("household_type", "valid_from", "cents", "confirmed", "version")


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
