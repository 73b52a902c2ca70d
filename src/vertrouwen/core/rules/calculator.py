"""What do I keep? ("Wat houd ik over?"): month by month, the benefit and total income with the given earnings,
against not working, as the disregard's months run down. The same rules and arithmetic as the settlement."""

from dataclasses import dataclass
from datetime import date

from vertrouwen.core.months import add_months
from vertrouwen.core.rules.policy import MonthCase, Regime, settle_case
from vertrouwen.core.rules.rulebook import RuleBook
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
                "months_used": s.months_used}


def calculate(book: RuleBook, *, regime: str, household_type: str, start: date, earnings_cents: int,
              months: int = 12, age: int | None = None, months_used: int = 0) -> list[CalculatorMonth]:
    """The coming `months` from the month of `start`."""
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"aantal maanden: van 1 tot en met {MAX_MONTHS}")
    result, used = [], months_used
    for i in range(months):
        settlement = settle_case(book, MonthCase(add_months(start.replace(day=1), i), household_type,
                                                 Regime(regime), earnings_cents, age=age, months_used=used))
        used = settlement.months_used
        result.append(CalculatorMonth(settlement, settlement.norm_cents))
    return result
