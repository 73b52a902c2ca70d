"""The balance table after a draw: are the arms alike on the covariates measured before the lottery?

For each covariate and arm: a categorical covariate gives the share of each level, a numeric one the mean and the
standard deviation. Each arm is compared with the control arm by the standardized mean difference (SMD,
Austin 2009, Statistics in Medicine 28:3083): (mean_arm - mean_control) / sqrt((sd_arm^2 + sd_control^2) / 2).
For a level of a categorical covariate the mean is the share p and the SD that of its 0/1 indicator,
sqrt(p * (1 - p)); for a numeric covariate the sample SD (n - 1 in the denominator) over the known values.
|SMD| > 0.1 is flagged: the usual rule of thumb for a difference worth a look, not a test.

A categorical covariate's levels: the categories of an Enum in their order, "ja" before "nee" for a boolean,
otherwise the values sorted; missing values form a last level "(onbekend)" when there are any, so the shares of
an arm add up to one.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from vertrouwen.core.formatting import aligned_table, dutch_decimal, dutch_number
from vertrouwen.core.lottery.strata import ATTRIBUTE_LABELS

SMD_THRESHOLD = 0.1
# The person attributes (core.lottery.strata) a draw's balance table compares.
BALANCE_COVARIATES = ("age", "sex", "household_type", "limitation", "education", "refugee_status_holder",
                      "benefit_duration_band")
MISSING_LEVEL = "(onbekend)"
_ID_COLUMNS = ("person_id", "unit_id")  # never covariates


@dataclass(frozen=True)
class BalanceRow:
    covariate: str
    level: str | None  # the category; None for a numeric covariate
    arm: str
    n: int  # categorical: the arm's units; numeric: those with a known value
    mean: float  # categorical: the level's share; numeric: the mean
    sd: float  # categorical: sqrt(p * (1 - p)); numeric: the sample SD
    smd: float | None  # against the control arm; None in the control arm's own row

    @property
    def imbalanced(self) -> bool:
        return self.smd is not None and not math.isnan(self.smd) and abs(self.smd) > SMD_THRESHOLD


@dataclass(frozen=True)
class BalanceTable:
    arms: tuple[str, ...]
    control: str
    sizes: tuple[int, ...]  # units per arm, aligned with arms
    rows: tuple[BalanceRow, ...]  # by covariate, level, then arm in arm order
    labels: tuple[tuple[str, str], ...] = ()  # (covariate, Dutch label) for as_text

    @property
    def imbalanced(self) -> tuple[BalanceRow, ...]:
        """The rows with |SMD| above the threshold."""
        return tuple(row for row in self.rows if row.imbalanced)

    def grouped(self) -> list[tuple[tuple[str, str | None], list[BalanceRow]]]:
        """The rows per (covariate, level), each with one row per arm in arm order."""
        groups: dict[tuple[str, str | None], list[BalanceRow]] = {}
        for row in self.rows:
            groups.setdefault((row.covariate, row.level), []).append(row)
        return list(groups.items())

    def tidy(self) -> pl.DataFrame:
        """One row per covariate, level and arm: covariate, level, arm, n, mean, sd, smd, imbalanced."""
        return pl.DataFrame(
            [(r.covariate, r.level, r.arm, r.n, r.mean, r.sd, r.smd, r.imbalanced) for r in self.rows],
            schema={"covariate": pl.String, "level": pl.String, "arm": pl.String, "n": pl.Int64,
                    "mean": pl.Float64, "sd": pl.Float64, "smd": pl.Float64, "imbalanced": pl.Boolean},
            orient="row",
        )

    def as_text(self) -> str:
        """A plain aligned table for the command line, Dutch headers and Dutch numbers."""
        labels = dict(self.labels)
        others = [arm for arm in self.arms if arm != self.control]
        header = ["Kenmerk", "Niveau", *self.arms, *(f"SMD {arm}" for arm in others)]
        lines = [["Aantal", "", *(dutch_number(n) for n in self.sizes), *("" for _ in others)]]
        for key, group in self.grouped():
            covariate, level = key
            by_arm = {row.arm: row for row in group}
            cells = [_cell(by_arm[arm]) for arm in self.arms]
            smds = [_smd_cell(by_arm[arm]) for arm in others]
            shown = "gemiddelde (SD)" if level is None else level
            lines.append([labels.get(covariate, covariate), shown, *cells, *smds])
        table = aligned_table([header, *lines], left=2)
        note = (f"SMD: gestandaardiseerd verschil met de controlegroep {self.control}; "
                f"* |SMD| groter dan {dutch_decimal(SMD_THRESHOLD, 1)}.")
        return "\n".join([*table, "", note]) + "\n"


def balance_table(frame: pl.DataFrame, arms: Sequence[str], control: str, arm_column: str = "arm",
                  covariates: Sequence[str] | None = None, labels: Mapping[str, str] | None = None) -> BalanceTable:
    """The balance table of `frame` (one row per unit: its arm and covariates). covariates defaults to every
    column but the arm and id columns; labels (Dutch, for as_text) default to the person attributes' labels."""
    arms = tuple(arms)
    arm_index = _arm_index(frame, arms, control, arm_column)
    names = _covariates(frame, arm_column, covariates)
    sizes = np.bincount(arm_index, minlength=len(arms))
    control_at = arms.index(control)
    rows: list[BalanceRow] = []
    for name in names:
        column = frame[name]
        stats = _numeric(column, arm_index, len(arms)) if _is_numeric(column) else _categorical(column, arm_index,
                                                                                                   sizes)
        for level, n, mean, sd in stats:
            smd = _smd(mean, sd, control_at)
            rows.extend(
                BalanceRow(name, level, arm, int(n[k]), float(mean[k]), float(sd[k]),
                           None if k == control_at else float(smd[k]))
                for k, arm in enumerate(arms)
            )
    all_labels = {**ATTRIBUTE_LABELS, **(labels or {})}
    return BalanceTable(arms, control, tuple(int(s) for s in sizes), tuple(rows),
                        tuple((name, all_labels.get(name, name)) for name in names))


