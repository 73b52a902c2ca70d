"""The person attributes that strata (and the balance table) are formed from, at a reference date.

The reference date is the draw date: age and benefit duration are what they were on that day, so a draw can be
redone from the dataset years later. Conventions:

- Age in whole years: a person is a year older on their birthday; born on 29 February, on 1 March in a year without
  29 February. With only a birth year, the birthday is taken as 1 July (mid-year). Age bands: "18-26", "27-39",
  "40-54", "55+"; the line at 27 matters because the standard earnings disregard does not apply under 27.
  Under 18 (not entitled to bijstand, so a data error) gets no band.
- On benefit: a benefit spell with spell_start before the date and no spell_end or spell_end on or after it.
- Benefit duration: whole years since the start of the current spell (the same anniversary rule as age), in
  bands "<1 jaar", "1-2 jaar", "2-5 jaar", "5+ jaar". Not on benefit: no band. With overlapping current spells
  (a data error) the one that started last counts.
"""

import datetime as dt
from types import MappingProxyType

import polars as pl

from vertrouwen.core.predicates import spell_running_at

AGE_BANDS = ("18-26", "27-39", "40-54", "55+")
_AGE_BAND_STARTS = (18, 27, 40, 55)
BENEFIT_DURATION_BANDS = ("<1 jaar", "1-2 jaar", "2-5 jaar", "5+ jaar")
_DURATION_BAND_STARTS = (0, 1, 2, 5)  # whole years on benefit
_BIRTHDAY_UNKNOWN = (7, 1)  # month and day assumed when only the birth year is known

# The attributes a draw may be stratified by, with the Dutch label a user reads.
STRATUM_VARIABLES = MappingProxyType({
    "household_type": "Huishoudtype",
    "limitation": "Beperking",
    "sex": "Geslacht",
    "education": "Opleidingsniveau",
    "refugee_status_holder": "Statushouder",
    "age_band": "Leeftijdsklasse",
    "benefit_duration_band": "Uitkeringsduur",
})

# Every column person_attributes returns, with its Dutch label (balance tables use these).
ATTRIBUTE_LABELS = MappingProxyType({
    "person_id": "Persoon",
    "age": "Leeftijd",
    **STRATUM_VARIABLES,
    "on_benefit": "Met uitkering",
})

_PERSON_COLUMNS = ("person_id", "sex", "household_type", "refugee_status_holder", "limitation", "education")
_SPELL_COLUMNS = ("person_id", "spell_start", "spell_end")


def person_attributes(persons: pl.DataFrame, spells: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """One row per person of `persons` (same order): person_id, age, age_band, the coded attributes, on_benefit
    and benefit_duration_band at the date `on`. persons and spells are typed tables of the dataset format."""
    _require(persons, "persons", _PERSON_COLUMNS)
    _require(spells, "benefit_spells", _SPELL_COLUMNS)
    birth = _birth_dates(persons)
    age = _whole_years(birth, on)
    current = _current_spells(spells, on)
    return (
        persons.select(*_PERSON_COLUMNS, age.alias("age"))
        .with_columns(_band(pl.col("age"), _AGE_BAND_STARTS, AGE_BANDS).alias("age_band"))
        .join(current, on="person_id", how="left", maintain_order="left")
        .select(
            "person_id", "age", "age_band", "sex", "household_type", "limitation", "education",
            "refugee_status_holder",
            pl.col("current_start").is_not_null().alias("on_benefit"),
            _band(_whole_years(pl.col("current_start"), on), _DURATION_BAND_STARTS, BENEFIT_DURATION_BANDS)
            .alias("benefit_duration_band"),
        )
    )


def _require(frame: pl.DataFrame, table: str, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{table}: kolom {', '.join(missing)} ontbreekt")


def _birth_dates(persons: pl.DataFrame) -> pl.Expr:
    """birth_date, or 1 July of birth_year; null when neither is known."""
    parts = []
    if "birth_date" in persons.columns:
        parts.append(pl.col("birth_date"))
    if "birth_year" in persons.columns:
        month, day = _BIRTHDAY_UNKNOWN
        parts.append(pl.date(pl.col("birth_year"), month, day))
    return pl.coalesce(parts) if parts else pl.lit(None, dtype=pl.Date)


def _whole_years(start: pl.Expr, on: dt.date) -> pl.Expr:
    """Completed years from start to on: the year difference, less one before the anniversary."""
    before_anniversary = (start.dt.month().cast(pl.Int32) * 100 + start.dt.day()) > on.month * 100 + on.day
    return (pl.lit(on.year) - start.dt.year().cast(pl.Int64) - before_anniversary.cast(pl.Int64)).cast(pl.Int64)


def _band(value: pl.Expr, starts: tuple[int, ...], labels: tuple[str, ...]) -> pl.Expr:
    """The label of the last band whose start is at most value; null below the first start or for null."""
    expr = pl.lit(None, dtype=pl.String)
    for start, label in zip(starts, labels, strict=True):
        expr = pl.when(value >= start).then(pl.lit(label)).otherwise(expr)
    return expr.cast(pl.Enum(labels))


def _current_spells(spells: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """person_id and the start of the spell running on the date (the latest-starting one if several)."""
    return (
        spells.filter(spell_running_at(on))
        .group_by("person_id")
        .agg(pl.col("spell_start").max().alias("current_start"))
    )
