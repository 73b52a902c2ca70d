"""The monthly settlement of one person's earnings against their benefit, and the same for many at once.

Per month: the disregard is the rule's percentage of the earnings, at most its maximum, while the months it may
apply last and the person is old enough; the rest of the earnings is deducted from the norm; the benefit paid is
what remains, never below zero. A month in which the disregard applied counts towards the rule's months.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from vertrouwen.core import codes
from vertrouwen.core.formatting import euro
from vertrouwen.core.rules.rulebook import BenefitNorm, DisregardRule


@dataclass(frozen=True)
class Settlement:
    month: date
    earnings_cents: int
    norm_cents: int
    disregarded_cents: int
    deducted_cents: int
    benefit_cents: int
    months_used: int  # months the rule has applied, this one included
    bonus_cents: int
    rule_max_cents: int = 0
    lines: tuple[str, ...] = field(default=(), compare=False)

    @property
    def disregard_at_maximum(self) -> bool:
        """The disregard was cut off at the rule's monthly maximum."""
        return 0 < self.disregarded_cents == self.rule_max_cents

    @property
    def total_income_cents(self) -> int:
        """Benefit plus earnings (and a bonus): what the person has this month."""
        return self.benefit_cents + self.earnings_cents + self.bonus_cents


def settle(month: date, earnings_cents: int, norm: BenefitNorm, rule: DisregardRule, *, months_used: int = 0,
           age: int | None = None, bonus_cents: int = 0) -> Settlement:
    """One person's month, with its explanation in Dutch, line by line."""
    if earnings_cents < 0:
        raise ValueError("inkomsten kunnen niet negatief zijn")
    household = codes.HOUSEHOLD_TYPES.get(norm.household_type, norm.household_type).lower()
    origin = f" (geldig vanaf {norm.valid_from:%d-%m-%Y}; bron: {norm.source})" if norm.source else ""
    lines = [f"Bijstandsnorm {household}: {euro(norm.cents)}{origin}.",
             f"Opgegeven inkomsten: {euro(earnings_cents)}."]
    disregarded, reason = _disregard(earnings_cents, rule, months_used, age)
    used = months_used + (1 if disregarded > 0 else 0)
    lines.append(reason)
    if disregarded and rule.max_months is not None:
        lines.append(f"Teller: maand {used} van de {rule.max_months} waarin deze vrijlating mag gelden.")
    deducted = earnings_cents - disregarded
    benefit = max(0, norm.cents - deducted)
    lines.append(f"Verrekend met de uitkering: {euro(earnings_cents)} − {euro(disregarded)} = {euro(deducted)}.")
    lines.append(f"Uitkering: {euro(norm.cents)} − {euro(deducted)} = {euro(benefit)}"
                 + (" (niet minder dan nul)." if norm.cents < deducted else "."))
    if bonus_cents:
        lines.append(f"Premie bij werk: {euro(bonus_cents)}.")
    return Settlement(month, earnings_cents, norm.cents, disregarded, deducted, benefit, used, bonus_cents,
                      rule.max_cents, tuple(lines))


def _disregard(earnings: int, rule: DisregardRule, months_used: int, age: int | None) -> tuple[int, str]:
    label = codes.SETTLEMENT_REGIMES[rule.regime]
    if rule.regime == "none" or earnings == 0:
        return 0, f"{label}: niets vrijgelaten." if rule.regime == "none" else "Geen inkomsten, dus geen vrijlating."
    if rule.min_age is not None and (age is None or age < rule.min_age):
        return 0, f"{label}: geldt niet onder de {rule.min_age} jaar; niets vrijgelaten."
    if rule.max_months is not None and months_used >= rule.max_months:
        return 0, f"{label}: de {rule.max_months} maanden zijn gebruikt; niets vrijgelaten."
    full = earnings * rule.percent_bp // 10_000
    if full >= rule.max_cents:
        return rule.share(earnings), (f"{label}: {rule.percent_label} van {euro(earnings)} is {euro(full)}, meer "
                                      f"dan het maximum; vrijgelaten: het maximum {euro(rule.max_cents)}.")
    return rule.share(earnings), f"{label}: {rule.percent_label} van {euro(earnings)} vrijgelaten: {euro(full)}."


def settle_months(earnings: np.ndarray, norms: np.ndarray, percent_bp: np.ndarray, max_cents: np.ndarray,
                  max_months: np.ndarray, eligible: np.ndarray, months_used: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The same arithmetic for many persons in one month, vectorized: int64 arrays of cents; max_months -1 for no
    limit; `eligible` False where the rule does not apply (age). Returns disregarded, deducted, benefit and the
    months used afterwards. The months of a person follow one another: call this once per month."""
    share = np.minimum(earnings * percent_bp // 10_000, max_cents)
    room = (max_months < 0) | (months_used < max_months)
    disregarded = np.where(eligible & room & (earnings > 0), share, 0)
    deducted = earnings - disregarded
    benefit = np.maximum(norms - deducted, 0)
    return disregarded, deducted, benefit, months_used + (disregarded > 0)
