"""Reading the audit trail."""

from django.db.models import Q

from vertrouwen.web.audit.models import AuditEvent

# Events that record a look or a session, not a change of the experiment's data.
READING_ACTIONS = ("person.bsn_read", "api.person_read", "report.downloaded", "dataset.research_exported",
                   "dataset.exported", "database.backed_up")
SESSION_PREFIXES = ("user.", "login.", "api_token.", "audit.")


def last_data_change_id() -> int:
    """The id of the newest event that changed data: it moves with every change, not with a login or a read."""
    readings = Q(action__in=READING_ACTIONS)
    for prefix in SESSION_PREFIXES:
        readings |= Q(action__startswith=prefix)
    return AuditEvent.objects.exclude(readings).order_by("-id").values_list("id", flat=True).first() or 0
