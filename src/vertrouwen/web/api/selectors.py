"""Reading back what the API stores for a person."""

from vertrouwen.web.registry.models import Municipality, Person


def person_deliveries(municipality: Municipality, external_id: str) -> dict | None:
    """The person's benefit spells and earnings, oldest first; None for a person not in the municipality."""
    person = Person.objects.filter(municipality=municipality, external_id=external_id).first()
    if person is None:
        return None
    return {
        "person_id": person.external_id,
        "benefit_spells": [{"spell_start": s.spell_start, "spell_end": s.spell_end, "end_reason": s.end_reason or None}
                           for s in person.benefit_spells.order_by("spell_start")],
        "earnings": [{"month": f"{e.month:%Y-%m}", "earnings_cents": e.earnings_cents, "hours": e.hours}
                     for e in person.earnings.order_by("month")],
    }
