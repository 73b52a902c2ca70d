"""Earnings disregards, benefit norms and the monthly settlement: rules as data, arithmetic in integer cents."""

from vertrouwen.core.rules.policy import (
    FULL_TIME_HOURS_A_MONTH,
    MAX_EARNINGS_CENTS,
    MonthCase,
    Regime,
    SettledMonths,
    age_on,
    bonus_due,
    months_used_before,
    settle_case,
    settle_cases,
    summary,
)
from vertrouwen.core.rules.rulebook import BenefitNorm, DisregardRule, RuleBook, RuleMissing
from vertrouwen.core.rules.settlement import Settlement, settle, settle_months
from vertrouwen.core.rules.tables import BENEFIT_NORMS, DISREGARD_RULES


def shipped_rulebook() -> RuleBook:
    """The rule tables that ship with vertrouwen (tables.py)."""
    return RuleBook(DISREGARD_RULES, BENEFIT_NORMS)


__all__ = ["BENEFIT_NORMS", "DISREGARD_RULES", "FULL_TIME_HOURS_A_MONTH", "MAX_EARNINGS_CENTS",
           "BenefitNorm", "DisregardRule",
           "MonthCase", "Regime", "RuleBook", "RuleMissing", "SettledMonths", "Settlement", "age_on", "bonus_due",
           "months_used_before", "settle", "settle_case", "settle_cases", "settle_months",
           "shipped_rulebook", "summary"]
