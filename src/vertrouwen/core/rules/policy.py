"""The settlement policy: the regime a person is settled by, their age, the job bonus, and a month settled from
plain inputs. The web layer loads these inputs and writes the result; it decides nothing of its own.

`settle_case` settles one person's month with its Dutch explanation (the calculator, a correction, a page);
`settle_cases` settles many persons' month at once with the same rules (the monthly run). A test requires
that both give the same result for every case.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np

from vertrouwen.core import codes
from vertrouwen.core.formatting import euro, long_date
from vertrouwen.core.months import months_between, next_month
from vertrouwen.core.rules.rulebook import BenefitNorm, DisregardRule, RuleBook, RuleMissing
from vertrouwen.core.rules.settlement import Settlement, settle, settle_months
from vertrouwen.core.rules.tables import AGE_LIMIT, DISREGARD_RULES

# More earnings in a month than this is a typing error, not part-time work: every form and command refuses it.
MAX_EARNINGS_CENTS = 2_000_000
SINGLE_PARENT_HOUSEHOLD = "alleenstaande_ouder"
DECREE = next(rule for rule in DISREGARD_RULES if rule.regime == "experiment")  # the shipped decree, with its window
# 27 hours a week (the national evaluation's full-time work) times 52 / 12: full-time hours in a month.
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


# A person's settled months as (month, regime, cents disregarded).
History = Iterable[tuple[date, str, int]]


def months_used(count: int, first: date | None, month: date, consecutive: bool) -> int:
    """A regime's months used before `month`: the `count` months in which its disregard applied, the first of them
    `first`; where the law counts one consecutive period (book.consecutive), every calendar month since the first."""
    return months_between(first, month) if consecutive and first is not None else count


def used_before(book: RuleBook, history: History, month: date) -> dict[Regime, int]:
    """Each regime's months used before `month`, from the person's whole settled history: so the order months are
    settled in does not matter."""
    applied = [(settled, regime) for settled, regime, disregarded in history if settled < month and disregarded > 0]
    return {regime: months_used(sum(1 for _, r in applied if r == regime),
                                min((m for m, r in applied if r == regime), default=None), month,
                                book.consecutive(regime, month))
            for regime in Regime}


@dataclass(frozen=True)
class JobBonus:
    """A group's job bonus, the municipality's own premium: paid once for each end of benefit for work with at least
    `min_hours_a_week` in the month of exit, never more than `max_per_year_cents` to one person in a calendar year."""

    cents: int = 0
    min_hours_a_week: int = 0
    max_per_year_cents: int = 0

    @classmethod
    def of(cls, arm) -> "JobBonus":
        """The bonus of a group (a dataset's or the register's arm); none outside a group."""
        if arm is None or not arm.job_bonus_cents:
            return NO_BONUS
        return cls(arm.job_bonus_cents, arm.job_bonus_min_hours_a_week, arm.job_bonus_max_per_year_cents)

    @property
    def summary(self) -> str:
        """When the bonus is paid, in Dutch: 'eenmaal per uitstroom naar werk van ten minste 32 uur per week,
        hoogstens € 2.400,00 per jaar'."""
        hours = f" van ten minste {self.min_hours_a_week} uur per week" if self.min_hours_a_week else ""
        return f"eenmaal per uitstroom naar werk{hours}, hoogstens {euro(self.max_per_year_cents)} per jaar"

    def qualifies(self, exits_to_work: bool, hours: float | None) -> bool:
        """The month holds the bonus's event: the benefit ends for work, with the hours a week it asks (a month
        has 52 / 12 weeks)."""
        if not exits_to_work or not self.min_hours_a_week:
            return exits_to_work
        return hours is not None and hours * 12 >= self.min_hours_a_week * 52

    def due(self, exits_to_work: bool, hours: float | None, paid_this_year_cents: int) -> int:
        """The bonus this month: once for the event, cut to what the year's maximum still leaves."""
        if not self.cents or not self.qualifies(exits_to_work, hours):
            return 0
        return min(self.cents, max(0, self.max_per_year_cents - paid_this_year_cents))


NO_BONUS = JobBonus()


