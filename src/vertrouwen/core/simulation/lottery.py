"""Enrollment: monthly lottery cohorts and the arm each participant is allocated to.

Each monthly cohort is drawn by the real lottery (core.lottery, block randomization of the cohort in person
order, one person per arm in a block), with a seed from the generator's lottery stream, so arms differ in size by
at most one per cohort. The lottery comes first; the person signs the rules of the allocated arm a few days later.
"""

from dataclasses import dataclass

import numpy as np

from vertrouwen.core.lottery.randomization import MAX_SEED, randomize
from vertrouwen.core.simulation import model as m
from vertrouwen.core.simulation.population import People
from vertrouwen.core.simulation.timegrid import Calendar

NO_ARM = -1


@dataclass(frozen=True)
class Enrollment:
    arm: np.ndarray  # int8 per person: index into the design's arms, NO_ARM for the reference group
    cohort: np.ndarray  # int16 per person: month of the lottery; 0 for the reference group
    allocated_on: np.ndarray  # int32 days (participants only meaningful)
    consented_on: np.ndarray  # int32 days
    block: np.ndarray  # int32 per person: the block of its cohort's draw it was dealt in (the draw is the cohort)


def draw_enrollment(rng: np.random.Generator, people: People, calendar: Calendar, n_arms: int) -> Enrollment:
    n = people.n
    cohort = _cohorts(rng, people, calendar)
    arm = np.full(n, NO_ARM, dtype=np.int8)
    block = np.zeros(n, dtype=np.int32)
    members = np.flatnonzero(people.participant)
    arm[members], block[members] = _deal(rng, cohort[members], n_arms)
    lottery_days = np.array([calendar.first_monday(k) for k in range(calendar.n_months)], dtype=np.int32)
    allocated_on = lottery_days[cohort]
    low, high = m.CONSENT_DAYS
    consented_on = (allocated_on + rng.integers(low, high + 1, size=n)).astype(np.int32)
    return Enrollment(arm, cohort, allocated_on, consented_on, block)


def _cohorts(rng: np.random.Generator, people: People, calendar: Calendar) -> np.ndarray:
    """Most join at the start; the rest in monthly cohorts of decreasing size."""
    late_months = min(m.LATE_COHORT_MONTHS, calendar.n_months - 13)
    n = people.n
    cohort = np.zeros(n, dtype=np.int16)
    if late_months < 1:
        return cohort
    weights = m.LATE_COHORT_DECAY ** np.arange(late_months)
    late_month = 1 + np.searchsorted(np.cumsum(weights / weights.sum()), rng.random(n), side="right")
    late_month = np.minimum(late_month, late_months)
    # Late joiners were still on benefit a year after joining: nobody close to the AOW age.
    can_wait = people.aow_day > calendar.starts[late_months] + 400
    late = people.participant & can_wait & (rng.random(n) >= m.START_COHORT_SHARE)
    cohort[late] = late_month[late]
    return cohort


def _deal(rng: np.random.Generator, cohort: np.ndarray, n_arms: int) -> tuple[np.ndarray, np.ndarray]:
    """Each cohort drawn by block randomization, in the order of the persons; arm indexes (equal ratios) and the
    block each person was dealt in."""
    arms = np.empty(len(cohort), dtype=np.int8)
    blocks = np.empty(len(cohort), dtype=np.int32)
    codes = [str(k) for k in range(n_arms)]
    for month in np.unique(cohort):
        members = np.flatnonzero(cohort == month)
        draw = randomize([str(i) for i in members], codes, [1] * n_arms, int(rng.integers(0, MAX_SEED)),
                         method="block")
        arms[members], blocks[members] = draw.arm_index, draw.block
    return arms, blocks
