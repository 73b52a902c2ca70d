"""Reading the audit trail."""

from vertrouwen.web.audit.actions import ACTIONS
from vertrouwen.web.audit.models import AuditEvent

# Events that record a look or a session, not a change of the experiment's data.
NOT_CHANGES = tuple(code for code, action in ACTIONS.items() if not action.changes_data)


def last_data_change_id() -> int:
    """The id of the newest event that changed data: it moves with every change, not with a login or a read."""
    return AuditEvent.objects.exclude(action__in=NOT_CHANGES).order_by("-id").values_list("id", flat=True).first() or 0
