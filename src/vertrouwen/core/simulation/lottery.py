"""Enrollment: monthly lottery cohorts and the arm each participant is allocated to.

Balanced allocation within each monthly cohort, not complete randomization (an independent draw per person):
the cohort is put in random order and dealt over the arms in turn from a random first arm. That is permuted-block
allocation with blocks of one person per arm (each successive block of n_arms persons in the random order covers
every arm once), so arms differ in size by at most one per cohort. The lottery comes first; the person signs the
rules of the allocated arm a few days later.
"""

from dataclasses import dataclass

import numpy as np

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


def draw_enrollment(rng: np.random.Generator, people: People, calendar: Calendar, n_arms: int) -> Enrollment:
    n = people.n
    cohort = _cohorts(rng, people, calendar)
    arm = np.full(n, NO_ARM, dtype=np.int8)
    members = np.flatnonzero(people.participant)
    arm[members] = _deal(rng, cohort[members], n_arms)
    lottery_days = np.array([calendar.first_monday(k) for k in range(calendar.n_months)], dtype=np.int32)
    allocated_on = lottery_days[cohort]
    low, high = m.CONSENT_DAYS
    consented_on = (allocated_on + rng.integers(low, high + 1, size=n)).astype(np.int32)
    return Enrollment(arm, cohort, allocated_on, consented_on)


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


def _deal(rng: np.random.Generator, cohort: np.ndarray, n_arms: int) -> np.ndarray:
    """Balanced allocation per cohort: in a random order of the cohort, arm = (rank + random offset) % n_arms."""
    order = np.lexsort((rng.random(len(cohort)), cohort))
    sorted_cohort = cohort[order]
    first_of_cohort = np.searchsorted(sorted_cohort, sorted_cohort, side="left")
    rank = np.arange(len(cohort)) - first_of_cohort
    offset = rng.integers(0, n_arms, size=int(cohort.max(initial=0)) + 1)
    arms = np.empty(len(cohort), dtype=np.int8)
    arms[order] = (rank + offset[sorted_cohort]) % n_arms
    return arms
