"""What do I keep? ("Wat houd ik over?"): month by month, the benefit and total income with the given earnings,
against not working, as the disregard's months run down. The same rules and arithmetic as the settlement."""

from dataclasses import dataclass
from datetime import date

from vertrouwen.core.months import add_months
from vertrouwen.core.rules.policy import (
    History,
    MonthCase,
    Regime,
    after_sub_n,
    effective_regime,
    settle_case,
    used_before,
)
from vertrouwen.core.rules.rulebook import RuleBook, amounts_missing
from vertrouwen.core.rules.settlement import Settlement

MAX_MONTHS = 36


@dataclass(frozen=True)
class CalculatorMonth:
    settlement: Settlement
    without_work_cents: int  # the benefit without earnings: the norm

    @property
    def gain_cents(self) -> int:
        """What working adds to the month's income."""
        return self.settlement.total_income_cents - self.without_work_cents

    def as_dict(self) -> dict:
        s = self.settlement
        return {"month": f"{s.month:%Y-%m}", "earnings_cents": s.earnings_cents, "norm_cents": s.norm_cents,
                "disregarded_cents": s.disregarded_cents, "deducted_cents": s.deducted_cents,
                "benefit_cents": s.benefit_cents, "total_income_cents": s.total_income_cents,
                "without_work_cents": self.without_work_cents, "gain_cents": self.gain_cents,
                "months_used": s.months_used, "no_entitlement": s.no_entitlement,
                "amounts_missing_since": s.amounts_missing_since and f"{s.amounts_missing_since:%Y-%m-%d}"}


def calculate(book: RuleBook, *, regime: str, household_type: str, start: date, earnings_cents: int,
              months: int = 12, age: int | None = None, history: History = (), sub_n_granted: bool = True
              ) -> list[CalculatorMonth]:
    """The coming `months` from the month of `start`, as the monthly run would settle them: the regime in force
    in each month (sub r after sub n for a single parent), its months counted on from the person's settled
    `history` as (month, regime, cents disregarded), sub n as the college decided (art. 31 lid 2 sub n)."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"aantal maanden: van 1 tot en met {MAX_MONTHS}")
    result, history = [], [row for row in history if row[0] < start.replace(day=1)]
    for i in range(months):
        month = add_months(start.replace(day=1), i)
        used = used_before(book, history, month)
        chosen = after_sub_n(book, effective_regime(book, Regime(regime), month), household_type, month, used)
        settlement = settle_case(book, MonthCase(month, household_type, chosen, earnings_cents, age=age,
                                                 months_used=used[chosen], sub_n_granted=sub_n_granted))
        history.append((month, chosen.value, settlement.disregarded_cents))
        result.append(CalculatorMonth(settlement, settlement.norm_cents))
    return result


def staleness(months: list[CalculatorMonth]) -> str:
    """A sentence when some month was worked out with older amounts, naming the first missing indexation."""
    missing = [m.settlement for m in months if m.settlement.amounts_missing_since]
    if not missing:
        return ""
    first = missing[0]
    return (f"Let op: vanaf {first.month:%m-%Y} is gerekend met oudere bedragen; "
            f"{amounts_missing(first.amounts_missing_since)}.")
