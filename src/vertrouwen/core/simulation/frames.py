"""Turning arrays into the dataset's typed DataFrames, in the schema's column order and types."""

import numpy as np
import polars as pl

from vertrouwen.core.dataset import table_schema
from vertrouwen.core.dataset.schema import Table
from vertrouwen.core.simulation.timegrid import NO_DAY


def person_ids(n: int) -> pl.Series:
    """P0000001, P0000002, ... (seven digits, more when needed)."""
    width = max(7, len(str(n)))
    return pl.Series("person_id", np.arange(1, n + 1)).cast(pl.String).str.zfill(width).str.replace(r"^", "P")


def labels(values: tuple[str, ...], index: np.ndarray) -> pl.Series:
    """Code labels for an index array; a negative index gives null."""
    index = pl.Series(index.astype(np.int64))
    if (index < 0).any():
        index = index.set(index < 0, None)
    return pl.Series(values, dtype=pl.String).gather(index)


def alphabetical_rank(values: tuple[str, ...]) -> np.ndarray:
    """Position of each code in sorted order: sorting by it sorts rows as the code strings sort."""
    return np.argsort(np.argsort(np.array(values)))


def dates(days: np.ndarray) -> pl.Series:
    """Days since 1970-01-01 as dates; NO_DAY gives null."""
    series = pl.Series(days.astype(np.int32)).cast(pl.Date)
    missing = days == NO_DAY
    return series.set(pl.Series(missing), None) if missing.any() else series


def cents_to_decimal(hundredths: np.ndarray) -> pl.Series:
    return pl.Series(hundredths.astype(np.int64)).cast(pl.Decimal(scale=2)) / 100


def frame(table: Table, columns: dict[str, pl.Series | np.ndarray]) -> pl.DataFrame:
    """A DataFrame with exactly the table's columns and types; columns not given are all null."""
    schema = table_schema(table)
    height = len(next(iter(columns.values())))
    series = []
    for name, dtype in schema.items():
        value = columns.get(name)
        if value is None:
            series.append(pl.repeat(None, height, dtype=dtype, eager=True).alias(name))
        else:
            series.append(pl.Series(name, value).cast(dtype))
    return pl.DataFrame(series)
