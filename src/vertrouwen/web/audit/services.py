"""Writing audit events. Call record() inside the transaction of the change it describes.

Events form one hash chain in the order of their ids: each row's hash covers its content and the previous row's
hash, and each row's keyed hash (HMAC with the installation's audit key) covers its hash. Writers take the chain's
lock first (PostgreSQL: a transaction-scoped advisory lock; SQLite's writers are serialised by its IMMEDIATE
transactions), so two transactions never link to the same predecessor. Once the change commits, its newest event
is anchored outside the database (anchors.py).
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from vertrouwen.core.hashchain import GENESIS, chain_hash
from vertrouwen.web.audit import anchors, context, sealing
from vertrouwen.web.audit.actions import ACTIONS
from vertrouwen.web.audit.actor import Actor
from vertrouwen.web.audit.models import GENERAL_SUBJECT, AuditEvent

CHAIN_LOCK = 0x7665727472  # "vertr": the advisory lock that orders the audit chain


def record(*, actor: object = None, action: str, object_type: str, object_id: object = "",
           details: dict | None = None, old: dict | None = None, new: dict | None = None,
           result: str = AuditEvent.Result.OK, origin: str | None = None,
           subject: str = GENERAL_SUBJECT) -> AuditEvent:
    """Record an event; `actor` is a user or a label such as 'systeem:import' (default: who is acting now)."""
    if action not in ACTIONS:
        raise ValueError(f"audit action {action!r} is not declared in web/audit/actions.py")
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("audit events are written inside the transaction of the change they describe")
    acting = context.current()
    actor = Actor.of(actor if actor is not None else acting.actor)
    _lock_chain(connection)
    previous = AuditEvent.objects.order_by("-id").values_list("row_hash", flat=True).first() or GENESIS
    event = AuditEvent(
        at=timezone.now(), actor_id=actor.user_id, actor_label=actor.label, action=action,
        object_type=object_type, object_id=str(object_id), details=_json(details or {}), result=result,
        origin=origin if origin is not None else acting.origin, subject=subject,
        sealed_values=sealing.seal(subject, {"old": old, "new": new}) if old is not None or new is not None else "",
        previous_hash=previous)
    event.row_hash = chain_hash(previous, chained_content(event))
    event.mac = keyed(event.row_hash)
    event.save(force_insert=True)
    # One anchor per commit, of its newest event: the chain links every earlier one to it.
    connection.vertrouwen_newest_event = event.id
    transaction.on_commit(lambda: _anchor_if_newest(connection, event), using=connection.alias)
    return event


def _anchor_if_newest(connection, event: AuditEvent) -> None:
    if event.id >= getattr(connection, "vertrouwen_newest_event", 0):
        anchors.write(event.id, event.row_hash, event.mac)


def keyed(row_hash: str) -> str:
    """The keyed hash of an event: HMAC-SHA256 of its row hash with the installation's audit key."""
    return hmac.new(settings.AUDIT_KEY.encode(), row_hash.encode("ascii"), hashlib.sha256).hexdigest()


def chained_content(event: AuditEvent) -> dict:
    """What an event's hash covers: everything but its id and its own hash."""
    return {
        "at": event.at.astimezone(UTC).isoformat(), "actor_id": event.actor_id, "actor_label": event.actor_label,
        "action": event.action, "object_type": event.object_type, "object_id": event.object_id,
        "details": event.details, "result": event.result, "origin": event.origin, "subject": event.subject,
        "sealed_values": event.sealed_values, "previous_hash": event.previous_hash,
    }


def values_of(event: AuditEvent) -> dict | None:
    """{"old": …, "new": …} of an event; None when the subject's data were erased."""
    return sealing.unseal(event.subject, event.sealed_values)


def forget_subject(subject: str, *, actor: object = None) -> None:
    """Destroy the key of a subject whose data are erased; its events stay, their values become unreadable."""
    if sealing.forget(subject):
        record(actor=actor, action="audit.key_destroyed", object_type="audit.subject", object_id=subject)


def _lock_chain(connection) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def _json(value: dict) -> dict:
    """The details as they come back from the database, so the hash can be recomputed from the stored row."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
