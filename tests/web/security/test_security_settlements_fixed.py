"""Issue 21, point 2 (settlements): a written settlement cannot be changed with an UPDATE, also not by the
application's own connection; only the flag that it is no longer current may go from true to false, and its run
may be removed. On main before this change the UPDATE went through and nothing noticed."""

from datetime import date
from importlib import import_module

import pytest
from django.db import DatabaseError, transaction

from vertrouwen.web.registry.models import Municipality, Person
from vertrouwen.web.settlement.models import Settlement

FIXED = import_module("vertrouwen.web.settlement.migrations.0008_settlements_fixed")
pytestmark = pytest.mark.django_db


@pytest.fixture
def settlement():
    with transaction.atomic():
        municipality = Municipality.objects.create(code="GM0003", name="Rekenstad")
        person = Person.objects.create(municipality=municipality, external_id="R1", birth_year=1980,
                                       household_type="alleenstaand")
        return Settlement.objects.create(
            person=person, month=date(2026, 1, 1), regime="standaard", earnings_cents=50_000, norm_cents=130_845,
            disregarded_cents=12_500, deducted_cents=37_500, benefit_cents=93_345, months_used=1,
            rule_percent_bp=2500, rule_max_cents=26_900, household_type="alleenstaand", recorded_by="test")


def refused(change) -> bool:
    try:
        with transaction.atomic():
            change()
    except DatabaseError:
        return True
    return False


@pytest.mark.parametrize("column, value", [("benefit_cents", 1), ("earnings_cents", 0), ("reason", "anders"),
                                           ("recorded_by", "iemand"), ("month", date(2026, 2, 1))])
def test_an_amount_or_any_recorded_value_cannot_be_changed(settlement, column, value):
    assert refused(lambda: Settlement.objects.filter(pk=settlement.pk).update(**{column: value}))
    assert getattr(Settlement.objects.get(pk=settlement.pk), column) == getattr(settlement, column)


def test_an_old_version_stops_being_current_and_never_becomes_current_again(settlement):
    assert not refused(lambda: Settlement.objects.filter(pk=settlement.pk).update(is_current=False))
    assert refused(lambda: Settlement.objects.filter(pk=settlement.pk).update(is_current=True))
    assert Settlement.objects.get(pk=settlement.pk).is_current is False


def test_every_column_but_the_id_the_current_flag_and_the_run_is_fixed():
    # A column added later must be added to the trigger (or be argued free here).
    columns = {field.column for field in Settlement._meta.concrete_fields}
    assert set(FIXED.FIXED) == columns - {"id", "is_current", "run_id"}
