"""Design diagnosis by simulation: run the synthetic experiment many times and judge the estimator and the test.

Each replication draws a fresh experiment of n_per_arm persons per arm from the synthetic generator and
estimates, per treatment arm against the control arm, the intention-to-treat difference in the proportion with a
first exit to work by the count date (everyone allocated counts). The estimate has a Wald 95% confidence
interval (unpooled standard error) and a two-sided z-test (pooled standard error under H0); Holm's step-down
corrects over the treatment arms. The pooled arms against control is one more test, at the unadjusted level.

The estimand ("true effect") is the same difference in one very large simulated population with the same
effects; its Monte Carlo standard error is reported. Diagnosands (bias, empirical and estimated standard error,
coverage, power) follow Morris, White & Crowther (2019), "Using simulation studies to evaluate statistical
methods", Statistics in Medicine 38: 2074-2102, with their Monte Carlo standard errors.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from vertrouwen.core.designs import DESIGNS, Design
from vertrouwen.core.power.analytic import POOLED
from vertrouwen.core.simulation.effects import ArmEffects
from vertrouwen.core.simulation.generator import simulate_outcomes
from vertrouwen.core.simulation.sizes import Size

CONFIDENCE = 0.95
POPULATION = 200_000  # participants in the run that gives the estimand: MC SE of an effect about 0.003
_REPLICATION, _POPULATION = 0, 1  # spawn keys: the streams of replications and of the population never meet


def holm_adjusted(p_values) -> np.ndarray:
    """Holm's step-down adjusted p-values over the last axis (one family per row): reject where <= alpha.

    The i-th smallest of m p-values is multiplied by m - i + 1 (i from 1); the adjusted values are made
    non-decreasing in that order and capped at 1 (Holm 1979).
    """
    p = np.asarray(p_values, dtype=float)
    m = p.shape[-1]
    order = np.argsort(p, axis=-1, kind="stable")
    stepped = np.take_along_axis(p, order, axis=-1) * (m - np.arange(m))
    stepped = np.minimum(np.maximum.accumulate(stepped, axis=-1), 1.0)
    adjusted = np.empty_like(stepped)
    np.put_along_axis(adjusted, order, stepped, axis=-1)
    return adjusted


@dataclass(frozen=True)
class ComparisonDiagnosis:
    """The diagnosands of one comparison over the replications; *_mcse are their Monte Carlo standard errors."""

    comparison: str  # a treatment arm's code, or POOLED
    true_effect: float  # the estimand, from the large population
    true_effect_mcse: float
    mean_estimate: float
    bias: float  # mean estimate minus true effect
    bias_mcse: float
    empirical_se: float  # standard deviation of the estimates over the replications
    mean_se: float  # mean of the estimated (Wald) standard errors
    coverage: float  # share of replications whose 95% interval holds the true effect
    coverage_mcse: float
    power: float  # share rejected at alpha after Holm over the arms (pooled: one test, unadjusted)
    power_mcse: float
    power_unadjusted: float  # share rejected at alpha without correction

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Diagnosis:
    """A simulation-based diagnosis of a design: reproducible from (design, n_per_arm, effects, replications,
    seed, alpha, population)."""

    design: str  # the design's code
    control_arm: str
    n_per_arm: int
    replications: int
    seed: int
    alpha: float
    population: int  # participants in the run that gives the true effects
    effects: ArmEffects
    control_proportion: float  # the control arm's proportion in the population
    any_rejected: float  # share of replications with at least one arm rejected after Holm (under H0: the FWER)
    comparisons: tuple[ComparisonDiagnosis, ...]  # each treatment arm against control, then POOLED

    def comparison(self, code: str) -> ComparisonDiagnosis:
        return next(c for c in self.comparisons if c.comparison == code)

    def tidy(self) -> list[dict]:
        """One row per comparison: each treatment arm against control, then the pooled arms."""
        return [c.as_dict() for c in self.comparisons]

    def as_dict(self) -> dict:
        """Plain numbers, lists and strings, for JSON."""
        return {
            "design": self.design, "control_arm": self.control_arm, "n_per_arm": self.n_per_arm,
            "replications": self.replications, "seed": self.seed, "alpha": self.alpha,
            "confidence": CONFIDENCE, "population": self.population, "effects": self.effects.as_dict(),
            "control_proportion": self.control_proportion, "any_rejected": self.any_rejected,
            "comparisons": self.tidy(),
        }


@dataclass(frozen=True)
class _Estimates:
    """Per comparison (columns: treatment arms, then pooled): difference, Wald SE, z-test p-value; and the
    control arm's proportion."""

    estimate: np.ndarray
    std_error: np.ndarray
    p_value: np.ndarray
    control_proportion: float | np.ndarray  # stacked over replications: one column


