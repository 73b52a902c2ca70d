"""The catalogue of figures and tables: each table and each chart of the monitor and the evaluation defined once,
with every number formatted as a Dutch reader expects it, and rendered alike by the web pages and the reports.

A missing number (a method that could not be estimated, a group of nobody) is shown as a dash.
"""

import functools
import json
import math
from dataclasses import dataclass, field

from vertrouwen.core import charts
from vertrouwen.core.evaluation import reading
from vertrouwen.core.formatting import dutch_decimal, dutch_percentage

DASH = "–"


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def share(value) -> str:
    """A share (0 to 1) as a percentage: 10,7%."""
    return DASH if missing(value) else dutch_percentage(value)


def share_of(part: int, whole: int) -> str:
    return share(part / whole) if whole else DASH


def difference(value) -> str:
    """A difference in proportions in percentage points, signed."""
    return DASH if missing(value) else reading.signed(100 * value, 1)


def number(value, digits: int = 2) -> str:
    return DASH if missing(value) else dutch_decimal(value, digits)


def signed(value, digits: int = 2) -> str:
    return DASH if missing(value) else reading.signed(value, digits)


def p_value(value) -> str:
    """A p-value for a table cell: three decimals, or '< 0,001' kept on one line."""
    if missing(value):
        return DASH
    return "<\u00a00,001" if value < 0.001 else dutch_decimal(value, 3)


def interval(low, high, shown=difference) -> str:
    return DASH if missing(low) or missing(high) else f"{shown(low)} tot {shown(high)}"


@dataclass(frozen=True)
class Cell:
    figure: str  # names the number for tests and for the data-figure attribute
    text: str
    detail: str = ""  # the interval, or what the number is of, in smaller type
    flagged: bool = False


@dataclass(frozen=True)
class Row:
    key: str  # data-arm of the row: an arm, a contrast or a level
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    columns: list[str]  # headers of the number columns; the first column holds the row labels
    rows: list[Row]
    first: str = ""  # header of the label column
    readings: tuple[str, ...] = ()  # the table read in plain words, one paragraph each


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    spec: dict = field(compare=False, repr=False)  # the Vega-Lite specification
    description: str = ""  # what the chart shows, in words, for readers who cannot see it
    numbers: Table | None = None  # the numbers behind the chart

    @property
    def svg(self) -> str:
        return drawn(json.dumps(self.spec, sort_keys=True))


@functools.lru_cache(maxsize=64)
def drawn(spec: str) -> str:
    """The chart drawn. Drawing takes about a tenth of a second; the same specification is drawn once a process."""
    return charts.to_svg(json.loads(spec))
