"""Month by month: part-time work, exits, stops, contacts and re-entry, vectorized over all persons.

The loop runs over months only. The benefit dynamics draw the same number of random numbers every month
whatever happens, so two runs with the same seed and different effects differ only where the effects make
them differ (contacts come from a stream of their own).
Within a month: part-time work changes at the start, then exits (with their day), stops, contacts, and
re-entry of those who were off benefit at the start of the month.
"""

from dataclasses import dataclass, field

import numpy as np

from vertrouwen.core.simulation import model as m
from vertrouwen.core.simulation.contacts import ContactLog
from vertrouwen.core.simulation.lottery import Enrollment
from vertrouwen.core.simulation.population import DAYS_PER_YEAR, People
from vertrouwen.core.simulation.timegrid import NO_DAY, Calendar

NO_EXIT = len(m.END_REASONS)
_REASON = {code: i for i, code in enumerate(m.END_REASONS)}
_U_ROWS = 9  # uniforms a person uses each month
# Spells are paired with their ends by the key person * MAX_SPELLS_PER_PERSON + the spell's rank within the
# person, which is unique only while nobody has this many spells. A person starts at most one new spell a month
# (re-entry), so a period of T months gives at most T + 1 (37 over the 36 months of sizes M and L): 1024 leaves
# room for any period up to 85 years while the key stays far inside int64. _pair_ends checks the bound.
MAX_SPELLS_PER_PERSON = 1024


@dataclass(frozen=True)
class ArmParameters:
    """Per arm index: ratios against the reference group, and guidance (index into model GUIDANCE)."""

    work: np.ndarray
    parttime: np.ndarray
    reentry: np.ndarray
    guidance: np.ndarray


@dataclass
class _Events:
    """Growing lists of event arrays, concatenated at the end."""

    parts: dict = field(default_factory=dict)

    def add(self, name: str, *arrays: np.ndarray) -> None:
        self.parts.setdefault(name, []).append(arrays)

    def get(self, name: str, dtypes: tuple) -> tuple[np.ndarray, ...]:
        chunks = self.parts.get(name, [])
        return tuple(
            np.concatenate([c[i] for c in chunks]).astype(dt) if chunks else np.empty(0, dtype=dt)
            for i, dt in enumerate(dtypes)
        )


@dataclass(frozen=True)
class History:
    spell_person: np.ndarray
    spell_start: np.ndarray
    spell_end: np.ndarray  # NO_DAY while running
    spell_reason: np.ndarray  # index into model.END_REASONS, -1 while running
    stop_day: np.ndarray  # per person, NO_DAY if not stopped
    stop_reason: np.ndarray  # per person, index into model.STOP_REASONS, -1 if not stopped
    earning_person: np.ndarray  # one entry per person-month with part-time earnings
    earning_month: np.ndarray
    baseline_working: np.ndarray  # per person: part-time work when the person joined
    wave1_on_benefit: np.ndarray  # per person: on benefit at the start of the month of wave 1
    contacts: ContactLog


