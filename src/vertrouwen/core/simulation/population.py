"""Persons: who is in the municipality's file, as arrays (one entry per person)."""

from dataclasses import dataclass

import numpy as np

from vertrouwen.core.simulation import model as m

DAYS_PER_YEAR = 365.25
BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)


@dataclass(frozen=True)
class People:
    participant: np.ndarray  # bool
    limitation: np.ndarray  # int8, index into model.LIMITATIONS
    sex: np.ndarray  # int8
    household: np.ndarray  # int8
    refugee: np.ndarray  # bool
    education: np.ndarray  # int8
    birth_day: np.ndarray  # int32 days
    aow_day: np.ndarray  # int32 days: the day the person reaches AOW age
    prospects: np.ndarray  # bool, latent good prospects of exit
    spell_start: np.ndarray  # int32 days: start of the spell running at the period start
    bsn: np.ndarray  # int64, -1 when the file has none

    @property
    def n(self) -> int:
        return len(self.participant)


def draw_people(rng: np.random.Generator, participants: int, reference: int, start_day: int) -> People:
    n = participants + reference
    participant = rng.permutation(np.arange(n) < participants)
    limitation = _limitation(rng, participant)
    birth_day, aow_day = _birth_and_aow(rng, limitation, start_day)
    age = (start_day - birth_day) / DAYS_PER_YEAR
    household = _household(rng, age)
    refugee = rng.random(n) < np.where(age < 45, m.REFUGEE_SHARE_UNDER_45, m.REFUGEE_SHARE_45_PLUS)
    return People(
        participant=participant,
        limitation=limitation,
        sex=_sex(rng, household),
        household=household,
        refugee=refugee,
        education=_education(rng, refugee),
        birth_day=birth_day,
        aow_day=aow_day,
        prospects=rng.random(n) < np.asarray(m.PROSPECTS_SHARE)[limitation],
        spell_start=_spell_start(rng, participant, birth_day, start_day),
        bsn=_with_gaps(rng, valid_bsns(rng, n), m.BSN_SHARE),
    )


def _choice(rng: np.random.Generator, shares: np.ndarray) -> np.ndarray:
    """One category per row of `shares` (rows sum to 1), by inverse CDF; vectorized."""
    cumulative = np.cumsum(shares, axis=-1)
    u = rng.random(shares.shape[0])
    return np.minimum((cumulative < u[:, None]).sum(axis=1), shares.shape[1] - 1).astype(np.int8)


def _limitation(rng: np.random.Generator, participant: np.ndarray) -> np.ndarray:
    shares = np.where(participant[:, None], m.LIMITATION_SHARES[True], m.LIMITATION_SHARES[False])
    return _choice(rng, shares)


def _birth_and_aow(rng: np.random.Generator, limitation: np.ndarray, start_day: int):
    n = len(limitation)
    band = _choice(rng, np.asarray(m.AGE_WEIGHTS)[limitation])
    low, high = np.asarray(m.AGE_BANDS).T
    age = low[band] + rng.random(n) * (high[band] - low[band])
    birth_day = np.round(start_day - age * DAYS_PER_YEAR).astype(np.int32)
    aow_day = aow_days(birth_day)
    # Nobody on bijstand has reached the AOW age: draw those again just below 65.5 years.
    late = aow_day <= start_day + 31
    age_again = 55.0 + rng.random(n) * 10.5
    birth_day = np.where(late, np.round(start_day - age_again * DAYS_PER_YEAR), birth_day).astype(np.int32)
    return birth_day, aow_days(birth_day)


def aow_days(birth_day: np.ndarray) -> np.ndarray:
    """Day each person reaches the AOW age, by the age that applies in the year they reach it (approximately)."""
    birth = birth_day.astype("datetime64[D]")
    years = birth.astype("datetime64[Y]").astype(np.int64) + 1970 + 66
    table_years = np.array(sorted(m.AOW_AGE_MONTHS))
    ages = np.array([m.AOW_AGE_MONTHS[y] for y in table_years])
    months = ages[np.clip(np.searchsorted(table_years, years), 0, len(ages) - 1)]
    return add_months(birth_day, months)


def add_months(days: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Vectorized: the same day of the month `months` later, clipped to that month's last day."""
    d = days.astype("datetime64[D]")
    first = d.astype("datetime64[M]")
    offset = (d - first.astype("datetime64[D]")).astype(np.int64)
    target = first + months.astype(np.int64)
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    result = target.astype("datetime64[D]") + np.minimum(offset, length - 1)
    return result.astype(np.int64).astype(np.int32)


def _household(rng: np.random.Generator, age: np.ndarray) -> np.ndarray:
    household = _choice(rng, np.broadcast_to(np.asarray(m.HOUSEHOLD_SHARES), (len(age), 3)))
    return np.where((household == 1) & (age > m.SINGLE_PARENT_MAX_AGE), 0, household).astype(np.int8)


def _sex(rng: np.random.Generator, household: np.ndarray) -> np.ndarray:
    woman_share = np.array([m.WOMAN_SHARE[h] for h in range(3)])[household]
    sex = (rng.random(len(household)) < woman_share).astype(np.int8)
    return np.where(rng.random(len(household)) < m.SEX_UNKNOWN_SHARE, 2, sex).astype(np.int8)


def _education(rng: np.random.Generator, refugee: np.ndarray) -> np.ndarray:
    shares = np.where(refugee[:, None], m.EDUCATION_SHARES[True], m.EDUCATION_SHARES[False])
    return _choice(rng, shares)


def _spell_start(rng: np.random.Generator, participant: np.ndarray, birth_day: np.ndarray, start_day: int):
    median = np.where(participant, m.DURATION_MEDIAN_YEARS[True], m.DURATION_MEDIAN_YEARS[False])
    years = median * np.exp(m.DURATION_SIGMA * rng.standard_normal(len(participant)))
    days = np.maximum(np.round(years * DAYS_PER_YEAR), 31)
    adult_on = birth_day + np.int32(round(18 * DAYS_PER_YEAR))
    return np.clip(start_day - days, adult_on, start_day - 31).astype(np.int32)


def valid_bsns(rng: np.random.Generator, n: int) -> np.ndarray:
    """n distinct BSNs that pass the 11-proef, as integers (format with 9 digits, leading zeros kept).

    The first eight digits are drawn without replacement; the check digit follows from the weighted sum of
    the other eight. Prefixes whose check digit would be 10 cannot be made valid and are skipped.
    """
    if n == 0:
        return np.empty(0, dtype=np.int64)
    want = int(n * 1.15) + 16
    prefixes = rng.choice(10**8 - 1, size=want, replace=False).astype(np.int64) + 1  # never 00000000
    digits = (prefixes[:, None] // 10 ** np.arange(7, -1, -1, dtype=np.int64)) % 10
    check = (digits @ BSN_WEIGHTS) % 11
    candidates = (prefixes * 10 + check)[check < 10]
    if len(candidates) < n:  # practically impossible; draw again rather than fail
        return valid_bsns(rng, n)
    return candidates[:n]


def _with_gaps(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    return np.where(rng.random(len(values)) < share, values, -1)