def _arm_index(frame: pl.DataFrame, arms: tuple[str, ...], control: str, arm_column: str) -> np.ndarray:
    if arm_column not in frame.columns:
        raise ValueError(f"balanstabel: kolom {arm_column!r} met de groep ontbreekt")
    if control not in arms:
        raise ValueError(f"balanstabel: controlegroep {control!r} staat niet in de groepen ({', '.join(arms)})")
    codes = frame[arm_column].cast(pl.String)
    unknown = codes.is_null() | ~codes.is_in(arms)
    if unknown.any():
        row = int(unknown.arg_true()[0])
        raise ValueError(f"balanstabel, rij {row + 1}, kolom {arm_column!r}: groep {codes[row]!r} is geen van "
                         f"de groepen ({', '.join(arms)})")
    return codes.replace_strict(arms, range(len(arms)), return_dtype=pl.Int64).to_numpy()


def _covariates(frame: pl.DataFrame, arm_column: str, covariates: Sequence[str] | None) -> tuple[str, ...]:
    if covariates is None:
        return tuple(c for c in frame.columns if c != arm_column and c not in _ID_COLUMNS)
    for name in covariates:
        if name not in frame.columns:
            raise ValueError(f"balanstabel: kenmerk {name!r} ontbreekt (kolommen: {', '.join(frame.columns)})")
    return tuple(covariates)


def _is_numeric(column: pl.Series) -> bool:
    dtype = column.dtype
    if dtype.is_numeric():
        return True
    if dtype in (pl.String, pl.Boolean, pl.Null) or isinstance(dtype, pl.Enum | pl.Categorical):
        return False
    raise ValueError(f"balanstabel: kenmerk {column.name!r} van soort {dtype} is geen categorie en geen getal")


Stats = tuple[str | None, np.ndarray, np.ndarray, np.ndarray]  # level, then n, mean and sd per arm


def _numeric(column: pl.Series, arm_index: np.ndarray, n_arms: int) -> list[Stats]:
    values = column.cast(pl.Float64).to_numpy()
    known = ~np.isnan(values)
    n, mean, sd = np.zeros(n_arms, dtype=np.int64), np.full(n_arms, np.nan), np.full(n_arms, np.nan)
    for k in range(n_arms):  # per arm, not per unit
        x = values[known & (arm_index == k)]
        n[k] = len(x)
        if len(x):
            mean[k] = x.mean()
        if len(x) > 1:
            sd[k] = x.std(ddof=1)
    return [(None, n, mean, sd)]


def _categorical(column: pl.Series, arm_index: np.ndarray, sizes: np.ndarray) -> list[Stats]:
    names, codes = _levels(column)
    n_levels = len(names)
    counts = np.bincount(arm_index * n_levels + codes, minlength=len(sizes) * n_levels).reshape(len(sizes), n_levels)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = counts / sizes[:, None]
    return [(name, sizes, shares[:, j], np.sqrt(shares[:, j] * (1 - shares[:, j]))) for j, name in enumerate(names)]


def _levels(column: pl.Series) -> tuple[list[str], np.ndarray]:
    """The level names in display order and each unit's level number."""
    dtype = column.dtype
    if isinstance(dtype, pl.Enum):
        values = list(dtype.categories)
    elif dtype == pl.Boolean:
        column = column.replace_strict({True: "ja", False: "nee"}, return_dtype=pl.String)
        values = ["ja", "nee"]
    else:
        column = column.cast(pl.String)
        values = sorted(column.drop_nulls().unique().to_list())
    text = column.cast(pl.String)
    names = values + ([MISSING_LEVEL] if text.null_count() else [])
    codes = text.fill_null(MISSING_LEVEL).replace_strict(names, range(len(names)), return_dtype=pl.Int64)
    return names, codes.to_numpy()


def _smd(mean: np.ndarray, sd: np.ndarray, control: int) -> np.ndarray:
    """Each arm's standardized difference with the control arm; 0 when both are constant and equal."""
    difference = mean - mean[control]
    pooled = np.sqrt((sd**2 + sd[control] ** 2) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        smd = difference / pooled
    return np.where((pooled == 0) & (difference == 0), 0.0, smd)


def _cell(row: BalanceRow) -> str:
    if row.level is not None:
        return f"{dutch_decimal(100 * row.mean, 1)}%" if row.n else "n.b."
    return f"{dutch_decimal(row.mean, 1)} ({dutch_decimal(row.sd, 1)})"


def _smd_cell(row: BalanceRow) -> str:
    return dutch_decimal(row.smd, 2) + (" *" if row.imbalanced else "  ")