def decision_in_force(decisions: Sequence[tuple[date, bool]], month: date) -> int | None:
    """Which of a person's decisions on the standard disregard, as (from, granted) in the order they were made,
    decides in `month`: the newest that holds from before the month's end; None without one."""
    in_force = [k for k, (valid_from, _) in enumerate(decisions) if valid_from < next_month(month)]
    return in_force[-1] if in_force else None


def sub_n_granted(decisions: Sequence[tuple[date, bool]], month: date, by_default: bool) -> bool:
    """Whether the college grants the standard disregard (art. 31 lid 2 sub n Pw) in `month`: by the decision in
    force (decision_in_force); without one, the municipality's default."""
    k = decision_in_force(decisions, month)
    return by_default if k is None else decisions[k][1]


def summary(rule: DisregardRule) -> str:
    """What a rule lets a person keep, in Dutch, from the rule table: '50% van de inkomsten, hoogstens € 199 per
    maand, zolang het experiment duurt'."""
    if rule.regime == Regime.NONE:
        return "alle inkomsten worden verrekend met de uitkering"
    parts = [f"{rule.percent_label} van de inkomsten, hoogstens {euro(rule.max_cents)} per maand"]
    if rule.max_months is not None:
        parts.append(f"gedurende {rule.max_months} maanden")
    if rule.regime == Regime.EXPERIMENT:
        parts.append("zolang het experiment duurt")
    if rule.min_age is not None:
        parts.append(f"vanaf {rule.min_age} jaar")
    return ", ".join(parts)


def described(rule: DisregardRule) -> str:
    """The rule's regime and what it lets a person keep: 'Standaard vrijlating (art. 31 lid 2 sub n Pw): 25% van
    de inkomsten, ...'."""
    return f"{Regime(rule.regime).label}: {summary(rule)}"


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
    bonus_cents: int = 0  # the job bonus due this month (JobBonus.due)
    sub_n_granted: bool = True  # the college's decision on the standard disregard for this person (art. 31 lid 2 n)


def decree_problem(period_start: date, period_end: date) -> str | None:
    """Why an experiment in this period cannot give the decree's extra disregard, or None when it can: the Tijdelijk
    besluit experimenten Participatiewet held from 1 April 2017 until it lapsed on 1 April 2021."""
    decree = DECREE
    if decree.valid_from <= period_start and period_end < decree.valid_until:
        return None
    return (f"extra vrijlating kan alleen onder het Tijdelijk besluit experimenten Participatiewet, dat gold van "
            f"{decree.valid_from:%d-%m-%Y} tot {decree.valid_until:%d-%m-%Y}; een experiment van "
            f"{period_start:%d-%m-%Y} tot en met {period_end:%d-%m-%Y} kan het niet gebruiken. Binnen de "
            f"Participatiewet kunt u wel vrijstellen van verplichtingen en intensiever begeleiden (sjabloon "
            f"'Experiment binnen de Participatiewet')")


def rule_in_force(book: RuleBook, regime: Regime, month: date) -> tuple[DisregardRule, tuple[str, ...]]:
    """The disregard rule a month is settled by, and why, when it is not the regime's own: outside the experiment
    decree's window (1 April 2017 to 1 April 2021, Stb. 2017, 69) an experiment group has the standard
    disregard, as the law has no other."""
    if regime == Regime.EXPERIMENT:
        try:
            rule = book.rule(regime, month)
        except RuleMissing:
            rule = None
        if rule is None or not rule.in_force(month):
            decree = rule if rule is not None and rule.valid_until else DECREE
            return book.rule(Regime.STANDARD, month), (
                f"{Regime.EXPERIMENT.label} geldt niet in {month:%m-%Y}: het Tijdelijk besluit experimenten "
                f"Participatiewet (Stb. 2017, 69) gold van {long_date(decree.valid_from)} tot "
                f"{long_date(decree.valid_until)}. Deze maand geldt de standaard vrijlating.",)
    return book.rule(regime, month), ()


def effective_regime(book: RuleBook, regime: Regime, month: date) -> Regime:
    """The regime a month is settled by: the group's own, or the standard one outside the decree's window."""
    return Regime(rule_in_force(book, regime, month)[0].regime)


