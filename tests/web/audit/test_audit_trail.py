"""The audit trail (issue 10, point 1): old and new values, origin, UTC time and result on every event; the table
refuses UPDATE and DELETE; the hash chain names a row altered by hand; a deleted person keeps their events; an
erased person's values become unreadable while the chain still verifies; logins are recorded.

The chain's definition is core.hashchain: SHA-256 of the previous row's hash, a line feed and the row's content
as sorted, compact JSON (services.chained_content).
"""

import hashlib
import json
from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from tampering import AUDIT_TABLES, triggers_off

from vertrouwen.cli import main as cli
from vertrouwen.web.audit.context import acting
from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.audit.services import chained_content, forget_subject, values_of
from vertrouwen.web.audit.tracking import rows_untracked
from vertrouwen.web.audit.verification import verify_chain
from vertrouwen.web.registry.models import MonthlyEarnings, Municipality, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    with transaction.atomic():
        municipality = Municipality.objects.create(code="GM0002", name="Proefstad")
        return Person.objects.create(municipality=municipality, external_id="A1", birth_date=date(1980, 5, 17),
                                     birth_year=1980, sex="v", household_type="alleenstaand",
                                     limitation="geen", education="mbo")


def events_about(obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id"))


def test_a_change_records_old_and_new_values_who_where_and_when_in_utc(person):
    before = timezone.now()
    with acting("klantmanager-test", "web 192.0.2.7"), transaction.atomic():
        person.education = "hbo"
        person.birth_date = None
        person.save()
    created, changed = events_about(person)
    assert created.action == "record.created" and values_of(created)["new"]["external_id"] == "A1"
    assert changed.action == "record.changed"
    assert values_of(changed) == {"old": {"education": "mbo", "birth_date": "1980-05-17"},
                                  "new": {"education": "hbo", "birth_date": None}}
    assert (changed.actor_label, changed.origin, changed.result) == ("klantmanager-test", "web 192.0.2.7", "ok")
    assert changed.at.utcoffset() == timedelta(0) and before <= changed.at <= timezone.now()


def test_the_bsn_never_enters_the_audit_trail_not_even_sealed(person):
    with transaction.atomic():
        person.bsn_pseudonym, person.bsn_encrypted = "p" * 64, "geheim"
        person.save()
    assert [e.action for e in events_about(person)] == ["record.created"]  # nothing recorded that changed
    assert all("bsn" not in json.dumps(values_of(e)) for e in events_about(person))


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_a_transaction_is_refused_with_the_reason():
    with transaction.atomic():
        municipality = Municipality.objects.create(code="GM0002", name="Proefstad")
    with pytest.raises(RuntimeError, match="transaction.atomic"):
        Person.objects.create(municipality=municipality, external_id="A1", sex="v", household_type="alleenstaand",
                              limitation="geen", education="mbo")
    assert not Person.objects.exists()


def test_the_audit_table_refuses_update_and_delete(person):
    event = events_about(person)[0]
    for statement in ("UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
                      "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="auditspoor"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="record.created").exists()


def test_each_row_hash_links_to_the_one_before(person):
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].previous_hash == "0" * 64
    for previous, event in zip(events, events[1:], strict=False):
        content = json.dumps(chained_content(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        expected = hashlib.sha256(previous.row_hash.encode() + b"\n" + content.encode()).hexdigest()
        assert event.previous_hash == previous.row_hash and event.row_hash == expected


def test_verify_audit_names_a_row_altered_by_hand(person, capsys):
    with transaction.atomic():
        person.education = "hbo"
        person.save()
    assert verify_chain()[1] == [] and cli(["verify-audit"]) == 0
    altered = events_about(person)[0]
    with triggers_off(AUDIT_TABLES), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_label = 'iemand anders' WHERE id = %s", [altered.pk])
    capsys.readouterr()
    assert cli(["verify-audit"]) == 1
    out = capsys.readouterr().out
    assert f"auditgebeurtenis {altered.pk}: de inhoud past niet bij de hash: de rij is gewijzigd" in out
    assert [f.event_id for f in verify_chain()[1]] == [altered.pk]


def test_verify_audit_names_the_row_after_a_removed_one(person):
    with transaction.atomic():
        person.education = "hbo"
        person.save()
    first, second = events_about(person)
    with triggers_off(AUDIT_TABLES), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [first.pk])
    findings = verify_chain()[1]
    assert [(f.event_id, "verwijderd" in f.problem) for f in findings] == [(second.pk, True)]


def test_deleting_a_person_keeps_their_audit_rows_with_what_was_deleted(person):
    with transaction.atomic():
        MonthlyEarnings.objects.create(person=person, month=date(2026, 1, 1), earnings_cents=50000)
    pk = person.pk
    with transaction.atomic():
        person.delete()
    about = AuditEvent.objects.filter(subject=f"person:{pk}").order_by("id")
    assert [e.action for e in about] == ["record.created", "record.created", "record.deleted",
                                         "record.deleted"]
    assert values_of(about.last())["old"]["birth_date"] == "1980-05-17"
    assert verify_chain()[1] == []


def test_erasing_a_person_destroys_their_key_but_not_their_rows_or_the_chain(person):
    forget = f"person:{person.pk}"
    with transaction.atomic():
        forget_subject(forget, actor="systeem:opschonen")
    created = events_about(person)[0]
    assert values_of(created) is None  # the values can no longer be read
    assert AuditEvent.objects.filter(action="audit.key_destroyed", object_id=forget).count() == 1
    assert verify_chain()[1] == []


def test_logins_logouts_and_failed_logins_are_recorded_without_the_password(client, login):
    client.post("/inloggen/", {"username": "klantmanager", "password": "fout-wachtwoord-123"})
    login("klantmanager").logout()
    actions = list(AuditEvent.objects.filter(object_type="user").order_by("id").values_list("action", "result"))
    assert ("user.login_failed", "refused") in actions
    assert ("user.logged_in", "ok") in actions and ("user.logged_out", "ok") in actions
    assert not AuditEvent.objects.filter(details__icontains="fout-wachtwoord").exists()


def test_an_event_is_written_in_the_transaction_of_its_change(person):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        person.education = "hbo"
        person.save()
        1 / 0  # noqa: B018 - the change fails after its event was written
    assert [e.action for e in events_about(person)] == ["record.created"]


def test_a_role_change_records_the_old_and_new_role(users, db):
    from vertrouwen.web.accounts.roles import ONDERZOEKER
    from vertrouwen.web.accounts.services import change_user

    user = users["klantmanager"]
    change_user(user, role=ONDERZOEKER, changed=["role"], actor="beheerder-test")
    event = AuditEvent.objects.filter(action="user.role_changed").latest("id")
    assert values_of(event) == {"old": {"role": "klantmanager"}, "new": {"role": "onderzoeker"}}


def test_the_demo_seeding_records_actions_but_not_each_rows_values(person):
    with rows_untracked(), transaction.atomic():
        person.education = "hbo"
        person.save()
    assert [e.action for e in events_about(person)] == ["record.created"]  # the change was not recorded
    with transaction.atomic():
        person.education = "basis"
        person.save()
    assert [e.action for e in events_about(person)] == ["record.created", "record.changed"]
