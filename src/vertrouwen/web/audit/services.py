"""Writing audit events. Call record() inside the transaction of the change it describes."""

from django.db import transaction

from vertrouwen.web.audit.models import AuditEvent


def record(*, actor, action: str, object_type: str, object_id: str = "", details: dict | None = None) -> AuditEvent:
    """Record a change; `actor` is a user or a label such as 'systeem:import'."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are written inside the transaction of the change they describe")
    user = actor if hasattr(actor, "pk") else None
    label = actor.get_username() if user else str(actor)
    return AuditEvent.objects.create(actor=user, actor_label=label, action=action, object_type=object_type,
                                     object_id=str(object_id), details=details or {})
