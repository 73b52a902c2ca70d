"""Power, minimum detectable effect and sample size for exit to work, a proportion per arm.

The test is the z-test of a difference in two independent proportions, in the normal approximation with the
pooled variance under H0 and the unpooled variance under H1, without continuity correction (Fleiss, Levin & Paik
2003, section 4.2; the same as R's power.prop.test with strict = TRUE and statsmodels' power_proportions_2indep).
Two-sided by default, where both tails count towards the power; one-sided (sided=1) tests only an increase, at the
full alpha in that tail. Effects are absolute differences in proportion units (0.05 is 5 percentage points),
treatment minus control.

Sample sizes keep the ratio of the arms: ratio = n_treatment / n_control (1 for equal arms).
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from scipy.optimize import brentq
from scipy.stats import norm

PER_ARM = "per_arm"  # each treatment arm against the control arm, Holm over the arms
POOLED = "pooled"  # all treatment arms together against the control arm, one test
_MAX_N = 10**9  # a sample size beyond any municipality: the search stops here
_CURVE_REACH = 2.5  # the power curve runs to this multiple of the per-arm MDE


# --- checks: messages are Dutch, they reach users of the planning screen -------------------------------------

def _check_proportion(name: str, value: float) -> None:
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name}: moet tussen 0 en 1 liggen (niet gelijk aan 0 of 1), gevonden: {value}")


def _check_level(name: str, value: float) -> None:
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name}: moet tussen 0 en 1 liggen, gevonden: {value}")


def _check_size(name: str, value: float) -> None:
    if not value >= 2:
        raise ValueError(f"{name}: moet minstens 2 personen zijn, gevonden: {value}")


def _check_effect(p_control: float, effect: float) -> None:
    if not 0.0 < effect < 1.0 - p_control:
        raise ValueError(f"effect: moet groter dan 0 zijn en kleiner dan {1.0 - p_control:.4f} (1 min het "
                         f"aandeel in de controlegroep), gevonden: {effect}")


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name}: moet een geheel getal van minstens 1 zijn, gevonden: {value}")


# --- the test for two proportions ---------------------------------------------------------------------------

def _check_sided(sided: int) -> None:
    if sided not in (1, 2):
        raise ValueError(f"sided: 1 (eenzijdig) of 2 (tweezijdig), gevonden: {sided}")


def _power(p_control: float, p_treatment: float, n_control: float, n_treatment: float, alpha: float,
           sided: int = 2) -> float:
    pooled = (n_control * p_control + n_treatment * p_treatment) / (n_control + n_treatment)
    se_null = math.sqrt(pooled * (1 - pooled) * (1 / n_control + 1 / n_treatment))
    se_alt = math.sqrt(p_control * (1 - p_control) / n_control + p_treatment * (1 - p_treatment) / n_treatment)
    critical = norm.isf(alpha / sided) * se_null
    if sided == 1:  # only an increase is tested
        return float(norm.sf((critical - (p_treatment - p_control)) / se_alt))
    difference = abs(p_treatment - p_control)
    # Rejection in the direction of the effect plus the (usually negligible) rejection in the other direction.
    return float(norm.sf((critical - difference) / se_alt) + norm.cdf((-critical - difference) / se_alt))


def power_two_proportions(p_control: float, p_treatment: float, n_control: float, n_treatment: float,
                          alpha: float = 0.05, sided: int = 2) -> float:
    """Power of the test of p_treatment = p_control at level alpha, with these arm sizes; two-sided, or one-sided
    against an increase."""
    _check_proportion("p_control", p_control)
    _check_proportion("p_treatment", p_treatment)
    _check_size("n_control", n_control)
    _check_size("n_treatment", n_treatment)
    _check_level("alpha", alpha)
    _check_sided(sided)
    return _power(p_control, p_treatment, n_control, n_treatment, alpha, sided)


def _mde(p_control: float, n_control: float, n_treatment: float, alpha: float, power: float,
         sided: int = 2) -> float:
    def shortfall(effect: float) -> float:
        return _power(p_control, p_control + effect, n_control, n_treatment, alpha, sided) - power

    # The power rises with the effect from alpha at 0; the root is the smallest effect with enough power.
    highest = (1.0 - p_control) * (1.0 - 1e-9)
    if shortfall(highest) < 0:
        raise ValueError(f"power: {power} is met {n_treatment:g} tegen {n_control:g} personen en een aandeel van "
                         f"{p_control} in de controlegroep niet haalbaar, ook niet bij een aandeel van 1 in de "
                         "behandelde groep")
    return float(brentq(shortfall, 0.0, highest, xtol=1e-12))


def minimum_detectable_effect(p_control: float, n_control: float, n_treatment: float, alpha: float = 0.05,
                              power: float = 0.8, sided: int = 2) -> float:
    """The smallest increase d > 0 with power_two_proportions(p_control, p_control + d, ...) >= power."""
    _check_proportion("p_control", p_control)
    _check_size("n_control", n_control)
    _check_size("n_treatment", n_treatment)
    _check_level("alpha", alpha)
    _check_level("power", power)
    _check_sided(sided)
    return _mde(p_control, n_control, n_treatment, alpha, power, sided)


def _closed_form_n(p_control: float, effect: float, ratio: float, alpha: float, power: float,
                   sided: int = 2) -> float:
    """n_treatment from the one-tail formula (Fleiss et al. 2003, eq. 4.19 for unequal arms), as a start."""
    p_treatment = p_control + effect
    pooled = (p_control + ratio * p_treatment) / (1 + ratio)
    null = norm.isf(alpha / sided) * math.sqrt(pooled * (1 - pooled) * (1 + ratio))
    alt = norm.isf(1 - power) * math.sqrt(ratio * p_control * (1 - p_control) + p_treatment * (1 - p_treatment))
    return ((null + alt) / effect) ** 2


def _smallest_n(power_at: Callable[[int], float], target: float, start: float) -> int:
    """The smallest integer n >= 2 with power_at(n) >= target, for power rising with n, searched from start."""
    n = min(max(2, math.ceil(start)), _MAX_N)
    while power_at(n) < target:
        if n >= _MAX_N:
            raise ValueError(f"power: {target} is pas haalbaar met meer dan {_MAX_N:,} personen per groep")
        n = min(2 * n, n + max(1, n // 100), _MAX_N)
    while n > 2 and power_at(n - 1) >= target:
        n -= 1
    return n


def sample_size(p_control: float, effect: float, ratio: float = 1.0, alpha: float = 0.05,
                power: float = 0.8, sided: int = 2) -> int:
    """Persons needed in one treatment arm (n_treatment) for the power, with n_control = n_treatment / ratio.

    The smallest integer with power_two_proportions(...) >= power, checked with the power function itself (the
    closed form, which ignores the far tail, only gives the starting point).
    """
    _check_proportion("p_control", p_control)
    _check_effect(p_control, effect)
    if not ratio > 0:
        raise ValueError(f"ratio: moet groter dan 0 zijn, gevonden: {ratio}")
    _check_level("alpha", alpha)
    _check_level("power", power)
    _check_sided(sided)
    return _smallest_n(lambda n: _power(p_control, p_control + effect, n / ratio, n, alpha, sided), power,
                       _closed_form_n(p_control, effect, ratio, alpha, power, sided))


def holm_alpha(alpha: float, comparisons: int) -> float:
    """The per-comparison level for planning under Holm's correction over `comparisons` tests: alpha / m.

    This is Holm's first and strictest step, the same as Bonferroni. Holm rejects at least what Bonferroni
    rejects, so power computed at this level is a conservative (lower) bound of the power under Holm.
    """
    _check_level("alpha", alpha)
    _check_count("comparisons", comparisons)
    return alpha / comparisons


# --- a whole design: treatment arms against one control arm ---------------------------------------------------

@dataclass(frozen=True)
class ComparisonPower:
    """One comparison of the design: its level, arm sizes, MDE, and power and sample size per planned effect."""

    comparison: str  # PER_ARM or POOLED
    alpha: float  # the level of each test (after Holm for PER_ARM)
    n_treatment: int  # persons in the treated group of the comparison (all arms together for POOLED)
    n_control: int
    mde: float  # absolute, in proportion units
    mde_proportion: float  # the treated proportion at the MDE: baseline + mde
    effects: tuple[float, ...]
    power_at: tuple[float, ...]  # power at each effect
    n_per_arm_needed: tuple[int, ...]  # persons per treatment arm for each effect, at the design's arm ratio


@dataclass(frozen=True)
class CurvePoint:
    effect: float
    power_per_arm: float
    power_pooled: float


@dataclass(frozen=True)
class PowerAnalysis:
    """The power of a design with `arms` treatment arms of n_per_arm persons against a control arm of n_control.

    Per arm: each arm against control at the Holm planning level alpha / arms. Pooled: the arms together against
    control in one test at alpha.
    """

    baseline: float  # proportion with a first exit to work in the control arm by the count date
    n_per_arm: int
    arms: int
    n_control: int
    alpha: float
    power: float
    effects: tuple[float, ...]
    per_arm: ComparisonPower
    pooled: ComparisonPower
    sided: int = 2  # 1: one-sided against an increase; 2: two-sided

    @property
    def comparisons(self) -> tuple[ComparisonPower, ComparisonPower]:
        return (self.per_arm, self.pooled)

    def tidy(self) -> list[dict]:
        """One row per comparison and planned effect."""
        return [
            {"comparison": c.comparison, "alpha": c.alpha, "n_treatment": c.n_treatment, "n_control": c.n_control,
             "mde": c.mde, "mde_proportion": c.mde_proportion, "effect": effect,
             "treated_proportion": self.baseline + effect, "power": power, "n_per_arm_needed": needed}
            for c in self.comparisons
            for effect, power, needed in zip(c.effects, c.power_at, c.n_per_arm_needed, strict=True)
        ]

    def as_dict(self) -> dict:
        """Plain numbers, lists and strings, for JSON."""
        return _plain(asdict(self))

    def curve(self, points: int = 51) -> tuple[CurvePoint, ...]:
        """Power at evenly spaced effects from 0 to about 2.5 times the per-arm MDE (below a proportion of 1)."""
        if points < 2:
            raise ValueError(f"points: moet minstens 2 zijn, gevonden: {points}")
        top = min(_CURVE_REACH * self.per_arm.mde, (1.0 - self.baseline) * 0.999)
        return tuple(
            CurvePoint(effect, self._power(self.per_arm, effect), self._power(self.pooled, effect))
            for effect in (top * i / (points - 1) for i in range(points))
        )

    def _power(self, comparison: ComparisonPower, effect: float) -> float:
        return _power(self.baseline, self.baseline + effect, comparison.n_control, comparison.n_treatment,
                      comparison.alpha, self.sided)


def analyse_design(baseline: float, n_per_arm: int, arms: int, n_control: int | None = None, alpha: float = 0.05,
                   power: float = 0.8, effects: Sequence[float] = (0.05, 0.10), sided: int = 2) -> PowerAnalysis:
    """Power analysis of `arms` treatment arms of n_per_arm persons, each against one control arm.

    n_control defaults to n_per_arm. Sample sizes needed keep the design's ratio n_control / n_per_arm.
    """
    n_control = n_per_arm if n_control is None else n_control
    _check_proportion("baseline", baseline)
    _check_size("n_per_arm", n_per_arm)
    _check_size("n_control", n_control)
    _check_count("arms", arms)
    _check_level("alpha", alpha)
    _check_level("power", power)
    _check_sided(sided)
    effects = tuple(float(e) for e in effects)
    for effect in effects:
        _check_effect(baseline, effect)
    plan = _Plan(baseline, n_control / n_per_arm, power, effects, sided)
    return PowerAnalysis(
        baseline=baseline, n_per_arm=n_per_arm, arms=arms, n_control=n_control, alpha=alpha, power=power,
        effects=effects, sided=sided,
        per_arm=plan.comparison(PER_ARM, holm_alpha(alpha, arms), n_per_arm, n_control, arms=1),
        pooled=plan.comparison(POOLED, alpha, arms * n_per_arm, n_control, arms=arms),
    )


@dataclass(frozen=True)
class _Plan:
    baseline: float
    control_per_arm: float  # n_control / n_per_arm, kept when sizing
    power: float
    effects: tuple[float, ...]
    sided: int = 2

    def comparison(self, code: str, alpha: float, n_treatment: int, n_control: int, arms: int) -> ComparisonPower:
        mde = _mde(self.baseline, n_control, n_treatment, alpha, self.power, self.sided)
        return ComparisonPower(
            comparison=code, alpha=alpha, n_treatment=n_treatment, n_control=n_control,
            mde=mde, mde_proportion=self.baseline + mde, effects=self.effects,
            power_at=tuple(_power(self.baseline, self.baseline + e, n_control, n_treatment, alpha, self.sided)
                           for e in self.effects),
            n_per_arm_needed=tuple(self._needed(e, alpha, arms) for e in self.effects),
        )

    def _needed(self, effect: float, alpha: float, arms: int) -> int:
        """Persons per treatment arm so that `arms` arms together against control reach the power."""
        def power_at(n: int) -> float:
            return _power(self.baseline, self.baseline + effect, n * self.control_per_arm, arms * n, alpha,
                          self.sided)

        start = _closed_form_n(self.baseline, effect, arms / self.control_per_arm, alpha, self.power,
                               self.sided) / arms
        return _smallest_n(power_at, self.power, start)


def _plain(value):
    """Tuples to lists and numpy scalars to Python numbers, for json.dumps."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    return float(value)
