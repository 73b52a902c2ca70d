"""Earnings disregards, benefit norms and the monthly settlement: rules as data, arithmetic in integer cents."""

from vertrouwen.core.rules.policy import (
    FULL_TIME_HOURS_A_MONTH,
    MAX_EARNINGS_CENTS,
    NO_BONUS,
    History,
    JobBonus,
    MonthCase,
    Regime,
    SettledMonths,
    after_sub_n,
    age_on,
    decision_in_force,
    described,
    effective_regime,
    months_used,
    rule_in_force,
    settle_case,
    settle_cases,
    sub_n_granted,
    summary,
    used_before,
)
from vertrouwen.core.rules.rulebook import (
    BenefitNorm,
    Counting,
    DisregardRule,
    LawChange,
    RuleBook,
    RuleMissing,
    amounts_missing,
)
from vertrouwen.core.rules.settlement import Settlement, settle, settle_months
from vertrouwen.core.rules.tables import (
    BENEFIT_NORMS,
    COUNTING,
    DISREGARD_RULES,
    LAW_CHANGES,
    TOLERANCE_YEAR,
    YOUNG_DISREGARD_FROM,
)


def shipped_rulebook() -> RuleBook:
    """The rule tables that ship with vertrouwen (tables.py)."""
    return RuleBook(DISREGARD_RULES, BENEFIT_NORMS, COUNTING, YOUNG_DISREGARD_FROM)


__all__ = ["BENEFIT_NORMS", "COUNTING", "DISREGARD_RULES", "FULL_TIME_HOURS_A_MONTH", "LAW_CHANGES",
           "MAX_EARNINGS_CENTS", "NO_BONUS", "TOLERANCE_YEAR", "YOUNG_DISREGARD_FROM", "BenefitNorm", "Counting",
           "DisregardRule", "History", "JobBonus", "LawChange", "MonthCase", "Regime", "RuleBook", "RuleMissing",
           "SettledMonths", "Settlement", "after_sub_n", "age_on", "amounts_missing", "decision_in_force", "described",
           "effective_regime", "months_used", "rule_in_force", "settle", "settle_case", "settle_cases",
           "settle_months", "shipped_rulebook", "sub_n_granted", "summary", "used_before"]
