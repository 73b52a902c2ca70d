"""What do I keep? ("Wat houd ik over?"): month by month, the benefit and total income with the given earnings,
against not working, as the disregard's months run down. The same rules and arithmetic as the settlement."""

from dataclasses import dataclass
from datetime import date

from vertrouwen.core.months import add_months
from vertrouwen.core.rules.rulebook import RuleBook
from vertrouwen.core.rules.settlement import Settlement, settle

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
        month = add_months(start.replace(day=1), i)
        norm = book.norm(household_type, month)
        settlement = settle(month, earnings_cents, norm, book.rule(regime, month), months_used=used, age=age)
        used = settlement.months_used
        result.append(CalculatorMonth(settlement, norm.cents))
    return result