def after_sub_n(book: RuleBook, regime: Regime, household_type: str, month: date,
                used: Mapping[str, int]) -> Regime:
    """Sub r follows sub n (art. 31 lid 2 sub r Pw): a single parent whose months of the standard disregard are used
    goes on with the single-parent disregard, for the months that allows. `used` counts the months each regime's
    disregard applied before this month. That the child is under 12 is taken from the household type."""
    if regime == Regime.STANDARD and household_type == SINGLE_PARENT_HOUSEHOLD:
        standard = book.rule(Regime.STANDARD, month)
        if standard.max_months is not None and used.get(Regime.STANDARD, 0) >= standard.max_months:
            return Regime.SINGLE_PARENT
    return regime


def amounts_missing_since(book: RuleBook, norm: BenefitNorm, rule: DisregardRule, month: date) -> date | None:
    """The earliest indexation date whose amounts are missing for this norm and rule in `month`."""
    missing = [d for d in (book.missing_since(norm, month), book.missing_since(rule, month)) if d is not None]
    return min(missing, default=None)


def settle_case(book: RuleBook, case: MonthCase) -> Settlement:
    """One person's month by the rules in force in that month, explained line by line."""
    norm = book.norm(case.household_type, case.month)
    rule, notes = rule_in_force(book, case.regime, case.month)
    if book.young_from and book.young_from <= case.month and rule.indexed and case.age is not None \
            and case.age < AGE_LIMIT:
        notes += (f"Participatiewet in balans: vanaf {long_date(book.young_from)} geldt de vrijlating ook onder de "
                  f"{AGE_LIMIT} jaar (wettekst niet bevestigd).",)
    return settle(case.month, case.earnings_cents, norm, rule, months_used=case.months_used, age=case.age,
                  bonus_cents=case.bonus_cents,
                  amounts_missing_since=amounts_missing_since(book, norm, rule, case.month), notes=notes,
                  consecutive=book.consecutive(rule.regime, case.month),
                  granted=case.sub_n_granted or rule.regime != Regime.STANDARD)


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
    no_entitlement: np.ndarray
    amounts_missing_since: list[date | None]


def settle_cases(book: RuleBook, month: date, *, household: list[str], regime: list[Regime], age: np.ndarray,
                 earnings: np.ndarray, bonus: np.ndarray, months_used: np.ndarray,
                 sub_n_granted: np.ndarray | None = None) -> SettledMonths:
    """`settle_case` for many persons of one month; `age` -1 where unknown, `bonus` the job bonus due,
    `sub_n_granted` the college's decision per person (all granted when None). Raises RuleMissing when a norm or
    rule is not known in the month."""
    norm_rows = {h: book.norm(h, month) for h in set(household)}
    norms = {h: row.cents for h, row in norm_rows.items()}
    rules = {r: rule_in_force(book, r, month)[0] for r in set(regime)}

    def per_person(pick, keys) -> np.ndarray:
        return np.array([-1 if (v := pick(k)) is None else v for k in keys], dtype=np.int64)

    norm = per_person(norms.__getitem__, household)
    percent = per_person(lambda r: rules[r].percent_bp, regime)
    maximum = per_person(lambda r: rules[r].max_cents, regime)
    max_months = per_person(lambda r: rules[r].max_months, regime)
    min_age = per_person(lambda r: rules[r].min_age, regime)
    eligible = (min_age < 0) | ((age >= 0) & (age >= min_age))
    if sub_n_granted is not None:
        standard = np.array([rules[r].regime == Regime.STANDARD for r in regime], dtype=bool)
        eligible &= sub_n_granted | ~standard
    disregarded, deducted, benefit, used, no_entitlement = settle_months(earnings, norm, percent, maximum,
                                                                         max_months, eligible, months_used)
    missing = {(h, r): amounts_missing_since(book, norm_rows[h], rules[r], month) for h in norm_rows for r in rules}
    return SettledMonths(norm, percent, maximum, max_months, min_age, disregarded, deducted, benefit, used, bonus,
                         no_entitlement,
                         [missing[h, r] for h, r in zip(household, regime, strict=True)])
