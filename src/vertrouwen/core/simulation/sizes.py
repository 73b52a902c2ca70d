"""Dataset sizes and the period each one covers.

XS and S cover the design's own period (Wageningen: October 2017 to December 2019, 27 months). M and L cover
36 months ending where the design ends (Wageningen: January 2017 to December 2019), with the design's count
date, so three months before the end as in Wageningen. Half of the people are participants, half reference.
"""

import datetime as dt
from dataclasses import dataclass

from vertrouwen.core.dataset.manifest import Experiment
from vertrouwen.core.designs import Design
from vertrouwen.core.months import add_months


@dataclass(frozen=True)
class Size:
    code: str
    participants: int
    reference: int
    months: int | None = None  # None: the design's own period

    @property
    def people(self) -> int:
        return self.participants + self.reference


SIZES = {
    "XS": Size("XS", 60, 60),  # fast tests
    "S": Size("S", 800, 800),  # one experiment
    "M": Size("M", 20_000, 20_000, months=36),  # a large city
    "L": Size("L", 205_000, 205_000, months=36),  # national: about 15 million person-months
}


def resolve_size(size: "str | Size") -> Size:
    if isinstance(size, Size):
        return size
    try:
        return SIZES[size.upper()]
    except KeyError:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}") from None


def experiment_for(design: Design, size: Size) -> Experiment:
    """The design's experiment, stretched back to `size.months` months when the size asks for it."""
    experiment = design.experiment()
    if size.months is None:
        return experiment
    first_month = add_months(dt.date(design.period_end.year, design.period_end.month, 1), 1 - size.months)
    return Experiment(experiment.code, experiment.name, first_month, design.period_end, design.count_date)
