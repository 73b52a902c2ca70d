"""Persons: who is in the municipality's file, as arrays (one entry per person)."""

from dataclasses import dataclass
from functools import cache

import numpy as np

from vertrouwen.core.privacy import BSN_WEIGHTS
from vertrouwen.core.simulation import model as m

DAYS_PER_YEAR = 365.25
# Every synthetic BSN starts with these digits, so that it is recognisable as synthetic at a glance. A number that
# passes the 11-proef may belong to a real resident, and the demo writes BSNs to its CSV files in plain text; the
# prefix does not make a number impossible as a real BSN, it marks it as one of ours (and the numbers still pass
# the 11-proef, as the dataset requires).
SYNTHETIC_BSN_PREFIX = "99"


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
    # Nobody on bijstand has reached the AOW age: those who would reach it within a month of the start are drawn
    # again, uniformly between 55 and 65.5 years old, below any AOW age of the period.
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
    """n distinct synthetic BSNs, as integers (format with 9 digits): each starts with SYNTHETIC_BSN_PREFIX and
    passes the 11-proef, drawn without replacement from all such numbers (about 909,000)."""
    pool = synthetic_bsns()
    if n > len(pool):
        raise ValueError(f"only {len(pool):,} synthetic BSNs exist; {n:,} asked")
    return rng.choice(pool, size=n, replace=False) if n else np.empty(0, dtype=np.int64)


@cache
def synthetic_bsns() -> np.ndarray:
    """Every nine-digit number that starts with SYNTHETIC_BSN_PREFIX and passes the 11-proef, in increasing order.

    The digits after the prefix but the last run over all values; the last (check) digit d is the one that makes
    the weighted sum, with weight w on d, divisible by 11: d = -S / w modulo 11 (S the sum over the others).
    Where that would be 10 the number cannot be made valid and is left out (about one in eleven).
    """
    *weights, check_weight = BSN_WEIGHTS
    free = len(weights) - len(SYNTHETIC_BSN_PREFIX)
    body = int(SYNTHETIC_BSN_PREFIX) * 10**free + np.arange(10**free, dtype=np.int64)  # the first eight digits
    weighted = sum(((body // 10 ** (len(weights) - 1 - i)) % 10) * w for i, w in enumerate(weights))
    check = (-weighted * pow(check_weight, -1, 11)) % 11
    valid = check < 10
    bsns = body[valid] * 10 + check[valid]
    bsns.flags.writeable = False  # cached and shared
    return bsns


def _with_gaps(rng: np.random.Generator, values: np.ndarray, share: float) -> np.ndarray:
    return np.where(rng.random(len(values)) < share, values, -1)
