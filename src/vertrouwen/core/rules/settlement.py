"""The monthly settlement of one person's earnings against their benefit, and the same for many at once.

Per month: the disregard is the rule's percentage of the earnings, at most its maximum, while the months it may
apply last and the person is old enough; the rest of the earnings is deducted from the norm; the benefit paid is
what remains. A month in which the disregard applied counts towards the rule's months.

A month whose earnings, after the disregard, are at least the norm gives no right to benefit (art. 11 and 31 Pw:
the means reach the norm): it pays nothing, uses no month of the disregard, and says so, so that the case manager
judges whether to end or suspend the benefit.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from vertrouwen.core import codes
from vertrouwen.core.formatting import euro
from vertrouwen.core.rules.rulebook import BenefitNorm, DisregardRule, amounts_missing


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
    rule_max_months: int | None = None  # the months the rule may apply
    no_entitlement: bool = False  # the means reach the norm: no right to benefit this month
    amounts_missing_since: date | None = None  # settled with older amounts: those of this indexation date are missing
    lines: tuple[str, ...] = field(default=(), compare=False)

    @property
    def disregard_at_maximum(self) -> bool:
        """The disregard was cut off at the rule's monthly maximum."""
        return 0 < self.disregarded_cents == self.rule_max_cents

    @property
    def months_left(self) -> int | None:
        """Months the disregard may still apply after this one; None when it has no limit."""
        return None if self.rule_max_months is None else max(0, self.rule_max_months - self.months_used)

    @property
    def total_income_cents(self) -> int:
        """Benefit plus earnings (and a bonus): what the person has this month."""
        return self.benefit_cents + self.earnings_cents + self.bonus_cents


NO_ENTITLEMENT = ("Geen recht op bijstand in deze maand: de inkomsten na vrijlating zijn ten minste de norm. Er is "
                  "geen vrijlatingsmaand gebruikt; beoordeel beëindigen of opschorten van de uitkering.")


def settle(month: date, earnings_cents: int, norm: BenefitNorm, rule: DisregardRule, *, months_used: int = 0,
           age: int | None = None, bonus_cents: int = 0, amounts_missing_since: date | None = None,
           notes: tuple[str, ...] = (), consecutive: bool = False, granted: bool = True) -> Settlement:
    """One person's month, with its explanation in Dutch, line by line; `notes` come first (why this rule).
    `granted` False: the college did not grant this disregard to the person (art. 31 lid 2 sub n)."""
    if earnings_cents < 0:
        raise ValueError("inkomsten kunnen niet negatief zijn")
    household = codes.HOUSEHOLD_TYPES.get(norm.household_type, norm.household_type).lower()
    holiday = f"waarvan vakantietoeslag {euro(norm.holiday_cents)}; " if norm.holiday_cents else ""
    origin = f" ({holiday}geldig vanaf {norm.valid_from:%d-%m-%Y}; bron: {norm.source})" if norm.source else ""
    lines = [*notes, f"Bijstandsnorm {household}: {euro(norm.cents)}{origin}.",
             f"Opgegeven netto inkomsten: {euro(earnings_cents)}."]
    if amounts_missing_since is not None:
        lines.append(f"Let op: {amounts_missing(amounts_missing_since)}; gerekend met de oudere bedragen hierboven.")
    disregarded, reason = _disregard(earnings_cents, rule, months_used, age) if granted else (
        0, f"{codes.SETTLEMENT_REGIMES[rule.regime]}: niet toegekend door het college (alleen waar die bijdraagt "
           f"aan de arbeidsinschakeling); niets vrijgelaten.")
    no_entitlement = earnings_cents > 0 and earnings_cents - disregarded >= norm.cents
    lines += [NO_ENTITLEMENT] if no_entitlement and disregarded else [reason, *[NO_ENTITLEMENT] * no_entitlement]
    if no_entitlement:
        disregarded = 0
    used = months_used + (1 if disregarded > 0 else 0)
    if disregarded and rule.max_months is not None:
        period = "aaneengesloten maanden vanaf de eerste maand met deze vrijlating" if consecutive else \
            "maanden waarin deze vrijlating mag gelden"
        lines.append(f"Teller: maand {used} van de {rule.max_months} {period}.")
    deducted = earnings_cents - disregarded
    benefit = max(0, norm.cents - deducted)
    lines.append(f"Verrekend met de uitkering: {euro(earnings_cents)} − {euro(disregarded)} = {euro(deducted)}.")
    lines.append(f"Uitkering: {euro(norm.cents)} − {euro(deducted)} = {euro(benefit)}"
                 + (" (niet minder dan nul)." if norm.cents < deducted else "."))
    if bonus_cents:
        lines.append(f"Premie bij uitstroom naar werk: {euro(bonus_cents)}.")
    return Settlement(month, earnings_cents, norm.cents, disregarded, deducted, benefit, used, bonus_cents,
                      rule.max_cents, rule.max_months, no_entitlement, amounts_missing_since, tuple(lines))


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
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The same arithmetic for many persons in one month, vectorized: int64 arrays of cents; max_months -1 for no
    limit; `eligible` False where the rule does not apply (age). Returns disregarded, deducted, benefit, the
    months used afterwards and where there is no right to benefit. The months of a person follow one another: call
    this once per month."""
    share = np.minimum(earnings * percent_bp // 10_000, max_cents)
    room = (max_months < 0) | (months_used < max_months)
    disregarded = np.where(eligible & room & (earnings > 0), share, 0)
    no_entitlement = (earnings > 0) & (earnings - disregarded >= norms)
    disregarded = np.where(no_entitlement, 0, disregarded)
    deducted = earnings - disregarded
    benefit = np.maximum(norms - deducted, 0)
    return disregarded, deducted, benefit, months_used + (disregarded > 0), no_entitlement
