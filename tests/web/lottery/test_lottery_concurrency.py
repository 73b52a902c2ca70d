"""Allocations at the same moment, on PostgreSQL: 50 threads, each on its own database connection (Django gives
every thread its own), released together by a barrier.

Asking to allocate one person 50 times at once gives one allocation, and every caller the same arm; allocating
50 different persons at once gives 50 single draws in one unbroken hash chain (each draw locks the experiment).

Only on PostgreSQL: SQLite has no row locks and one writer at a time. The tests commit for real
(transaction=True); the teardown empties the tables with TRUNCATE, which the row triggers do not block.
"""

from datetime import date

import pytest
from concurrently import at_once
from django.db import connection, transaction
from lottery_town import AS, DRAW_DATE, add_person

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.audit.verification import verify_chain
from vertrouwen.web.lottery.models import Allocation, Draw
from vertrouwen.web.lottery.services import allocate_person
from vertrouwen.web.lottery.verification import verify_allocations
from vertrouwen.web.registry.models import Enrollment

THREADS = 50

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="concurrent allocation needs PostgreSQL: SQLite has no row locks"),
    pytest.mark.django_db(transaction=True),
]


def test_fifty_simultaneous_requests_for_one_person_give_one_allocation(town):
    experiment_id = town.experiment.pk

    def allocate(_):
        allocation = allocate_person(experiment_id, "L01", on=DRAW_DATE, actor="test")
        return allocation.arm.code

    arms, errors = at_once(allocate, THREADS)

    assert errors == []
    allocation = Allocation.objects.select_related("arm").get(person__external_id="L01")
    assert arms == [allocation.arm.code] * THREADS
    assert Enrollment.objects.filter(person__external_id="L01").count() == 1
    assert Enrollment.objects.get(person__external_id="L01").arm_id == allocation.arm_id
    assert Draw.objects.count() == 1
    assert AuditEvent.objects.filter(action="lottery.drawn").count() == 1
    assert verify_allocations().ok


def test_fifty_persons_allocated_at_once_form_one_unbroken_chain(town):
    municipality = town.experiment.municipality
    numbers = [f"C{i:02d}" for i in range(THREADS)]
    with transaction.atomic():
        for number in numbers:  # on benefit since 2014, aged 39 at the draw date: eligible
            add_person(municipality, number, date(1980, 5, 5), None, AS, [(date(2014, 1, 1), None)])
    experiment_id = town.experiment.pk

    def allocate(i):
        return allocate_person(experiment_id, numbers[i], on=DRAW_DATE, actor="test").person.external_id

    allocated, errors = at_once(allocate, THREADS)

    assert errors == []
    assert sorted(allocated) == numbers
    assert Allocation.objects.count() == THREADS
    assert Enrollment.objects.count() == THREADS
    draws = list(Draw.objects.order_by("sequence"))
    assert [d.sequence for d in draws] == list(range(1, THREADS + 1))
    assert {(d.kind, d.size) for d in draws} == {("single", 1)}
    assert draws[0].previous_hash == "0" * 64
    assert all(later.previous_hash == earlier.chain_hash for earlier, later in zip(draws, draws[1:], strict=False))
    result = verify_allocations()
    assert result.ok, result.problems
    assert (result.draws, result.allocations) == (THREADS, THREADS)
    # Fifty transactions wrote audit events at once: the chain's lock kept them on one line.
    assert verify_chain()[1] == []
