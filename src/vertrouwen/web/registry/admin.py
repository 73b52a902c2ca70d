"""Configuration in the admin (/beheer/): the municipality, its experiment and the experiment's groups.

Persons and everything about them are deliberately not in the admin: the least access that does the job.
A BSN is never shown anywhere. Nothing is deleted here that would take data about persons with it (nor is
such data listed on a delete page). Every change made here is written to the audit trail in the same
transaction.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.db import router, transaction
from django.utils.translation import gettext_lazy as _

from vertrouwen.web.audit.services import record
from vertrouwen.web.registry.forms import JobBonusFields
from vertrouwen.web.registry.mapping import ARM_PARAMETERS
from vertrouwen.web.registry.models import Arm, Experiment, Municipality
from vertrouwen.web.registry.terms import purgeable_from, retention_months

CONFIGURATION_MODELS = frozenset({Municipality, Experiment, Arm})


def _touches_person_data(objs) -> bool:
    """Whether deleting `objs` would delete, or is blocked by, anything but configuration (persons and their data)."""
    if not objs:
        return False
    collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model))
    collector.collect(objs)
    return bool(collector.protected) or any(model not in CONFIGURATION_MODELS for model in collector.model_objs)


def _record_change(request, obj, action: str, changed: list[str] | None = None) -> None:
    details = {"name": str(obj)}
    if changed:
        details["fields"] = sorted(changed)
    record(actor=request.user, action=action, object_type=obj._meta.model_name, object_id=obj.pk,
           details=details)


class AuditedAdmin(admin.ModelAdmin):
    """Records additions, changes and deletions (of the object and of its inlines) in the audit trail."""

    def save_related(self, request, form, formsets, change):
        # After save_model and the form's many-to-many fields, so the event covers both; the admin runs
        # save_model and save_related in one transaction.
        form.save_m2m()
        if not change:
            _record_change(request, form.instance, "configuration.added")
        elif form.changed_data:
            _record_change(request, form.instance, "configuration.changed", form.changed_data)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def get_deleted_objects(self, objs, request):
        """Refuse (on the delete page and in the "delete selected" action) any deletion that reaches
        persons or their data, without listing them."""
        if _touches_person_data(objs):
            return [], {}, {_("data about persons")}, []
        return super().get_deleted_objects(objs, request)

    @transaction.atomic
    def delete_model(self, request, obj):
        _record_change(request, obj, "configuration.deleted")
        super().delete_model(request, obj)

    @transaction.atomic  # the "delete selected" action does not run in a transaction of its own
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            _record_change(request, obj, "configuration.deleted")
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            _record_change(request, obj, "configuration.deleted")
            obj.delete()
        changed = {id(f.instance): f.changed_data for f in formset.forms if f.has_changed()}
        for obj in instances:
            added = obj.pk is None
            obj.save()
            if added:
                _record_change(request, obj, "configuration.added")
            else:
                _record_change(request, obj, "configuration.changed", changed.get(id(obj)))
        formset.save_m2m()


class ExperimentInline(admin.TabularInline):
    model = Experiment
    fields = ("code", "name", "period_start", "period_end", "count_date")
    extra = 0
    show_change_link = True
    can_delete = False  # on the experiment's own page, where deleting data about persons is refused


@admin.register(Municipality)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    inlines = [ExperimentInline]

    def get_readonly_fields(self, request, obj=None):
        drawn = obj is not None and obj.pk is not None and obj.experiments.filter(draws__isnull=False).exists()
        return ("code",) if drawn else ()


def has_draws(experiment) -> bool:
    """Whether the lottery has drawn for the experiment: then what the draws used stays as it was."""
    return experiment is not None and experiment.pk is not None and experiment.draws.exists()


class ArmForm(JobBonusFields, forms.ModelForm):
    class Meta:
        model = Arm
        fields = ("experiment", "position", "code", *ARM_PARAMETERS)


class ArmInline(admin.StackedInline):
    model = Arm
    form = ArmForm
    extra = 0
    can_delete = False  # on the group's own page, where deleting data about persons is refused

    def get_readonly_fields(self, request, obj=None):
        return ("code", "is_control", "allocation_ratio") if has_draws(obj) else ()

    def has_add_permission(self, request, obj=None):
        return not has_draws(obj) and super().has_add_permission(request, obj)
    fields = (("position", "code", "name"), "rules_text", ("is_control", "exempt_from_obligations"),
              ("guidance_intensity", "target_contacts_per_month", "disregard_regime"),
              ("job_bonus_cents", "job_bonus_condition"),
              ("job_bonus_min_hours_a_week", "job_bonus_max_per_year_cents"), "allocation_ratio")


@admin.register(Experiment)
class ExperimentAdmin(AuditedAdmin):
    list_display = ("name", "code", "municipality", "period_start", "period_end", "count_date", "arm_count")
    list_filter = ("municipality",)
    search_fields = ("name", "code")
    fieldsets = (
        (None, {"fields": ("municipality", ("code", "name"))}),
        (_("Period"), {"fields": (("period_start", "period_end"), "count_date")}),
        (_("Retention"), {"fields": ("retention_months", "purgeable_from", "purged_at"),
                          "description": _("After the retention term the command vertrouwen purge erases the "
                                           "experiment's personal data. A pseudonymized research dataset, the "
                                           "lottery's evidence and the audit trail stay "
                                           "(docs/verwerkingsregister.md).")}),
    )
    inlines = [ArmInline]

    def get_readonly_fields(self, request, obj=None):
        retention = ("purgeable_from", "purged_at")
        return ("municipality", "code", *retention) if has_draws(obj) else retention

    @admin.display(description=_("may be erased from"))
    def purgeable_from(self, obj) -> str:
        if obj is None or obj.pk is None:
            return "-"
        return _("%(date)s (term: %(months)s months)") % {
            "date": f"{purgeable_from(obj):%d-%m-%Y}", "months": retention_months(obj)}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality").prefetch_related("arms")

    @admin.display(description=_("groups"))
    def arm_count(self, obj) -> int:
        return len(obj.arms.all())


@admin.register(Arm)
class ArmAdmin(AuditedAdmin):
    form = ArmForm
    list_display = ("name", "code", "experiment", "position", "is_control", "exempt_from_obligations",
                    "guidance_intensity", "disregard_regime")
    list_filter = ("experiment", "is_control", "guidance_intensity", "disregard_regime")
    search_fields = ("name", "code")
    ordering = ("experiment", "position")

    def get_readonly_fields(self, request, obj=None):
        """After the first draw, what the lottery used stays as it was."""
        return ("experiment", "code", "is_control", "allocation_ratio") if obj and has_draws(obj.experiment) else ()
