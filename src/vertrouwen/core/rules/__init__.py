"""Earnings disregards, benefit norms and the monthly settlement: rules as data, arithmetic in integer cents."""

from vertrouwen.core.rules.rulebook import (
    REGIME_LABELS,
    REGIME_OF_ARM,
    REGIMES,
    BenefitNorm,
    DisregardRule,
    RuleBook,
    RuleMissing,
)
from vertrouwen.core.rules.settlement import Settlement, settle, settle_months
from vertrouwen.core.rules.tables import BENEFIT_NORMS, DISREGARD_RULES


def shipped_rulebook() -> RuleBook:
    """The rule tables that ship with vertrouwen (tables.py)."""
    return RuleBook(DISREGARD_RULES, BENEFIT_NORMS)


__all__ = ["BENEFIT_NORMS", "DISREGARD_RULES", "REGIMES", "REGIME_LABELS", "REGIME_OF_ARM", "BenefitNorm",
           "DisregardRule", "RuleBook", "RuleMissing", "Settlement", "settle", "settle_months", "shipped_rulebook"]
