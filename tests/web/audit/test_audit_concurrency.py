"""Audit events written at the same moment, on PostgreSQL: 30 threads, each with its own connection and
transaction, released together. The chain's advisory lock must keep them on one line: without it two
transactions read the same last hash and the chain forks, which verify_chain reports.

Only on PostgreSQL: SQLite has one writer at a time anyway. The test commits for real (transaction=True)."""

import pytest
from concurrently import at_once
from django.db import connection, transaction

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.audit.services import record
from vertrouwen.web.audit.verification import verify_chain

THREADS = 30

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_thirty_transactions_at_once_make_one_unbroken_chain():
    def write(i):
        with transaction.atomic():
            record(actor="test", action="casework.contact", object_type="person", object_id=i)

    _, errors = at_once(write, THREADS)
    assert errors == []
    assert AuditEvent.objects.filter(action="casework.contact").count() == THREADS
    assert verify_chain() == (AuditEvent.objects.count(), [])
