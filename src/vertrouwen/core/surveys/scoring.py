"""Scale scores: per instrument, the mean or sum of the answered items after reverse coding, when at least the
instrument's minimum number of items is answered; otherwise no score."""

from collections.abc import Mapping
from decimal import Decimal

from vertrouwen.core.surveys.instruments import Instrument


def score(instrument: Instrument, answers: Mapping[str, Decimal | str | None]) -> Decimal | None:
    """The instrument's score from answers by item code (values on the item's scale; empty for not answered)."""
    if instrument.method == "none":
        return None
    values = []
    for item in instrument.items:
        raw = answers.get(item.code)
        if raw is None or raw == "":
            continue
        values.append(item.scored(item.parse(str(raw))))
    if len(values) < max(instrument.min_answered, 1):
        return None
    total = sum(values, Decimal(0))
    return total if instrument.method == "sum" else total / len(values)
