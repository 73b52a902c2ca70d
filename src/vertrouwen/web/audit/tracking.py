"""Every single-row create, change and delete of a person-level or configuration record becomes an audit event.

The events carry the changed fields' old and new values as stored in the database, sealed with the person's key
for person-level rows. Writes in bulk (an import, a draw, a monthly run, a move of a caseload) bypass these
signals by design: the service that does them records one event for the batch, with its counts and hashes.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from vertrouwen.web.audit.models import GENERAL_SUBJECT
from vertrouwen.web.audit.services import record

# Rows about one person: their key seals the values.
PERSON_LEVEL = (
    "registry.Person", "registry.BenefitSpell", "registry.Enrollment", "registry.ReferenceMember", "registry.Goal",
    "registry.Assessment", "registry.MonthlyEarnings", "registry.Contact", "registry.SurveyResponse",
    "casework.Assignment", "casework.Conversation", "casework.Action", "casework.ContactNote",
    "casework.Sanction", "casework.Story", "lottery.Invitation", "surveys.Invitation", "settlement.Settlement",
)
# The experiment's configuration and the staff accounts.
CONFIGURATION = (
    "registry.Municipality", "registry.Experiment", "registry.Arm", "settlement.DisregardRule",
    "settlement.BenefitNorm", "surveys.Wave",
)  # staff accounts: accounts.services records each change with the role before and after
# Never in the audit trail, not even sealed: the BSN, password hashes and the time of the last login (its own event).
NEVER_RECORDED = frozenset({"bsn_encrypted", "bsn_pseudonym", "password", "last_login"})

_untracked: ContextVar[bool] = ContextVar("vertrouwen_rows_untracked", default=False)


@contextmanager
def rows_untracked() -> Iterator[None]:
    """Only for the demo's synthetic seeding: its services still record each action, not each row's values
    (a size-M demo would otherwise write a million row events before anyone logs in)."""
    token = _untracked.set(True)
    try:
        yield
    finally:
        _untracked.reset(token)


def connect() -> None:
    for label in PERSON_LEVEL + CONFIGURATION:
        model = apps.get_model(label)
        uid = f"audit-{label}"
        pre_save.connect(_remember_stored_row, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_record_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_record_delete, sender=model, dispatch_uid=f"{uid}-delete")


def subject_of(instance) -> str:
    if instance._meta.label == "registry.Person":
        return f"person:{instance.pk}"
    owner = instance.contact if instance._meta.label == "casework.ContactNote" else instance
    person_id = getattr(owner, "person_id", None)
    return f"person:{person_id}" if person_id is not None else GENERAL_SUBJECT


def stored_values(model, pk) -> dict | None:
    """The row as the database holds it, as JSON values; None when there is no such row."""
    row = model._default_manager.filter(pk=pk).values(*_recorded_columns(model)).first()
    return {column: _plain(value) for column, value in row.items()} if row is not None else None


def _recorded_columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in NEVER_RECORDED and not f.primary_key]


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _remember_stored_row(sender, instance, raw=False, **kwargs) -> None:
    if raw or _untracked.get():
        return
    _require_transaction(sender)
    instance._audit_stored = stored_values(sender, instance.pk) if instance.pk is not None else None


def _record_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or _untracked.get():
        return
    before = getattr(instance, "_audit_stored", None)
    after = stored_values(sender, instance.pk)
    old = {k: v for k, v in (before or {}).items() if after.get(k) != v}
    new = {k: after[k] for k in (after if before is None else old)}
    if before is not None and not new:
        return  # saved unchanged
    action = "created" if before is None else "changed"
    record(action=f"record.{action}", object_type=sender._meta.label_lower,
           object_id=instance.pk, old=old if before is not None else None, new=new, subject=subject_of(instance))


def _record_delete(sender, instance, **kwargs) -> None:
    if _untracked.get():
        return
    _require_transaction(sender)
    old = {column: _plain(getattr(instance, column)) for column in _recorded_columns(sender)}
    record(action="record.deleted", object_type=sender._meta.label_lower, object_id=instance.pk,
           old=old, subject=subject_of(instance))


def _require_transaction(model) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{model._meta.label}: write it inside transaction.atomic(), so its audit event is "
                           "written in the same transaction")