def diagnose(design: "str | Design", n_per_arm: int, effects: ArmEffects | None = None, replications: int = 200,
             seed: int = 2017, alpha: float = 0.05, progress: Callable[[int, int], None] | None = None,
             population: int = POPULATION) -> Diagnosis:
    """Diagnose the design by `replications` simulated experiments of n_per_arm persons in every arm.

    effects: the arms' effects, by default ArmEffects.for_design. progress(done, total) is called after each
    replication. Replication r uses the seed SeedSequence(seed, spawn_key=(0, r)); the population run, before
    the replications, SeedSequence(seed, spawn_key=(1,)).
    """
    chosen = design if isinstance(design, Design) else _design(design)
    effects = ArmEffects.for_design(chosen) if effects is None else effects
    _check(n_per_arm, replications, seed, alpha, population)
    control = next(i for i, a in enumerate(chosen.arms) if a.is_control)
    treated = tuple(i for i in range(len(chosen.arms)) if i != control)

    everyone = Size("diagnose_population", participants=population, reference=0)
    truth = _compare(*simulate_outcomes(everyone, _seed(seed, _POPULATION), effects, chosen), control, treated)
    size = Size("diagnose", participants=n_per_arm * len(chosen.arms), reference=0)
    runs = []
    for r in range(replications):
        outcomes = simulate_outcomes(size, _seed(seed, _REPLICATION, r), effects, chosen)
        runs.append(_compare(*outcomes, control, treated))
        if progress is not None:
            progress(r + 1, replications)
    stacked = _Estimates(*(np.vstack([getattr(e, name) for e in runs])
                           for name in ("estimate", "std_error", "p_value", "control_proportion")))
    labels = (*(chosen.arms[i].code for i in treated), POOLED)
    return Diagnosis(
        design=chosen.code, control_arm=chosen.arms[control].code, n_per_arm=n_per_arm, replications=replications,
        seed=seed, alpha=alpha, population=population, effects=effects,
        control_proportion=float(truth.control_proportion),
        any_rejected=float((holm_adjusted(stacked.p_value[:, :-1]) <= alpha).any(axis=1).mean()),
        comparisons=_diagnosands(labels, truth, stacked, alpha),
    )


def _check(n_per_arm: int, replications: int, seed: int, alpha: float, population: int) -> None:
    # At 10 per arm every arm has members in practice; with fewer an arm can stay empty in a replication.
    for name, value, least in (("n_per_arm", n_per_arm, 10), ("replications", replications, 2),
                               ("seed", seed, 0), ("population", population, 1000)):
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ValueError(f"{name}: moet een geheel getal van minstens {least} zijn, gevonden: {value}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha: moet tussen 0 en 1 liggen, gevonden: {alpha}")


def _design(code: str) -> Design:
    try:
        return DESIGNS[code]
    except KeyError:
        raise ValueError(f"design: onbekend ontwerp {code!r}; kies uit {', '.join(DESIGNS)}") from None


def _seed(seed: int, *key: int) -> int:
    """An independent integer seed for one run, from the diagnosis seed and the run's key."""
    return int(np.random.SeedSequence(seed, spawn_key=key).generate_state(1, np.uint64)[0])


def _compare(arm: np.ndarray, outcome: np.ndarray, control: int, treated: tuple[int, ...]) -> _Estimates:
    """Differences in proportions, treatment minus control, per treatment arm and for the arms pooled."""
    n = np.bincount(arm, minlength=len(treated) + 1).astype(float)
    exits = np.bincount(arm, weights=outcome, minlength=len(treated) + 1)
    groups = [[i] for i in treated] + [list(treated)]
    n_t = np.array([n[g].sum() for g in groups])
    x_t = np.array([exits[g].sum() for g in groups])
    n_c, x_c = n[control], exits[control]
    p_t, p_c = x_t / n_t, x_c / n_c
    estimate = p_t - p_c
    std_error = np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c)
    pooled = (x_t + x_c) / (n_t + n_c)
    se_null = np.sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c))
    # No exits at all (or only exits) in both groups: no evidence against H0, p = 1.
    z = np.divide(np.abs(estimate), se_null, out=np.zeros_like(estimate), where=se_null > 0)
    return _Estimates(estimate, std_error, 2 * norm.sf(z), float(p_c))


def _diagnosands(labels, truth: _Estimates, runs: _Estimates, alpha: float) -> tuple[ComparisonDiagnosis, ...]:
    replications, comparisons = runs.estimate.shape
    arms = comparisons - 1  # the last column is the pooled comparison
    half_width = norm.isf((1 - CONFIDENCE) / 2) * runs.std_error
    covered = np.abs(runs.estimate - truth.estimate) <= half_width
    holm = holm_adjusted(runs.p_value[:, :arms]) <= alpha
    rejected = np.column_stack([holm, runs.p_value[:, arms] <= alpha])
    unadjusted = runs.p_value <= alpha
    empirical_se = runs.estimate.std(axis=0, ddof=1)
    return tuple(
        ComparisonDiagnosis(
            comparison=labels[k],
            true_effect=float(truth.estimate[k]),
            true_effect_mcse=float(truth.std_error[k]),
            mean_estimate=float(runs.estimate[:, k].mean()),
            bias=float(runs.estimate[:, k].mean() - truth.estimate[k]),
            bias_mcse=float(empirical_se[k] / math.sqrt(replications)),
            empirical_se=float(empirical_se[k]),
            mean_se=float(runs.std_error[:, k].mean()),
            coverage=float(covered[:, k].mean()),
            coverage_mcse=_share_mcse(covered[:, k].mean(), replications),
            power=float(rejected[:, k].mean()),
            power_mcse=_share_mcse(rejected[:, k].mean(), replications),
            power_unadjusted=float(unadjusted[:, k].mean()),
        )
        for k in range(comparisons)
    )


def _share_mcse(share: float, replications: int) -> float:
    return float(math.sqrt(share * (1 - share) / replications))
