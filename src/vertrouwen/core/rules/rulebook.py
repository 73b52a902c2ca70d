"""Rules as data: a disregard rule or a benefit norm is valid from a date until the next one of its kind (or until
the day it lapses, as the experiment decree did).

Amounts are integer cents; percentages are basis points (2500 = 25%, 1250 = 12.5%), so no float touches money.
The norms and the maxima of sub n and sub r are indexed every 1 January and 1 July: a month after the next
indexation date of the row in force is settled with that row, and says that newer amounts are missing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from vertrouwen.core import codes
from vertrouwen.core.formatting import basis_points

INDEXED_REGIMES = ("standard", "single_parent")
PARTICIPATIEWET_START = date(2015, 1, 1)  # the law's first day: the rule tables start here


def next_indexation(after: date) -> date:
    """The first 1 January or 1 July after `after`."""
    return date(after.year, 7, 1) if after.month < 7 else date(after.year + 1, 1, 1)


def amounts_missing(since: date) -> str:
    """The words every place uses for amounts the tables do not hold yet: 'de bedragen per 01-01-2026 ontbreken in
    de regeltabellen'."""
    return f"de bedragen per {since:%d-%m-%Y} ontbreken in de regeltabellen"


class RuleMissing(LookupError):
    """No rule or norm is valid at the date asked for."""


@dataclass(frozen=True)
class DisregardRule:
    regime: str
    valid_from: date
    percent_bp: int  # basis points of earnings: 2500 = 25%
    max_cents: int  # a month's maximum
    max_months: int | None = None  # months it may apply; None: as long as the regime lasts
    min_age: int | None = None  # not under this age
    source: str = ""
    confirmed: bool = False
    valid_until: date | None = None  # the day the rule lapses (the experiment decree); None: until the next row

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on < self.valid_until)

    @property
    def indexed(self) -> bool:
        return self.regime in INDEXED_REGIMES

    def share(self, earnings_cents: int) -> int:
        """The rule's percentage of the earnings, at most its maximum (rounded down, in the benefit's favour)."""
        return min(earnings_cents * self.percent_bp // 10_000, self.max_cents)

    @property
    def percent_label(self) -> str:
        return f"{basis_points(self.percent_bp)}%"


@dataclass(frozen=True)
class BenefitNorm:
    household_type: str
    valid_from: date
    cents: int  # holiday allowance included
    source: str = ""
    confirmed: bool = False
    holiday_cents: int | None = None  # the holiday allowance in it, where the publication states it


@dataclass(frozen=True)
class LawChange:
    """A dated change of the law that touches the settlement, with whether and how vertrouwen models it."""

    valid_from: date
    title: str
    what: str
    modelled: str  # how vertrouwen follows it, or why it does not
    source: str
    confirmed: bool = False


@dataclass(frozen=True)
class Counting:
    """How the law counts a regime's months from `valid_from`: a consecutive period from the first month the
    disregard applied (every calendar month counts, with or without earnings), or the months it applied."""

    regime: str
    valid_from: date
    consecutive: bool
    source: str = ""
    confirmed: bool = False


NO_DISREGARD = DisregardRule("none", date(1900, 1, 1), 0, 0, source="Geen vrijlating", confirmed=True)


class RuleBook:
    """The disregard rules and norms in force on any date."""

    def __init__(self, rules: Iterable[DisregardRule], norms: Iterable[BenefitNorm], counting: Iterable[Counting] = (),
                 young_from: date | None = None):
        """`young_from`: the first day on which the disregards no longer have an age limit (Participatiewet in
        balans; a municipality may apply it early in the tolerance year 2026); None: the limits hold."""
        self.rules = sorted(rules, key=lambda r: (r.regime, r.valid_from))
        self.norms = sorted(norms, key=lambda n: (n.household_type, n.valid_from))
        self.counting = sorted(counting, key=lambda c: (c.regime, c.valid_from))
        self.young_from = young_from

    def rule(self, regime: str, on: date) -> DisregardRule:
        if regime not in codes.SETTLEMENT_REGIMES:
            raise ValueError(f"onbekende regeling {regime!r}; kies uit {', '.join(codes.SETTLEMENT_REGIMES)}")
        if regime == "none":
            return NO_DISREGARD
        rule = _in_force([r for r in self.rules if r.regime == regime], on, f"vrijlating {regime}")
        if self.young_from is not None and on >= self.young_from and rule.min_age is not None:
            return replace(rule, min_age=None)
        return rule

    def norm(self, household_type: str, on: date) -> BenefitNorm:
        return _in_force([n for n in self.norms if n.household_type == household_type], on,
                         f"bijstandsnorm {household_type}")

    def consecutive(self, regime: str, on: date) -> bool:
        """Whether the law in force on `on` counts the regime's months as one consecutive period; without a
        counting row, the months in which the disregard applied count."""
        rows = [c for c in self.counting if c.regime == regime and c.valid_from <= on]
        return rows[-1].consecutive if rows else False

    @staticmethod
    def missing_since(row: BenefitNorm | DisregardRule, on: date) -> date | None:
        """The indexation date whose amounts are missing when `row` is used on `on`: the row's next indexation
        date, when that has passed; None when the row is current or its amount is not indexed."""
        if isinstance(row, DisregardRule) and not row.indexed:
            return None
        due = next_indexation(row.valid_from)
        return due if due <= on else None


def _in_force(rows: list, on: date, what: str):
    """The last row that started on or before `on`."""
    current = None
    for row in rows:
        if row.valid_from <= on:
            current = row
    if current is None:
        first = f"; de eerste geldt vanaf {rows[0].valid_from:%d-%m-%Y}" if rows else ""
        raise RuleMissing(f"geen {what} bekend op {on:%d-%m-%Y}{first}")
    return current
