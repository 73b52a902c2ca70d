"""Reading the rule tables and the settlements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Min

from vertrouwen.core import codes, rules
from vertrouwen.core.rules import RuleBook
from vertrouwen.core.rules.settlement import Settlement as CoreSettlement
from vertrouwen.web.registry.models import Municipality
from vertrouwen.web.settlement.models import BenefitNorm, DisregardRule, Settlement, SettlementRun, SubNDecision

RULE_FIELDS = ("regime", "valid_from", "percent_bp", "max_cents", "max_months", "min_age", "source", "confirmed",
               "valid_until")
NORM_FIELDS = ("household_type", "valid_from", "cents", "source", "confirmed", "holiday_cents")


COUNTING = RuleBook([], [], rules.COUNTING)  # how the law counted months, for explaining a stored settlement


def rulebook(municipality_id: int | None = None) -> RuleBook:
    """The rule tables as they are in the database now; for a municipality, with its early start of the disregard
    under 27 in the tolerance year (Participatiewet in balans)."""
    early = Municipality.objects.filter(pk=municipality_id).values_list("young_disregard_from", flat=True).first() \
        if municipality_id is not None else None
    young_from = min(early, rules.YOUNG_DISREGARD_FROM) if early else rules.YOUNG_DISREGARD_FROM
    return RuleBook([rules.DisregardRule(**row) for row in DisregardRule.objects.values(*RULE_FIELDS)],
                    [rules.BenefitNorm(**row) for row in BenefitNorm.objects.values(*NORM_FIELDS)], rules.COUNTING,
                    young_from)


def months_used_by(persons, month: date, book: RuleBook) -> dict[tuple[int, str], int]:
    """Each person's months used of each regime before `month`, from their whole settled history, as the core
    counts them (rules.months_used): the SQL twin of rules.used_before, for many persons at once."""
    applied = Settlement.objects.filter(person__in=persons, month__lt=month, is_current=True, disregarded_cents__gt=0)
    return {(person, regime): rules.months_used(count, first, month, book.consecutive(regime, month))
            for person, regime, count, first in applied.values_list("person_id", "regime")
            .annotate(count=Count("id"), first=Min("month")).order_by()}


def sub_n_decisions(persons) -> dict[int, list[tuple[date, bool]]]:
    """Each person's decisions on the standard disregard as (from, granted), in the order they were made
    (rules.sub_n_granted reads them: a newer decision replaces an older one from its date)."""
    decisions: dict[int, list[tuple[date, bool]]] = {}
    for person, valid_from, granted in SubNDecision.objects.filter(person__in=persons).order_by(
            "person_id", "id").values_list("person_id", "valid_from", "granted"):
        decisions.setdefault(person, []).append((valid_from, granted))
    return decisions


def history_of(person) -> list[tuple[date, str, int]]:
    """A person's settled months as (month, regime, cents disregarded): rules.History."""
    return list(Settlement.objects.filter(person=person, is_current=True).order_by("month")
                .values_list("month", "regime", "disregarded_cents"))


def missing_amounts(today: date) -> list[str]:
    """In Dutch, each norm and indexed disregard whose newest amounts are missing today."""
    book = rulebook()
    found = []
    for row in [*book.norms, *(r for r in book.rules if r.indexed)]:
        is_newest = row is (book.norm(row.household_type, today) if isinstance(row, rules.BenefitNorm)
                            else book.rule(row.regime, today))
        if is_newest and (since := book.missing_since(row, today)):
            what = (f"Bijstandsnorm {codes.HOUSEHOLD_TYPES[row.household_type].lower()}"
                    if isinstance(row, rules.BenefitNorm) else rules.Regime(row.regime).label)
            found.append(f"{what}: {rules.amounts_missing(since)}; in gebruik zijn die van {row.valid_from:%d-%m-%Y}")
    return found


def explain(settlement: Settlement) -> CoreSettlement:
    """The settlement worked out again from what it kept, with its Dutch lines."""
    rule = rules.DisregardRule(settlement.regime, settlement.month, settlement.rule_percent_bp,
                               settlement.rule_max_cents, settlement.rule_max_months, settlement.rule_min_age)
    norm = rules.BenefitNorm(settlement.household_type, settlement.month, settlement.norm_cents)
    before = settlement.months_used - (1 if settlement.disregarded_cents > 0 else 0)
    return rules.settle(settlement.month, settlement.earnings_cents, norm, rule, months_used=before,
                        age=settlement.age, bonus_cents=settlement.bonus_cents,
                        amounts_missing_since=settlement.amounts_missing_since,
                        consecutive=COUNTING.consecutive(settlement.regime, settlement.month),
                        granted=settlement.sub_n_granted or settlement.regime != rules.Regime.STANDARD)


@dataclass(frozen=True)
class SettlementLine:
    settlement: Settlement
    lines: tuple[str, ...]
    versions: int


def current_settlements(person_id: int, limit: int | None = None) -> list[Settlement]:
    """The person's current settlements, newest first."""
    return list(Settlement.objects.filter(person_id=person_id, is_current=True).order_by("-month")[:limit])


def settlements_of(person_id: int, limit: int = 12, current: list[Settlement] | None = None) -> list[SettlementLine]:
    """The person's current settlements (or those given), newest first, each with its explanation and its number
    of versions."""
    current = current_settlements(person_id, limit) if current is None else current[:limit]
    return [SettlementLine(s, explain(s).lines, s.version) for s in current]


def runs(limit: int = 10) -> list[SettlementRun]:
    return list(SettlementRun.objects.select_related("municipality")[:limit])


def default_run_month(today: date) -> date:
    """The month to settle now: the last complete month, whose earnings have been declared."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)
