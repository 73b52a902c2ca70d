"""Power and minimum detectable effect for exit to work, analytic and by simulation.

    from vertrouwen.core.power import analyse_design, diagnose
    analyse_design(baseline=0.107, n_per_arm=100, arms=3).tidy()  # MDE, power and sample sizes
    diagnose("wageningen", n_per_arm=100, replications=200, seed=1).tidy()  # bias, coverage, power

analytic.py has the normal-approximation formulas; diagnosis.py runs the synthetic experiment many times.
"""

from vertrouwen.core.power.analytic import (
    PER_ARM,
    POOLED,
    ComparisonPower,
    CurvePoint,
    PowerAnalysis,
    analyse_design,
    holm_alpha,
    minimum_detectable_effect,
    power_two_proportions,
    sample_size,
)
from vertrouwen.core.power.diagnosis import (
    CONFIDENCE,
    POPULATION,
    ComparisonDiagnosis,
    Diagnosis,
    diagnose,
    holm_adjusted,
)

__all__ = [
    "CONFIDENCE",
    "PER_ARM",
    "POOLED",
    "POPULATION",
    "ComparisonDiagnosis",
    "ComparisonPower",
    "CurvePoint",
    "Diagnosis",
    "PowerAnalysis",
    "analyse_design",
    "diagnose",
    "holm_adjusted",
    "holm_alpha",
    "minimum_detectable_effect",
    "power_two_proportions",
    "sample_size",
]
