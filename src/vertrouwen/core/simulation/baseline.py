"""Baseline (nulmeting) for participants: personal goals and the case manager's assessment.

Each participant gets a highest attainable goal first (or none), then lower goals as extras. The tables are
chosen so that, with the participants' limitation profile 43/33/24, the goal shares match Wageningen's
baseline (werk 34%, parttime werk 30%, opleiding 13%, re-integratie 17%, vrijwilligerswerk 23%, zorg en hulp
13%, anders 20%), parttime werk is the highest goal for about 20%, and about 95% have at least one goal.
"""

from dataclasses import dataclass

import numpy as np

from vertrouwen.core import codes
from vertrouwen.core.simulation import model as m

GOALS = tuple(codes.GOALS)  # from werk (highest) to anders (lowest)
GOAL_SHARES = np.array([0.34, 0.30, 0.13, 0.17, 0.23, 0.13, 0.20])
# Highest goal by limitation (rows geen, lichamelijk, psychisch); the last column is "no goal".
HIGHEST_GOAL = np.array([
    [0.55, 0.17, 0.06, 0.05, 0.06, 0.01, 0.07, 0.03],
    [0.22, 0.25, 0.04, 0.08, 0.18, 0.06, 0.12, 0.05],
    [0.13, 0.19, 0.05, 0.09, 0.18, 0.15, 0.14, 0.07],
])
WERK_IF_GOOD_PROSPECTS = np.array([0.75, 0.45, 0.40])  # those the case manager sees as kansrijk aim higher
# Rungs 1-4 of the participatieladder for those without paid work, by limitation; with part-time work: 5 or 6.
LADDER_WITHOUT_WORK = np.array([
    [0.05, 0.30, 0.35, 0.30],
    [0.15, 0.40, 0.30, 0.15],
    [0.25, 0.40, 0.25, 0.10],
])
PAID_WORK_RUNG_6 = 0.6


def _extra_chances() -> np.ndarray:
    """Chance of adding goal g when the highest goal lies above g, so that goal g's share is GOAL_SHARES[g]."""
    highest = np.asarray(m.LIMITATION_SHARES[True]) @ HIGHEST_GOAL
    above = np.concatenate([[0.0], np.cumsum(highest[:6])])
    with np.errstate(divide="ignore", invalid="ignore"):
        chance = np.where(above > 0, (GOAL_SHARES - highest[:7]) / above, 0.0)
    return np.clip(chance, 0.0, 1.0)


EXTRA_GOAL_CHANCE = _extra_chances()


@dataclass(frozen=True)
class Baseline:
    goal_person: np.ndarray  # one entry per goal
    goal: np.ndarray  # index into GOALS
    ladder_rung: np.ndarray  # per participant, 1-6


def draw_baseline(rng: np.random.Generator, limitation: np.ndarray, prospects: np.ndarray,
                  working: np.ndarray) -> Baseline:
    """For the participants given (arrays of equal length); goal_person indexes into them."""
    highest = _highest_goal(rng, limitation, prospects)
    below = np.arange(len(GOALS))[None, :] > highest[:, None]
    extra = below & (highest[:, None] < len(GOALS)) & (rng.random((len(highest), len(GOALS))) < EXTRA_GOAL_CHANCE)
    has = extra | (np.arange(len(GOALS))[None, :] == highest[:, None])
    person, goal = np.nonzero(has)
    return Baseline(person.astype(np.int32), goal.astype(np.int8), _ladder(rng, limitation, working))


def _highest_goal(rng: np.random.Generator, limitation: np.ndarray, prospects: np.ndarray) -> np.ndarray:
    table = HIGHEST_GOAL[limitation]
    werk = table[:, 0]
    share = np.asarray(m.PROSPECTS_SHARE)[limitation]
    high = WERK_IF_GOOD_PROSPECTS[limitation]
    low = (werk - share * high) / (1.0 - share)  # keeps the limitation's werk share
    new_werk = np.where(prospects, high, low)
    rest = table[:, 1:] * ((1.0 - new_werk) / (1.0 - werk))[:, None]
    shares = np.column_stack([new_werk, rest])
    return (np.cumsum(shares, axis=1) < rng.random(len(limitation))[:, None]).sum(axis=1).clip(max=7)


def _ladder(rng: np.random.Generator, limitation: np.ndarray, working: np.ndarray) -> np.ndarray:
    u = rng.random((2, len(limitation)))
    without = 1 + (np.cumsum(LADDER_WITHOUT_WORK[limitation], axis=1) < u[0][:, None]).sum(axis=1).clip(max=3)
    paid = np.where(u[1] < PAID_WORK_RUNG_6, 6, 5)
    return np.where(working, paid, without).astype(np.int8)
