"""Contacts between case manager and person: a Poisson number a month by the guidance the person gets,
the intake when a participant signs, and a half-yearly review (halfjaargesprek) for participants."""

import numpy as np

from vertrouwen.core.simulation import model as m
from vertrouwen.core.simulation.frames import alphabetical_rank

GESPREK = m.CHANNELS.index("gesprek")
KLANTMANAGER = m.INITIATORS.index("klantmanager")
_RATE = np.array([m.CONTACT_RATE[g] for g in m.GUIDANCE])
_CASE_MANAGER = np.array([m.CASE_MANAGER_INITIATES[g] for g in m.GUIDANCE])
_CHANNEL_CDF = np.cumsum(np.array([m.CHANNEL_SHARES[g] for g in m.GUIDANCE]), axis=1)
_MINUTES_LOW, _MINUTES_HIGH = np.array(m.CHANNEL_MINUTES).T
_CHANNEL_ORDER, _INITIATOR_ORDER = alphabetical_rank(m.CHANNELS), alphabetical_rank(m.INITIATORS)


class ContactLog:
    """Collects contacts as arrays; `arrays()` gives them in the order of the table's natural key (person,
    day, channel, initiator; codes as their strings sort), one row per key: contacts with the same key are one
    row with their minutes added up, as the dataset format asks."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.chunks: list[tuple[np.ndarray, ...]] = []

    def month(self, person: np.ndarray, first_day: int, last_day: np.ndarray, guidance: np.ndarray) -> None:
        count = self.rng.poisson(_RATE[guidance])
        person, last_day, guidance = (np.repeat(a, count) for a in (person, last_day, guidance))
        k = len(person)
        u = self.rng.random((4, k))
        day = first_day + np.floor(u[0] * (last_day - first_day + 1))
        channel = (_CHANNEL_CDF[guidance] <= u[1][:, None]).sum(axis=1).clip(max=len(m.CHANNELS) - 1)
        minutes = _MINUTES_LOW[channel] + np.floor(u[2] * (_MINUTES_HIGH[channel] - _MINUTES_LOW[channel] + 1))
        initiator = np.where(u[3] < _CASE_MANAGER[guidance], KLANTMANAGER, 1 - KLANTMANAGER)
        self._add(person, day, channel, minutes, initiator)

    def meetings(self, person: np.ndarray, day: np.ndarray, minutes: int) -> None:
        """Conversations at the office that the case manager plans: intake and half-yearly review."""
        k = len(person)
        self._add(person, day, np.full(k, GESPREK), np.full(k, minutes), np.full(k, KLANTMANAGER))

    def reviews(self, person: np.ndarray, day: np.ndarray) -> None:
        self.meetings(person, day, m.REVIEW_MINUTES)

    def _add(self, person, day, channel, minutes, initiator) -> None:
        self.chunks.append((person.astype(np.int32), day.astype(np.int32), channel.astype(np.int8),
                            minutes.astype(np.int16), initiator.astype(np.int8)))

    def arrays(self) -> tuple[np.ndarray, ...]:
        if not self.chunks:
            return (np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0, np.int8), np.empty(0, np.int16),
                    np.empty(0, np.int8))
        person, day, channel, minutes, initiator = (np.concatenate(parts) for parts in zip(*self.chunks,
                                                                                          strict=True))
        # Sort by the natural key (np.lexsort sorts by the last key first), then add up the minutes of each run
        # of equal keys into its first row.
        order = np.lexsort((_INITIATOR_ORDER[initiator], _CHANNEL_ORDER[channel], day, person))
        person, day, channel, minutes, initiator = (a[order] for a in (person, day, channel, minutes, initiator))
        new_key = np.ones(len(person), dtype=bool)
        new_key[1:] = ((person[1:] != person[:-1]) | (day[1:] != day[:-1]) | (channel[1:] != channel[:-1])
                       | (initiator[1:] != initiator[:-1]))
        first = np.flatnonzero(new_key)
        total = np.add.reduceat(minutes.astype(np.int64), first) if len(first) else np.empty(0, np.int64)
        return person[first], day[first], channel[first], total, initiator[first]
