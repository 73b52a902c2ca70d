"""Questionnaire instruments as data: one JSON file each in instruments/, with items, answer scales, reverse-coded
items, scoring, the instrument's source and its position in a wave. `version` goes up with every change to a
file's items or scoring."""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from types import MappingProxyType

RESPONDENTS = ("deelnemer", "klantmanager")
METHODS = ("mean", "sum", "none")


class InstrumentInvalid(ValueError):
    """An instrument file breaks the format; the message names the file and the field."""


class AnswerInvalid(ValueError):
    """An answer outside its item's scale; the message is Dutch, for the person answering."""


@dataclass(frozen=True)
class Scale:
    minimum: int
    maximum: int
    labels: tuple[str, ...] = ()  # one per value from minimum to maximum, when every value has a name
    low: str = ""  # the names of the two ends, when only they have one
    high: str = ""
    number: bool = False  # a number to type (hours), not a choice
    unit: str = ""

    def options(self) -> list[tuple[int, str]]:
        values = range(self.minimum, self.maximum + 1)
        if self.labels:
            return list(zip(values, self.labels, strict=True))
        return [(v, str(v)) for v in values]


@dataclass(frozen=True)
class Item:
    code: str
    text: str
    scale: Scale
    reverse: bool = False

    def parse(self, raw: str) -> Decimal:
        """The answer as a number on the item's scale, or AnswerInvalid."""
        text = (raw or "").strip().replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise AnswerInvalid("Vul een getal in." if self.scale.number else "Kies een antwoord.") from None
        if not value.is_finite() or not self.scale.minimum <= value <= self.scale.maximum:
            raise AnswerInvalid(f"Kies een antwoord van {self.scale.minimum} tot en met {self.scale.maximum}.")
        if not self.scale.number and value != value.to_integral_value():
            raise AnswerInvalid("Kies een van de antwoorden.")
        if value.as_tuple().exponent < -1:
            raise AnswerInvalid("Hooguit één cijfer achter de komma.")
        return value

    def scored(self, value: Decimal) -> Decimal:
        """The value as it counts in the score: reversed on the scale for a reverse-coded item."""
        return self.scale.minimum + self.scale.maximum - value if self.reverse else value


@dataclass(frozen=True)
class Instrument:
    code: str
    version: int
    title: str
    source: str
    respondent: str
    items: tuple[Item, ...]
    method: str
    min_answered: int
    intro: str = ""
    position: int = 0  # where it comes in a wave, before those with a higher position

    def item(self, code: str) -> Item:
        return next(i for i in self.items if i.code == code)


def parse_instrument(data: dict, origin: str) -> Instrument:
    """An instrument from its JSON; every problem names `origin` and the field."""
    def need(mapping, key, kind, where):
        if key not in mapping or not isinstance(mapping[key], kind):
            raise InstrumentInvalid(f"{origin}: {where}{key} ontbreekt of is geen {kind.__name__}")
        return mapping[key]

    scales = {}
    for name, spec in need(data, "scales", dict, "").items():
        lo, hi = need(spec, "min", int, f"scales.{name}."), need(spec, "max", int, f"scales.{name}.")
        labels = tuple(spec.get("labels", ()))
        if hi <= lo or (labels and len(labels) != hi - lo + 1):
            raise InstrumentInvalid(f"{origin}: scales.{name}: min, max en labels passen niet bij elkaar")
        scales[name] = Scale(lo, hi, labels, spec.get("low", ""), spec.get("high", ""), bool(spec.get("number")),
                             spec.get("unit", ""))
    items = []
    for i, spec in enumerate(need(data, "items", list, "")):
        scale = need(spec, "scale", str, f"items[{i}].")
        if scale not in scales:
            raise InstrumentInvalid(f"{origin}: items[{i}].scale {scale!r} staat niet onder scales")
        items.append(Item(need(spec, "code", str, f"items[{i}]."), need(spec, "text", str, f"items[{i}]."),
                          scales[scale], bool(spec.get("reverse", False))))
    if len({i.code for i in items}) != len(items) or not items:
        raise InstrumentInvalid(f"{origin}: items: minstens één, en elke code één keer")
    scoring = need(data, "scoring", dict, "")
    method, min_answered = need(scoring, "method", str, "scoring."), need(scoring, "min_answered", int, "scoring.")
    respondent = need(data, "respondent", str, "")
    if method not in METHODS or respondent not in RESPONDENTS or not 0 <= min_answered <= len(items):
        raise InstrumentInvalid(f"{origin}: scoring.method, scoring.min_answered of respondent is ongeldig")
    return Instrument(need(data, "code", str, ""), need(data, "version", int, ""), need(data, "title", str, ""),
                      need(data, "source", str, ""), respondent, tuple(items), method, min_answered,
                      data.get("intro", ""), data.get("position", 0))


def _load() -> MappingProxyType:
    found = {}
    for file in sorted(resources.files("vertrouwen.core.surveys").joinpath("instruments").iterdir()):
        if file.name.endswith(".json"):
            instrument = parse_instrument(json.loads(file.read_text(encoding="utf-8")), file.name)
            if instrument.code != file.name.removesuffix(".json"):
                raise InstrumentInvalid(f"{file.name}: code {instrument.code!r} is niet de naam van het bestand")
            found[instrument.code] = instrument
    return MappingProxyType(dict(sorted(found.items(), key=lambda pair: (pair[1].position, pair[0]))))


INSTRUMENTS = _load()
PARTICIPANT_INSTRUMENTS = tuple(code for code, i in INSTRUMENTS.items() if i.respondent == "deelnemer")