class _Simulation:
    def __init__(self, rng, contact_rng, people: People, enrollment: Enrollment, calendar: Calendar,
                 arms: ArmParameters):
        self.rng, self.people, self.enrollment, self.calendar = rng, people, enrollment, calendar
        n = people.n
        self.participant = enrollment.arm >= 0
        safe_arm = np.maximum(enrollment.arm, 0)
        self.active_from = np.where(self.participant, enrollment.cohort, 0).astype(np.int32)
        self.arm_work = np.where(self.participant, arms.work[safe_arm], 1.0)
        self.arm_parttime = np.where(self.participant, arms.parttime[safe_arm], 1.0)
        self.arm_reentry = np.where(self.participant, arms.reentry[safe_arm], 1.0)
        self.arm_guidance = np.where(self.participant, arms.guidance[safe_arm], 0).astype(np.int8)
        self.static_work = (m.WORK_EXIT_BASE * m.LIMITATION_WORK[people.limitation]
                            * np.where(people.prospects, m.PROSPECTS_WORK, 1.0)
                            * m.EDUCATION_WORK[people.education])
        self.static_parttime = (m.PARTTIME_START * m.LIMITATION_PARTTIME[people.limitation]
                                * np.where(people.household == 1, m.SINGLE_PARENT_PARTTIME, 1.0))
        stationary = self.static_parttime / (self.static_parttime + m.PARTTIME_STOP)
        self.working = rng.random(n) < stationary
        self.on = np.ones(n, dtype=bool)
        self.current_start = people.spell_start.copy()
        self.exit_month = np.full(n, -1, dtype=np.int32)
        self.exit_reason = np.full(n, -1, dtype=np.int8)
        self.worked_at_exit = np.zeros(n, dtype=bool)
        self.stopped = np.zeros(n, dtype=bool)
        self.stop_day = np.full(n, NO_DAY, dtype=np.int32)
        self.stop_reason = np.full(n, -1, dtype=np.int8)
        self.baseline_working = np.zeros(n, dtype=bool)
        self.wave1_on = np.zeros(n, dtype=bool)
        self.consent_offset = enrollment.consented_on - calendar.starts[enrollment.cohort]
        self.events = _Events()
        self.contacts = ContactLog(contact_rng)
        joined = np.flatnonzero(self.participant)
        self.contacts.meetings(joined, enrollment.consented_on[joined], m.INTAKE_MINUTES)

    def run(self) -> History:
        for month in range(self.calendar.n_months):
            self._month(month)
        return self._history()

    def _month(self, t: int) -> None:
        start, end = int(self.calendar.starts[t]), int(self.calendar.starts[t + 1])
        u = self.rng.random((_U_ROWS, self.people.n))
        joining = self.participant & (self.active_from == t)
        self.baseline_working[joining] = self.working[joining] & self.on[joining]
        treated = self.participant & ~self.stopped & (t >= self.active_from)
        self._parttime(t, u[0], treated)
        self.events.add("earnings", np.flatnonzero(self.working), np.full(self.working.sum(), t))
        exiting, exit_day, reason = self._exits(t, start, end, u[1], u[2], treated)
        self._stops(t, start, end, u[3:6], treated & ~exiting)
        last_day = np.where(exiting, exit_day, end - 1)
        self._contacts(t, start, last_day, treated)
        wave1 = self.participant & (self.active_from + 12 == t)
        self.wave1_on[wave1] = self.on[wave1]
        returning, return_day = self._reentry(t, start, end, u[6], u[7], treated)
        self._apply_exits(t, exiting, exit_day, reason)
        self._apply_reentry(returning, return_day, u[8])

    def _parttime(self, t: int, u: np.ndarray, treated: np.ndarray) -> None:
        ramp = np.clip((t - self.active_from + 1) / m.PARTICIPANT_RAMP_MONTHS, 0.0, 1.0)
        factor = np.where(treated, 1.0 + (self.arm_parttime - 1.0) * ramp, 1.0)
        starts = u < self.static_parttime * factor
        self.working = self.on & np.where(self.working, u >= m.PARTTIME_STOP, starts)

    def _exits(self, t, start, end, u_reason, u_day, treated):
        people = self.people
        at_risk = self.on & (t >= self.active_from)
        # In the month a participant joins, an exit comes after signing.
        first = np.where(self.participant & (t == self.active_from),
                         self.enrollment.consented_on + 1, start).astype(np.int64)
        at_risk &= first < end
        hazards = self._hazards(start, treated)
        # Monthly hazards are small, so they serve as the probabilities of competing exits.
        reason = (np.cumsum(hazards, axis=1) <= u_reason[:, None]).sum(axis=1)
        exiting = at_risk & (reason < NO_EXIT)
        day = first + np.floor(u_day * (end - first)).astype(np.int64)
        aow = self.on & (people.aow_day < end)  # the benefit ends on the day the AOW starts
        exiting |= aow
        reason = np.where(aow, m.AOW, reason).astype(np.int8)
        day = np.where(aow, np.maximum(people.aow_day, start), day).astype(np.int32)
        return exiting, day, reason

    def _hazards(self, start: int, treated: np.ndarray) -> np.ndarray:
        people = self.people
        age = (start - people.birth_day) / DAYS_PER_YEAR
        years_on = (start - self.current_start) / DAYS_PER_YEAR
        work = (self.static_work * _step(age, m.AGE_WORK) * _step(years_on, m.DURATION_WORK)
                * np.where(self.working, m.PARTTIME_WORK, 1.0) * np.where(treated, self.arm_work, 1.0))
        hazards = np.empty((people.n, len(m.END_REASONS)))
        hazards[:, _REASON["werk"]] = work * (1.0 - m.SELF_EMPLOYED_SHARE)
        hazards[:, _REASON["zelfstandig"]] = work * m.SELF_EMPLOYED_SHARE
        hazards[:, _REASON["verhuizing"]] = m.MOVE_HAZARD * np.where(age < 35, m.MOVE_YOUNG_FACTOR, 1.0)
        hazards[:, _REASON["aow"]] = 0.0  # reaching the AOW age is not a chance: see _exits
        hazards[:, _REASON["vermogen"]] = m.CAPITAL_HAZARD
        hazards[:, _REASON["partner"]] = m.PARTNER_HAZARD
        hazards[:, _REASON["detentie"]] = m.DETENTION_HAZARD * np.where(people.sex == 0, m.DETENTION_MEN_FACTOR, 1.0)
        hazards[:, _REASON["overlijden"]] = m.DEATH_HAZARD * np.where(age >= 60, m.DEATH_OLD_FACTOR, 1.0)
        hazards[:, _REASON["overig"]] = m.OTHER_HAZARD
        return hazards

    def _stops(self, t, start, end, u, eligible) -> None:
        stop = eligible & self.on & (t > self.active_from) & (u[0] < m.STOP_HAZARD)
        self.stop_day[stop] = (start + np.floor(u[1][stop] * (end - start))).astype(np.int32)
        self.stop_reason[stop] = (u[2][stop] < m.STOP_BY_MUNICIPALITY).astype(np.int8)
        self.stopped |= stop

    def _contacts(self, t, start, last_day, treated) -> None:
        person = np.flatnonzero(self.on)
        guidance = np.where(treated, self.arm_guidance, 0)[person]
        self.contacts.month(person, start, last_day[person], guidance)
        review = (treated & self.on & (t > self.active_from)
                  & ((t - self.active_from) % m.REVIEW_EVERY_MONTHS == 0))
        person = np.flatnonzero(review)
        day = np.minimum(start + self.consent_offset[person], last_day[person])
        self.contacts.reviews(person, day)

    def _reentry(self, t, start, end, u, u_day, treated):
        off = ~self.on & (self.exit_reason >= 0) & (self.people.aow_day > end)
        reason = np.maximum(self.exit_reason, 0)
        early = (t - self.exit_month) <= m.REENTRY_EARLY_MONTHS
        after_work = (reason == m.WERK) | (reason == m.ZELFSTANDIG)
        hazard = (m.REENTRY_HAZARD[reason] * np.where(early, m.REENTRY_EARLY_FACTOR, 1.0)
                  * np.where(self.worked_at_exit & after_work, m.REENTRY_AFTER_PARTTIME, 1.0)
                  * np.where(treated & after_work, self.arm_reentry, 1.0))
        returning = off & (u < hazard)
        day = (start + np.floor(u_day * (end - start))).astype(np.int32)
        return returning, day

    def _apply_exits(self, t, exiting, day, reason) -> None:
        who = np.flatnonzero(exiting)
        self.events.add("ends", who, day[who], reason[who])
        self.on[who] = False
        self.exit_month[who] = t
        self.exit_reason[who] = reason[who]
        self.worked_at_exit[who] = self.working[who]
        self.working[who] = False

    def _apply_reentry(self, returning, day, u_keep) -> None:
        who = np.flatnonzero(returning)
        self.events.add("starts", who, day[who])
        self.on[who] = True
        self.current_start[who] = day[who]
        self.exit_reason[who] = -1
        self.working[who] = u_keep[who] < m.REENTRY_KEEPS_PARTTIME

    def _history(self) -> History:
        person, start = self.events.get("starts", (np.int32, np.int32))
        end_person, end_day, end_reason = self.events.get("ends", (np.int32, np.int32, np.int8))
        all_person = np.concatenate([np.arange(self.people.n, dtype=np.int32), person])
        all_start = np.concatenate([self.people.spell_start, start])
        spell_end, spell_reason = _pair_ends(all_person, end_person, end_day, end_reason)
        earning_person, earning_month = self.events.get("earnings", (np.int32, np.int16))
        return History(
            spell_person=all_person, spell_start=all_start, spell_end=spell_end, spell_reason=spell_reason,
            stop_day=self.stop_day, stop_reason=self.stop_reason,
            earning_person=earning_person, earning_month=earning_month,
            baseline_working=self.baseline_working, wave1_on_benefit=self.wave1_on,
            contacts=self.contacts,
        )


