"""The audit actions are a declared vocabulary (web/audit/actions.py): every action the code records is declared
with a Dutch label, record() refuses one that is not, and only changes move the data version."""

import re
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import translation

from vertrouwen.core import codes
from vertrouwen.web.audit.actions import ACTIONS, CHANGE, READING, SESSION
from vertrouwen.web.audit.selectors import last_data_change_id
from vertrouwen.web.audit.services import record

SOURCE = Path(__file__).parents[3] / "src" / "vertrouwen"
CODE = r"\"([a-z_]+\.[a-z_{}.]+)\""
# Where the code names an action: record(action=...), a variable it passes on, or the admin's helper.
NAMED = [re.compile(rf"action=f?{CODE}"), re.compile(rf"action = {CODE}(?: if .* else {CODE})?"),
         re.compile(rf"_record_change\(request, [a-z_.]+, {CODE}"), re.compile(rf"action=({CODE}) if .* else {CODE}")]
# The actions whose code is made from a value, with every value it takes.
MADE = {
    "casework.{kind}": [f"casework.{kind}" for kind in codes.CONVERSATION_KINDS],
    "api.{table.name}_delivered": ["api.benefit_spells_delivered", "api.earnings_delivered"],
    "record.{action}": ["record.created", "record.changed", "record.deleted"],
}


def recorded_in_the_code() -> set[str]:
    found = set()
    for path in SOURCE.rglob("*.py"):
        if path.name == "actions.py":
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in NAMED:
            for match in pattern.finditer(text):
                for code in filter(None, match.groups()):
                    found.update(MADE.get(code.strip('"'), [code.strip('"')]))
    return found


def test_every_action_the_code_records_is_declared_and_every_declared_one_is_used():
    recorded = recorded_in_the_code()
    assert len(recorded) >= 60  # the scan finds them (64 today)
    assert recorded - set(ACTIONS) == set()
    assert set(ACTIONS) - recorded == set()


def test_every_action_has_a_dutch_label_and_a_kind():
    with translation.override("nl"):
        labels = {code: str(action.label) for code, action in ACTIONS.items()}
    with translation.override("en"):
        english = {code: str(action.label) for code, action in ACTIONS.items()}
    assert all(action.kind in (CHANGE, READING, SESSION) for action in ACTIONS.values())
    # Dutch differs from the English msgid, except where the word is the same in both ("BSN", "API")
    assert [code for code in ACTIONS if labels[code] == english[code]] == []


@pytest.mark.django_db
def test_record_refuses_an_action_that_is_not_declared():
    with transaction.atomic(), pytest.raises(ValueError, match="casework.earnings_typed.*not declared"):
        record(actor="test", action="casework.earnings_typed", object_type="person")


@pytest.mark.django_db
def test_only_a_change_moves_the_data_version():
    with transaction.atomic():
        record(actor="test", action="casework.contact", object_type="person")
    before = last_data_change_id()
    for code in ("person.bsn_read", "report.downloaded", "user.logged_in", "audit.key_destroyed"):
        with transaction.atomic():
            record(actor="test", action=code, object_type="person")
    assert last_data_change_id() == before
    with transaction.atomic():
        event = record(actor="test", action="settlement.corrected", object_type="person")
    assert last_data_change_id() == event.pk
