"""The audit trail in the admin: a list to read, never to change."""

import json

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.audit.services import values_of


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "result", "origin")
    list_filter = ("action", "object_type", "result")
    search_fields = ("actor_label", "action", "object_type", "object_id")
    date_hierarchy = "at"
    fields = ("at", "actor_label", "action", "object_type", "object_id", "result", "origin", "details",
              "old_and_new_values", "previous_hash", "row_hash")
    readonly_fields = fields
    list_per_page = 50

    @admin.display(description=_("old and new values"))
    def old_and_new_values(self, event: AuditEvent) -> str:
        values = values_of(event)
        if values is None:
            return _("Erased: this person's data were removed at the end of the retention term.")
        return json.dumps(values, ensure_ascii=False, indent=1) if values else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
