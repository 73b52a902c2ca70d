"""How far an observed share or rate may lie from its target in the simulation tests.

Every statistical check allows Z = 3 standard errors of the observed statistic at the n it was measured on, plus
the half-width of the target where the source gives a range (for example "5,5 tot 6%" is 0.0575 +/- 0.0025).
Three standard errors: a correctly calibrated model fails a single two-sided check for fewer than 3 in 1,000 seeds
(2 * (1 - Phi(3)) = 0.27%), while a calibration error of a few percentage points is still caught at the pooled n
of the calibration tests. The fixtures use fixed seeds, so the tests are deterministic; the tolerance says how
much a change of seed or of an unrelated random stream may move a statistic before the check should complain.
"""

import math

Z = 3.0


def binomial_se(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / n)


def assert_rate(successes: int, n: int, target: float, half_width: float = 0.0, what: str = "") -> None:
    """successes / n within Z binomial standard errors (at the target) of target, plus half_width."""
    tolerance = half_width + Z * binomial_se(target, n)
    observed = successes / n
    assert abs(observed - target) <= tolerance, (
        f"{what}: {observed:.2%} of {n}, target {target:.2%} +/- {tolerance:.2%}")


def assert_poisson_rate(events: int, exposure: int, target: float, what: str = "") -> None:
    """events / exposure within Z Poisson standard errors, sqrt(target / exposure), of a rate per unit."""
    tolerance = Z * math.sqrt(target / exposure)
    observed = events / exposure
    assert abs(observed - target) <= tolerance, (
        f"{what}: {observed:.3f} per unit over {exposure}, target {target:.3f} +/- {tolerance:.3f}")


def difference_margin(target_gap: float, p1: float, n1: int, p2: float, n2: int) -> float:
    """The smallest observed gap p1 - p2 that is consistent with a target gap: the target less Z standard
    errors of a difference of two independent binomial shares (at the targets p1, p2 and the observed n)."""
    return target_gap - Z * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
