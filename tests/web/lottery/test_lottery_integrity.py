"""The database refuses every change to a draw or an allocation (migration 0002's triggers), through the ORM and
through raw SQL on the application's own connection, on SQLite and PostgreSQL alike. An enrollment keeps its
consent and stop writable, but not the columns that repeat its allocation, and it cannot be deleted.

Each refused statement runs in its own transaction.atomic() (a savepoint), so the test goes on after it; the
error must carry the trigger's message, so that a foreign key or another constraint cannot pass for it.
"""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from lottery_town import DRAW_DATE

from vertrouwen.web.lottery.models import Allocation, Draw
from vertrouwen.web.lottery.services import DrawRequest, draw_lottery
from vertrouwen.web.registry.models import Enrollment

pytestmark = pytest.mark.django_db

TRIGGER_MESSAGE = "Een toewijzing uit de loting kan niet worden gewijzigd of verwijderd"


@pytest.fixture
def drawn(town):
    """Loterijstad after a list draw of L01, L02 and L03 (complete randomization)."""
    draw = draw_lottery(town.experiment.pk, DrawRequest(drawn_on=DRAW_DATE, method="complete",
                                                        person_numbers=("L01", "L02", "L03")), actor="test")
    allocation = Allocation.objects.select_related("arm").get(draw=draw, person__external_id="L01")
    other_arm = next(arm for arm in town.arms.values() if arm.pk != allocation.arm_id)
    return draw, allocation, other_arm


def refused(statement) -> str:
    """Run the statement in a savepoint; it must raise IntegrityError with the trigger's message."""
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        statement()
    message = str(raised.value)
    assert TRIGGER_MESSAGE in message, message
    return message


def raw(sql: str, *params):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


def test_an_allocation_cannot_be_updated_through_the_orm(drawn):
    draw, allocation, other_arm = drawn

    refused(lambda: Allocation.objects.filter(pk=allocation.pk).update(arm=other_arm))
    allocation.arm = other_arm
    refused(allocation.save)
    refused(lambda: Allocation.objects.filter(pk=allocation.pk).update(allocated_on=date(2020, 1, 1)))

    stored = Allocation.objects.get(pk=allocation.pk)
    assert stored.arm_id != other_arm.pk and stored.allocated_on == DRAW_DATE


def test_an_allocation_cannot_be_updated_or_deleted_with_raw_sql(drawn):
    draw, allocation, other_arm = drawn

    message = refused(raw("UPDATE lottery_allocation SET arm_id = %s WHERE id = %s", other_arm.pk, allocation.pk))
    assert "lottery_allocation" in message
    refused(raw("UPDATE lottery_allocation SET position = position WHERE draw_id = %s", draw.pk))  # even a no-op
    refused(raw("DELETE FROM lottery_allocation WHERE id = %s", allocation.pk))
    refused(raw("DELETE FROM lottery_allocation"))

    assert Allocation.objects.filter(draw=draw).count() == 3
    assert Allocation.objects.get(pk=allocation.pk).arm_id == allocation.arm_id


def test_an_allocation_cannot_be_deleted_through_the_orm(drawn):
    draw, allocation, _ = drawn

    refused(lambda: Allocation.objects.filter(pk=allocation.pk).delete())
    refused(allocation.delete)
    refused(lambda: Allocation.objects.all().delete())

    assert Allocation.objects.count() == 3


def test_a_draw_cannot_be_updated(drawn):
    draw, _, _ = drawn

    refused(lambda: Draw.objects.filter(pk=draw.pk).update(seed=draw.seed + 1))
    draw.drawn_on = date(2020, 2, 1)
    refused(draw.save)
    message = refused(raw("UPDATE lottery_draw SET result_hash = %s WHERE id = %s", "0" * 64, draw.pk))
    assert "lottery_draw" in message

    stored = Draw.objects.get(pk=draw.pk)
    assert (stored.drawn_on, stored.result_hash) == (DRAW_DATE, drawn[0].result_hash)


def test_a_draw_cannot_be_deleted(drawn):
    draw, _, _ = drawn

    # The ORM refuses first (allocations protect their draw); the trigger refuses raw SQL, before any foreign key.
    with pytest.raises(IntegrityError), transaction.atomic():
        draw.delete()
    message = refused(raw("DELETE FROM lottery_draw WHERE id = %s", draw.pk))
    assert "lottery_draw" in message
    refused(raw("DELETE FROM lottery_draw"))

    assert Draw.objects.filter(pk=draw.pk).exists()


def test_an_enrollment_keeps_consent_and_stop_writable(drawn):
    _, allocation, _ = drawn
    enrollment = Enrollment.objects.get(person=allocation.person)

    Enrollment.objects.filter(pk=enrollment.pk).update(consented_on=date(2020, 3, 10))
    enrollment.refresh_from_db()
    enrollment.stopped_on, enrollment.stop_reason = date(2020, 9, 1), "persoonlijke_reden"
    enrollment.save()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_enrollment SET consented_on = %s WHERE id = %s", [date(2020, 3, 11),
                                                                                         enrollment.pk])

    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert (stored.consented_on, stored.stopped_on, stored.stop_reason) == \
        (date(2020, 3, 11), date(2020, 9, 1), "persoonlijke_reden")


def test_an_enrollment_cannot_change_its_allocation_or_be_deleted(drawn, town):
    _, allocation, other_arm = drawn
    enrollment = Enrollment.objects.get(person=allocation.person)
    other_person = town.persons["L20"]

    refused(lambda: Enrollment.objects.filter(pk=enrollment.pk).update(arm=other_arm))
    refused(lambda: Enrollment.objects.filter(pk=enrollment.pk).update(allocated_on=date(2020, 2, 1)))
    refused(lambda: Enrollment.objects.filter(pk=enrollment.pk).update(person=other_person))
    refused(raw("UPDATE registry_enrollment SET arm_id = %s WHERE id = %s", other_arm.pk, enrollment.pk))
    refused(raw("UPDATE registry_enrollment SET allocated_on = NULL WHERE id = %s", enrollment.pk))
    refused(lambda: Enrollment.objects.filter(pk=enrollment.pk).delete())
    refused(raw("DELETE FROM registry_enrollment WHERE id = %s", enrollment.pk))

    stored = Enrollment.objects.get(pk=enrollment.pk)
    assert (stored.arm_id, stored.allocated_on, stored.person_id) == \
        (allocation.arm_id, DRAW_DATE, allocation.person_id)
    assert Enrollment.objects.count() == 3