def simulate(rng: np.random.Generator, contact_rng: np.random.Generator, people: People,
             enrollment: Enrollment, calendar: Calendar, arms: ArmParameters) -> History:
    return _Simulation(rng, contact_rng, people, enrollment, calendar, arms).run()


def _step(values: np.ndarray, steps: tuple[tuple[float, float], ...]) -> np.ndarray:
    """Piecewise-constant factor: steps are (up to, factor) in increasing order."""
    bounds = np.array([b for b, _ in steps])
    factors = np.array([f for _, f in steps])
    return factors[np.minimum(np.searchsorted(bounds, values, side="right"), len(factors) - 1)]


def _pair_ends(spell_person, end_person, end_day, end_reason):
    """The k-th end of a person closes the person's k-th spell; spells are listed in time order per person."""
    spell_end = np.full(len(spell_person), NO_DAY, dtype=np.int32)
    spell_reason = np.full(len(spell_person), -1, dtype=np.int8)
    if len(end_person) == 0:
        return spell_end, spell_reason
    spell_rank = _rank_within(spell_person)
    if spell_rank.max() >= MAX_SPELLS_PER_PERSON:
        raise ValueError(f"a person has more than {MAX_SPELLS_PER_PERSON} spells; raise MAX_SPELLS_PER_PERSON")
    spell_key = spell_person.astype(np.int64) * MAX_SPELLS_PER_PERSON + spell_rank
    end_key = end_person.astype(np.int64) * MAX_SPELLS_PER_PERSON + _rank_within(end_person)
    order = np.argsort(end_key)
    end_key, end_day, end_reason = end_key[order], end_day[order], end_reason[order]
    position = np.minimum(np.searchsorted(end_key, spell_key), len(end_key) - 1)
    found = end_key[position] == spell_key
    spell_end[found] = end_day[position[found]]
    spell_reason[found] = end_reason[position[found]]
    return spell_end, spell_reason


def _rank_within(person: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... for successive entries of the same person, in the order given."""
    order = np.argsort(person, kind="stable")
    sorted_person = person[order]
    first = np.searchsorted(sorted_person, sorted_person, side="left")
    rank = np.empty(len(person), dtype=np.int64)
    rank[order] = np.arange(len(person)) - first
    return rank
