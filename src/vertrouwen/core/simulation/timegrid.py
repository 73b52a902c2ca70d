"""The simulation's time grid: calendar months, with dates as whole days since 1970-01-01 (int32)."""

import datetime as dt
from dataclasses import dataclass

import numpy as np

EPOCH = dt.date(1970, 1, 1)
NO_DAY = np.int32(np.iinfo(np.int32).min)  # a missing date in day arrays


def to_days(date: dt.date) -> int:
    return (date - EPOCH).days


def from_days(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


@dataclass(frozen=True)
class Calendar:
    """Months 0..n-1 from the first month of the period; `starts` has n + 1 entries (the last closes month n-1)."""

    starts: np.ndarray  # int32 days of each month's first day

    @classmethod
    def between(cls, first: dt.date, last: dt.date) -> "Calendar":
        months = np.arange(np.datetime64(first, "M"), np.datetime64(last, "M") + 2)
        return cls(months.astype("datetime64[D]").astype(np.int64).astype(np.int32))

    @property
    def n_months(self) -> int:
        return len(self.starts) - 1

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.starts).astype(np.int32)

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Month index of each day; -1 before the period, n_months after it."""
        return (np.searchsorted(self.starts, days, side="right") - 1).astype(np.int32)

    def first_monday(self, month: int) -> int:
        """Lottery draws happen on the first Monday of a month (1970-01-01 was a Thursday)."""
        first = int(self.starts[month])
        return first + (4 - first % 7) % 7
