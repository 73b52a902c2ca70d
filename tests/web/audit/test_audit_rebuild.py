"""Property: the audit trail alone rebuilds the current state of person-level rows exactly (issue 10, point 1).

Hypothesis applies random sequences of creates, changes (NULL to a value and back included) and deletes to
persons and their monthly earnings; replaying the events' sealed new values (create, change) and removals
(delete) in order must give the rows as the database holds them, field by field.
"""

from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vertrouwen.web.audit.models import AuditEvent
from vertrouwen.web.audit.services import values_of
from vertrouwen.web.audit.tracking import stored_values
from vertrouwen.web.registry.models import MonthlyEarnings, Municipality, Person

PERSON_VALUES = {
    "birth_date": st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2005, 12, 31))),
    "birth_year": st.one_of(st.none(), st.integers(1950, 2005)),
    "education": st.sampled_from(["basis", "mbo", "hbo"]),
    "refugee_status_holder": st.booleans(),
}
EARNINGS_VALUES = {
    "earnings_cents": st.integers(0, 500_000),
    "hours": st.one_of(st.none(), st.decimals("0", "160", places=2)),
}

operations = st.lists(st.one_of(
    st.tuples(st.just("create person")),
    st.tuples(st.just("change person"), st.integers(0, 9), st.sampled_from(sorted(PERSON_VALUES)), st.data()),
    st.tuples(st.just("delete person"), st.integers(0, 9)),
    st.tuples(st.just("earn"), st.integers(0, 9), st.integers(1, 12), st.data()),
    st.tuples(st.just("delete earnings"), st.integers(0, 30)),
), min_size=1, max_size=25)


def replay(events) -> dict[tuple[str, str], dict]:
    state: dict[tuple[str, str], dict] = {}
    for event in events:
        key, values = (event.object_type, event.object_id), values_of(event)
        kind = event.action.rsplit(".", 1)[1]
        if kind == "created":
            state[key] = dict(values["new"])
        elif kind == "changed":
            state[key].update(values["new"])
        elif kind == "deleted":
            del state[key]
    return state


def stored(models) -> dict[tuple[str, str], dict]:
    return {(model._meta.label_lower, str(pk)): stored_values(model, pk)
            for model in models for pk in model.objects.values_list("pk", flat=True)}


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_replaying_the_audit_trail_rebuilds_the_current_rows(ops):
    with transaction.atomic():
        Person.objects.all().delete()
        municipality, _ = Municipality.objects.get_or_create(code="GM0001", defaults={"name": "Eigenschapstad"})
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    for n, op in enumerate(ops):
        with transaction.atomic():
            apply(op, n, municipality)
    events = AuditEvent.objects.filter(id__gt=start, object_type__in=["registry.person", "registry.monthlyearnings"])
    assert replay(events.order_by("id")) == stored([Person, MonthlyEarnings])


def apply(op, n, municipality) -> None:
    persons = list(Person.objects.order_by("pk"))
    kind = op[0]
    if kind == "create person":
        Person.objects.create(municipality=municipality, external_id=f"E{n}", sex="m",
                              household_type="alleenstaand", limitation="geen", education="mbo")
    elif kind == "change person" and persons:
        person, field, data = persons[op[1] % len(persons)], op[2], op[3]
        setattr(person, field, data.draw(PERSON_VALUES[field]))
        person.save()
    elif kind == "delete person" and persons:
        persons[op[1] % len(persons)].delete()
    elif kind == "earn" and persons:
        data = op[3]
        MonthlyEarnings.objects.update_or_create(
            person=persons[op[1] % len(persons)], month=date(2026, op[2], 1),
            defaults={field: data.draw(strategy) for field, strategy in EARNINGS_VALUES.items()})
    elif kind == "delete earnings":
        earnings = list(MonthlyEarnings.objects.order_by("pk"))
        if earnings:
            earnings[op[1] % len(earnings)].delete()
