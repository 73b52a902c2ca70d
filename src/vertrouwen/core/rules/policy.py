"""The settlement policy: the regime a person is settled by, their age, the job bonus, and a month settled from
plain inputs. The web layer loads these inputs and writes the result; it decides nothing of its own.

`settle_case` settles one person's month with its Dutch explanation (the calculator, a correction, a page);
`settle_cases` settles many persons' month at once with the same rules (the monthly run). A test requires
that both give the same result for every case.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np

from vertrouwen.core import codes
from vertrouwen.core.formatting import euro
from vertrouwen.core.rules.rulebook import DisregardRule, RuleBook
from vertrouwen.core.rules.settlement import Settlement, settle, settle_months

# More earnings in a month than this is a typing error, not part-time work: every form and command refuses it.
MAX_EARNINGS_CENTS = 2_000_000
# 27 hours a week (the national evaluation's full-time work) times 52 / 12: the hours that earn the job bonus.
FULL_TIME_HOURS_A_MONTH = 117


class Regime(StrEnum):
    """The disregard a month is settled by (codes.SETTLEMENT_REGIMES)."""

    STANDARD = "standard"
    SINGLE_PARENT = "single_parent"
    EXPERIMENT = "experiment"
    NONE = "none"

    @classmethod
    def of_arm(cls, arm_regime: str | None) -> "Regime":
        """The regime of a group's disregard (codes.DISREGARD_REGIMES); outside a group, the standard one."""
        return cls.STANDARD if arm_regime is None else cls(codes.REGIME_OF_ARM[arm_regime])

    @property
    def label(self) -> str:
        return codes.SETTLEMENT_REGIMES[self.value]


def age_on(day: date, birth_date: date | None, birth_year: int | None) -> int | None:
    """Age in whole years on `day`; from the birth year alone where the date is not known."""
    if birth_date is not None:
        return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    return day.year - birth_year if birth_year else None


def months_used_before(previous: tuple[str, int] | None, regime: str) -> int:
    """The months of the disregard used up to last month: last month's count, when it had the same regime."""
    return previous[1] if previous is not None and previous[0] == regime else 0


def bonus_due(hours: float | None, job_bonus_cents: int) -> int:
    """The group's job bonus is due in a month with full-time hours."""
    return job_bonus_cents if hours is not None and hours >= FULL_TIME_HOURS_A_MONTH else 0


def summary(rule: DisregardRule) -> str:
    """What a rule lets a person keep, in Dutch, from the rule table: '50% van de inkomsten, hoogstens € 199 per
    maand, zolang het experiment duurt'."""
    if rule.regime == Regime.NONE:
        return "alle inkomsten worden verrekend met de uitkering"
    parts = [f"{rule.percent_label} van de inkomsten, hoogstens {euro(rule.max_cents)} per maand"]
    if rule.max_months is not None:
        parts.append(f"gedurende {rule.max_months} maanden")
    elif rule.regime == Regime.EXPERIMENT:
        parts.append("zolang het experiment duurt")
    if rule.min_age is not None:
        parts.append(f"vanaf {rule.min_age} jaar")
    return ", ".join(parts)


@dataclass(frozen=True)
class MonthCase:
    """One person's month, as plain values: what the settlement needs to know and nothing else."""

    month: date
    household_type: str
    regime: Regime
    earnings_cents: int = 0
    hours: float | None = None
    age: int | None = None
    months_used: int = 0  # months the regime's disregard applied before this month
    job_bonus_cents: int = 0  # the group's bonus, due with full-time hours


def settle_case(book: RuleBook, case: MonthCase) -> Settlement:
    """One person's month by the rules in force in that month, explained line by line."""
    return settle(case.month, case.earnings_cents, book.norm(case.household_type, case.month),
                  book.rule(case.regime, case.month), months_used=case.months_used, age=case.age,
                  bonus_cents=bonus_due(case.hours, case.job_bonus_cents))


@dataclass(frozen=True)
class SettledMonths:
    """Many persons' month, one array element per person; max_months and min_age are -1 where a rule has none."""

    norm: np.ndarray
    percent_bp: np.ndarray
    max_cents: np.ndarray
    max_months: np.ndarray
    min_age: np.ndarray
    disregarded: np.ndarray
    deducted: np.ndarray
    benefit: np.ndarray
    months_used: np.ndarray
    bonus: np.ndarray


def settle_cases(book: RuleBook, month: date, *, household: list[str], regime: list[Regime], age: np.ndarray,
                 earnings: np.ndarray, hours: np.ndarray, job_bonus: np.ndarray, months_used: np.ndarray
                 ) -> SettledMonths:
    """`settle_case` for many persons of one month; `age` -1 where unknown. Raises RuleMissing when a norm or
    rule is not known in the month."""
    norms = {h: book.norm(h, month).cents for h in set(household)}
    rules = {r: book.rule(r, month) for r in set(regime)}

    def per_person(pick, keys) -> np.ndarray:
        return np.array([-1 if (v := pick(k)) is None else v for k in keys], dtype=np.int64)

    norm = per_person(norms.__getitem__, household)
    percent = per_person(lambda r: rules[r].percent_bp, regime)
    maximum = per_person(lambda r: rules[r].max_cents, regime)
    max_months = per_person(lambda r: rules[r].max_months, regime)
    min_age = per_person(lambda r: rules[r].min_age, regime)
    eligible = (min_age < 0) | ((age >= 0) & (age >= min_age))
    disregarded, deducted, benefit, used = settle_months(earnings, norm, percent, maximum, max_months, eligible,
                                                         months_used)
    bonus = np.where(hours >= FULL_TIME_HOURS_A_MONTH, job_bonus, 0)
    return SettledMonths(norm, percent, maximum, max_months, min_age, disregarded, deducted, benefit, used, bonus)
