"""The lottery's pure core: reproducible randomization, the person attributes strata are formed from, and the
balance table after a draw.

    from vertrouwen.core.lottery import randomize
    draw = randomize(ids, arms=("EXP1", "EXP2", "EXP3", "EXP4"), ratio=(1, 1, 1, 1), seed=2017,
                     method="stratified_block", strata=attributes, stratify_by=("household_type", "limitation"))

randomization.py documents the algorithm exactly (version 1); strata.py derives age and benefit-duration bands at
the draw date; balance.py compares the arms with standardized differences.
"""

from vertrouwen.core.lottery.balance import SMD_THRESHOLD, BalanceRow, BalanceTable, balance_table
from vertrouwen.core.lottery.randomization import (
    ALGORITHM_VERSION,
    METHOD_LABELS,
    Draw,
    Method,
    RandomizationError,
    input_hash,
    randomize,
    result_hash,
)
from vertrouwen.core.lottery.strata import (
    AGE_BANDS,
    ATTRIBUTE_LABELS,
    BENEFIT_DURATION_BANDS,
    STRATUM_VARIABLES,
    person_attributes,
)

__all__ = [
    "AGE_BANDS",
    "ALGORITHM_VERSION",
    "ATTRIBUTE_LABELS",
    "BENEFIT_DURATION_BANDS",
    "METHOD_LABELS",
    "SMD_THRESHOLD",
    "STRATUM_VARIABLES",
    "BalanceRow",
    "BalanceTable",
    "Draw",
    "Method",
    "RandomizationError",
    "balance_table",
    "input_hash",
    "person_attributes",
    "randomize",
    "result_hash",
]
