"""Issue 21, point 2: an audit trail that cannot be rewritten unnoticed. Each event's keyed hash (HMAC with a key
the database does not hold) and the anchor written outside the database after each commit let `verify-audit` name
a row rewritten with the chain's own functions, the newest rows removed, an emptied table and a forged anchor line;
on main before this change all four gave "the chain is intact".

The commits' anchors are written by running the on-commit callbacks (django_capture_on_commit_callbacks)."""

import json

import pytest
from django.db import connection, transaction
from tampering import AUDIT_TABLES, triggers_off

from vertrouwen.cli import main as cli
from vertrouwen.core.hashchain import chain_hash
from vertrouwen.web.audit import anchors
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.audit.services import chained_content, record
from vertrouwen.web.audit.verification import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(django_capture_on_commit_callbacks):
    """Five events, each committed on its own and anchored."""
    for number in range(5):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            record(actor="test", action="database.backed_up", object_type="backup", object_id=number)
    return list(AuditEvent.objects.order_by("id"))


def test_a_clean_trail_verifies_and_every_commit_is_anchored_outside_the_database(trail, capsys):
    lines = anchors.anchor_file().read_text().splitlines()

    assert [json.loads(line)["id"] for line in lines] == [event.id for event in trail]
    assert all(event.mac and len(event.mac) == 64 for event in trail)
    assert verify_chain() == (5, [])
    assert cli(["verify-audit"]) == 0
    assert "5 auditgebeurtenissen gecontroleerd: de keten is intact" in capsys.readouterr().out


def test_a_row_rewritten_with_the_chain_recomputed_is_named_by_its_keyed_hash(trail):
    # What an attacker with the database and the application's code does: change a row, recompute its hash and the
    # hashes of every row after it with the application's own functions. The keyed hashes cannot be recomputed.
    with triggers_off(AUDIT_TABLES):
        previous = trail[1].row_hash
        for event in AuditEvent.objects.filter(id__gte=trail[2].id).order_by("id"):
            event.actor_label = "iemand anders" if event.id == trail[2].id else event.actor_label
            event.previous_hash = previous
            event.row_hash = chain_hash(previous, chained_content(event))
            AuditEvent.objects.filter(pk=event.pk).update(actor_label=event.actor_label,
                                                          previous_hash=event.previous_hash, row_hash=event.row_hash)
            previous = event.row_hash

    findings = verify_chain()[1]

    rewritten = [f.event_id for f in findings if "sleutelhash past niet" in f.problem]
    assert rewritten == [event.id for event in trail[2:]]
    assert any(f.event_id == trail[4].id and "andere hash dan het anker" in f.problem for f in findings)


def test_removing_the_newest_rows_is_named_by_the_anchor(trail, capsys):
    with triggers_off(AUDIT_TABLES):
        AuditEvent.objects.filter(id__gte=trail[3].id).delete()

    findings = verify_chain()[1]

    assert [(f.event_id, "de nieuwste gebeurtenissen zijn verwijderd" in f.problem) for f in findings] == [
        (trail[4].id, True)]
    assert cli(["verify-audit"]) == 1


def test_an_emptied_table_is_named(trail):
    with triggers_off(AUDIT_TABLES), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")

    checked, findings = verify_chain()

    assert checked == 0 and len(findings) == 1 and "de tabel is geleegd" in findings[0].problem


def test_a_forged_anchor_line_is_named_and_not_believed(trail):
    forged = {"id": trail[-1].id + 100, "row_hash": "0" * 64, "mac": "0" * 64, "sig": "0" * 64}
    with anchors.anchor_file().open("a") as file:
        file.write(json.dumps(forged) + "\n")

    findings = verify_chain()[1]

    assert [f.problem for f in findings] == [f"{anchors.anchor_file().name}, regel 6: geen geldig anker (niet met de "
                                             f"auditsleutel ondertekend of beschadigd)"]


def test_a_row_without_a_keyed_hash_after_keyed_rows_is_named(trail):
    with triggers_off(AUDIT_TABLES):
        AuditEvent.objects.filter(pk=trail[2].pk).update(mac=None)

    assert [f.event_id for f in verify_chain()[1]] == [trail[2].id]


def test_a_commit_of_many_events_writes_one_anchor_its_newest(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for number in range(3):
            record(actor="test", action="database.backed_up", object_type="backup", object_id=number)

    lines = anchors.anchor_file().read_text().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [AuditEvent.objects.order_by("-id").first().id]
    assert verify_chain()[1] == []
