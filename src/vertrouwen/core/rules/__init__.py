"""Earnings disregards, benefit norms and the monthly settlement: rules as data, arithmetic in integer cents."""

from vertrouwen.core.rules.policy import (
    FULL_TIME_HOURS_A_MONTH,
    MAX_EARNINGS_CENTS,
    NO_BONUS,
    JobBonus,
    MonthCase,
    Regime,
    SettledMonths,
    after_sub_n,
    age_on,
    effective_regime,
    months_used_before,
    rule_in_force,
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


__all__ = ["BENEFIT_NORMS", "DISREGARD_RULES", "FULL_TIME_HOURS_A_MONTH", "MAX_EARNINGS_CENTS", "NO_BONUS",
           "BenefitNorm", "DisregardRule", "JobBonus", "MonthCase", "Regime", "RuleBook", "RuleMissing",
           "SettledMonths", "Settlement", "after_sub_n", "age_on", "effective_regime", "months_used_before",
           "rule_in_force", "settle", "settle_case", "settle_cases", "settle_months", "shipped_rulebook", "summary"]
