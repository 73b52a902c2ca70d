"""The checks of the canonical dataset format on parsed tables: field values, rows and references.

Everything here is pure: it works on tables of strings as read from the files and returns typed tables and
problems. reading.py does the file work (encodings, delimiters, CSV structure) and applies these checks, so
the folder-level entry points validate_dataset and read_dataset live there.

All checks are vectorized; Python only loops over rows that have a problem.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import polars as pl

from vertrouwen.core.dataset.manifest import Manifest
from vertrouwen.core.dataset.schema import (
    BENEFIT_SPELLS,
    DATE_RANGE,
    ENROLLMENTS,
    ID_PATTERN,
    LIMITS,
    MANIFEST,
    PERSONS,
    SURVEY_RESPONSES,
    TABLES,
    Column,
    Kind,
    Table,
    empty_frame,
    polars_dtype,
)
from vertrouwen.core.privacy import BSN_WEIGHTS, bsns_in, mask_bsns
from vertrouwen.core.surveys.instruments import INSTRUMENTS

PERSON_ID_NAME = "person_id"
LINE = "_line"  # physical line number of a row in its file; the header is line 1
_RAW = "__raw"  # suffix of the untyped copy of a column while checking
_SHOWN_PROBLEMS = 20
_MAX_SHOWN_VALUE = 40
_LAST = 1_000_000  # sorts after any real file or column position

BOOLEAN_WORDS: Mapping[str, bool] = MappingProxyType({
    "ja": True, "j": True, "1": True, "true": True,
    "nee": False, "n": False, "0": False, "false": False,
})

# [0-9] rather than \d: the regex engine's \d also matches non-ASCII digits.
_INT = r"^-?[0-9]+$"
_DECIMAL = r"^-?[0-9]+([.,][0-9]{1,2})?$"
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DUTCH_DATE = r"^[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}$"
_MONTH = r"^[0-9]{4}-[0-9]{2}$"
_ID = ID_PATTERN


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a dataset folder, located as precisely as possible."""

    file: str
    line: int | None
    column: str | None
    reason: str

    def __post_init__(self) -> None:
        # A message never repeats a number that passes the 11-proef, in whatever column it was found: the
        # messages reach the command line, the API's answers and the logs.
        object.__setattr__(self, "reason", mask_bsns(self.reason))
        if self.column is not None:
            object.__setattr__(self, "column", mask_bsns(self.column))

    def __str__(self) -> str:
        place = [self.file]
        if self.line is not None:
            place.append(f"regel {self.line}")
        if self.column is not None:
            place.append(f"kolom {self.column}")
        return f"{', '.join(place)}: {self.reason}"


class DatasetInvalid(Exception):
    """The dataset folder has problems; `.problems` lists all of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(self._summary())

    def _summary(self) -> str:
        count = len(self.problems)
        lines = [f"De dataset is ongeldig: {count} {'probleem' if count == 1 else 'problemen'}."]
        lines += [f"- {p}" for p in self.problems[:_SHOWN_PROBLEMS]]
        if count > _SHOWN_PROBLEMS:
            lines.append(f"... en nog {count - _SHOWN_PROBLEMS} problemen.")
        return "\n".join(lines)


@dataclass(frozen=True)
class RawTable:
    """A table as read from its file: LINE plus one String column per schema column (trimmed, null when
    empty), and which schema columns the file's header had; the others are all null.

    `dropped` holds the values on rows left out for a wrong number of fields (reported already): which of
    them is the person_id cannot be told, so references to any of them are not reported again.
    """

    frame: pl.DataFrame
    columns: frozenset[str]
    dropped: pl.Series = field(default_factory=lambda: pl.Series("value", [], dtype=pl.String))


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """By file in schema order (manifest first), then line, then column in schema order."""
    files = {MANIFEST: 0} | {t.filename: i + 1 for i, t in enumerate(TABLES)}
    columns = {t.filename: {name: i for i, name in enumerate(t.column_names)} for t in TABLES}

    def key(p: Problem) -> tuple[int, int, int]:
        column = -1 if p.column is None else columns.get(p.file, {}).get(p.column, _LAST)
        return files.get(p.file, _LAST), p.line or 0, column

    return sorted(problems, key=key)


def check_tables(raw: Mapping[str, RawTable | None],
                 manifest: Manifest | None) -> tuple[dict[str, pl.DataFrame], list[Problem]]:
    """Type and check every table, then the references between them.

    A table that could not be read is None: it counts as empty, and references to persons are not
    checked when persons.csv is the one missing, nor stops against benefit spells when benefit_spells.csv
    is. Typed tables keep LINE.
    """
    typed: dict[str, pl.DataFrame] = {}
    problems: list[Problem] = []
    for table in TABLES:
        source = raw.get(table.name)
        if source is None:
            typed[table.name] = empty_frame(table).with_columns(pl.lit(None, pl.Int64).alias(LINE))
            continue
        frame, found = _check_table(table, source)
        typed[table.name] = frame
        problems += found
    persons, spells = raw.get(PERSONS.name), raw.get(BENEFIT_SPELLS.name)
    if persons is not None and PERSON_ID_NAME in persons.columns:
        problems += _unknown_persons(typed, persons) + _shared_bsns(typed[PERSONS.name], persons)
    if spells is not None and PERSON_ID_NAME in spells.columns:
        problems += _stops_off_benefit(typed, spells)
    if manifest is not None:
        problems += _unknown_arms(typed[ENROLLMENTS.name], manifest)
    problems += _answers_off_scale(typed[SURVEY_RESPONSES.name])
    return typed, problems


def _check_table(table: Table, source: RawTable) -> tuple[pl.DataFrame, list[Problem]]:
    raw = source.frame
    typed = raw.select(LINE, *[_parse(c, pl.col(c.name)).alias(c.name) for c in table.columns])
    work = pl.concat([typed, raw.select(pl.col(c).name.suffix(_RAW) for c in table.column_names)],
                     how="horizontal")
    checks = [check for column in table.columns for check in _column_checks(column, source.columns)]
    checks += _date_order_checks(table)
    checks += _ROW_CHECKS.get(table.name, _no_checks)(source.columns)
    if PERSON_ID_NAME in table.column_names:
        checks.append(_Check(_looks_like_bsn(table), PERSON_ID_NAME, lambda _: PERSON_ID_LOOKS_LIKE_BSN))
    problems = _run(work, table, checks) + _duplicate_keys(table, work)
    if table is PERSONS:
        problems += _birth_columns(source.columns)
    if table is BENEFIT_SPELLS:
        problems += _overlapping_spells(table, work)
    return _without_reported_values(table, typed, work), problems


def _without_reported_values(table: Table, typed: pl.DataFrame, work: pl.DataFrame) -> pl.DataFrame:
    """Values longer than their column allows, and a person_id that looks like a BSN, are reported; like values
    that do not parse, they are then left out, so the checks across files skip them rather than report them
    again (and never repeat a BSN)."""
    limited = [c for c in table.columns if c.max_length is not None]
    typed = typed.with_columns(
        pl.when(pl.col(c.name).str.len_chars() <= c.max_length).then(pl.col(c.name)).alias(c.name) for c in limited)
    if PERSON_ID_NAME not in table.column_names:
        return typed
    suspect = work.select(_looks_like_bsn(table).fill_null(False)).to_series()
    return typed.with_columns(pl.when(~suspect).then(pl.col(PERSON_ID_NAME)).alias(PERSON_ID_NAME))


PERSON_ID_LOOKS_LIKE_BSN = "person_id lijkt een BSN; gebruik een eigen persoonsnummer, nooit het BSN"


def _looks_like_bsn(table: Table) -> pl.Expr:
    """A person_id that may well be a BSN, as municipal client numbers often are: nine digits passing the
    11-proef in any file, and in persons.csv also the row's own bsn (even one that fails the 11-proef)."""
    person_id = pl.col(PERSON_ID_NAME)
    suspect = bsn_passes_11_proef(person_id)
    if table is PERSONS:
        suspect = suspect | (person_id == pl.col("bsn" + _RAW))
    return suspect


@dataclass(frozen=True)
class _Check:
    """Rows where `failing` is true have a problem in `column`; `reason` words it from the row."""

    failing: pl.Expr
    column: str | None
    reason: Callable[[dict], str]


def _run(frame: pl.DataFrame, table: Table, checks: list[_Check]) -> list[Problem]:
    """All checks in one pass over the frame; only checks that fail somewhere look at rows."""
    if not checks or frame.is_empty():
        return []
    failed = frame.select(c.failing.fill_null(False).any().alias(str(i)) for i, c in enumerate(checks)).row(0)
    return [problem for check, fails in zip(checks, failed, strict=True) if fails
            for problem in _report(frame, check.failing, table, check.column, check.reason)]


# Parsing: each kind turns a trimmed string into its typed value, or null when the string is not valid.

def _parse(column: Column, text: pl.Expr) -> pl.Expr:
    return _PARSERS[column.kind](column, text).cast(polars_dtype(column.kind))


def _parse_int(_: Column, text: pl.Expr) -> pl.Expr:
    return pl.when(text.str.contains(_INT)).then(text.cast(pl.Int64, strict=False))


def _parse_decimal(_: Column, text: pl.Expr) -> pl.Expr:
    number = text.str.replace(",", ".", literal=True)
    return pl.when(text.str.contains(_DECIMAL)).then(number.cast(polars_dtype(Kind.DECIMAL), strict=False))


def _parse_date(_: Column, text: pl.Expr) -> pl.Expr:
    return _from_year_one(pl.when(text.str.contains(_ISO_DATE)).then(text.str.to_date("%Y-%m-%d", strict=False))
                          .when(text.str.contains(_DUTCH_DATE)).then(text.str.to_date("%d-%m-%Y", strict=False)))


def _parse_month(_: Column, text: pl.Expr) -> pl.Expr:
    first_day = (text + "-01").str.to_date("%Y-%m-%d", strict=False)
    return _from_year_one(pl.when(text.str.contains(_MONTH)).then(first_day))


def _from_year_one(date: pl.Expr) -> pl.Expr:
    """polars reads year 0 (0000-01-01), which Python's dates, and so the import, do not have."""
    return pl.when(date.dt.year() >= 1).then(date)


def _parse_bool(_: Column, text: pl.Expr) -> pl.Expr:
    return text.str.to_lowercase().replace_strict(dict(BOOLEAN_WORDS), default=None, return_dtype=pl.Boolean)


def _parse_code(column: Column, text: pl.Expr) -> pl.Expr:
    code = text.str.to_lowercase()
    return pl.when(code.is_in(list(column.code_list))).then(code)


def _parse_id(_: Column, text: pl.Expr) -> pl.Expr:
    return pl.when(text.str.contains(_ID)).then(text)


def _parse_text(_: Column, text: pl.Expr) -> pl.Expr:
    return text


def _parse_bsn(_: Column, text: pl.Expr) -> pl.Expr:
    # Eight digits are refused, not padded: a spreadsheet may have dropped a leading zero, but a mistyped BSN
    # with a digit missing would then pass for someone else's about one time in eleven.
    return pl.when(bsn_passes_11_proef(text)).then(text)


def bsn_passes_11_proef(bsn: pl.Expr) -> pl.Expr:
    """Vectorized privacy.is_valid_bsn: nine digits, not 000000000, weighted sum divisible by 11."""
    nine_digits = bsn.str.contains(r"^[0-9]{9}$")
    digits = pl.when(nine_digits).then(bsn).otherwise(pl.lit("000000000"))
    weighted = pl.sum_horizontal(digits.str.slice(i, 1).cast(pl.Int64) * w for i, w in enumerate(BSN_WEIGHTS))
    return nine_digits & (bsn != "000000000") & (weighted % 11 == 0)


_PARSERS: Mapping[Kind, Callable[[Column, pl.Expr], pl.Expr]] = MappingProxyType({
    Kind.INT: _parse_int,
    Kind.DECIMAL: _parse_decimal,
    Kind.DATE: _parse_date,
    Kind.MONTH: _parse_month,
    Kind.BOOL: _parse_bool,
    Kind.CODE: _parse_code,
    Kind.ID: _parse_id,
    Kind.TEXT: _parse_text,
    Kind.BSN: _parse_bsn,
})


# Field problems: empty required fields, values that do not parse, values out of range.

def _column_checks(column: Column, present: frozenset[str]) -> list[_Check]:
    name, raw = column.name, pl.col(column.name + _RAW)
    checks = [_Check(raw.is_not_null() & pl.col(name).is_null(), name,
                     lambda row: _unparsed_reason(column, row[name + _RAW]))]
    if column.required and name in present:
        checks.append(_Check(raw.is_null(), name, lambda _: "verplicht veld is leeg"))
    if column.minimum is not None:
        checks.append(_Check(pl.col(name) < column.minimum, name,
                             lambda row: f"{row[name + _RAW]} is kleiner dan het minimum {column.minimum}"))
    if column.maximum is not None:
        checks.append(_Check(pl.col(name) > column.maximum, name,
                             lambda row: f"{row[name + _RAW]} is groter dan het maximum {column.maximum}"))
    if column.kind in (Kind.DATE, Kind.MONTH):
        earliest, latest = DATE_RANGE
        checks.append(_Check((pl.col(name) < earliest) | (pl.col(name) > latest), name,
                             lambda row: f"{row[name + _RAW]} ligt niet tussen {earliest:%d-%m-%Y} en "
                                         f"{latest:%d-%m-%Y}"))
    if column.max_length is not None:
        # On the parsed value: an id with characters that are not allowed is reported for those only.
        checks.append(_Check(pl.col(name).str.len_chars() > column.max_length, name,
                             lambda row: f"{_show(row[name])} is langer dan {column.max_length} tekens "
                                         f"({len(row[name])} tekens)"))
    return checks


def _unparsed_reason(column: Column, value: str) -> str:
    shown = _show(value)
    match column.kind:
        case Kind.INT:
            return f"{shown} is geen geheel getal"
        case Kind.DECIMAL if any(len(part) > 2 for part in value.replace(",", ".").split(".")[1:]):
            return f"{shown} heeft meer dan twee decimalen of een scheidingsteken voor duizendtallen"
        case Kind.DECIMAL:
            return f"{shown} is geen getal"
        case Kind.DATE:
            return f"{shown} is geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)"
        case Kind.MONTH:
            return f"{shown} is geen geldige maand (JJJJ-MM)"
        case Kind.BOOL:
            return f"{shown} is geen ja/nee-waarde (toegestaan: {', '.join(BOOLEAN_WORDS)})"
        case Kind.CODE:
            return f"{shown} is geen geldige waarde; toegestaan: {', '.join(column.code_list)}"
        case Kind.ID:
            return f"{shown} bevat tekens die niet zijn toegestaan (alleen letters, cijfers, '-', '_' en '.')"
        case Kind.BSN:
            # Never repeat the value: a BSN is personal data, and so is a mistyped one.
            digits = len(value) if value.isascii() and value.isdigit() else None
            if digits == 8:
                return ("BSN heeft 8 cijfers; is de voorloopnul weggevallen? "
                        "Lever het BSN als tekst met 9 cijfers aan.")
            return "BSN voldoet niet aan de 11-proef" if digits == 9 else "BSN moet uit 9 cijfers bestaan"
    raise AssertionError(column.kind)


def _show(value: str) -> str:
    if len(value) > _MAX_SHOWN_VALUE:
        value = value[:_MAX_SHOWN_VALUE] + "..."
    return '"' + value.replace("\r", "\\r").replace("\n", "\\n") + '"'


# Row problems within one table.

def _date_order_checks(table: Table) -> list[_Check]:
    """A later date before an earlier one, reported once per later column: against the first pair that fails."""
    checks = []
    failed: dict[str, pl.Expr] = {}  # per later column: an earlier pair failed
    for earlier, later in table.date_order:
        before = (pl.col(later) < pl.col(earlier)).fill_null(False)
        checks.append(_Check(before & ~failed.get(later, pl.lit(False)), later,
                             lambda row, a=earlier, b=later: f"{b} {row[b]} ligt voor {a} {row[a]}"))
        failed[later] = failed.get(later, pl.lit(False)) | before
    return checks


def _duplicate_keys(table: Table, work: pl.DataFrame) -> list[Problem]:
    key = list(table.key)
    keyed = work.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key))
    keyed = keyed.with_columns(pl.col(LINE).min().over(key).alias("_first"))
    column = key[0] if len(key) == 1 else None
    return _report(keyed, pl.col(LINE) != pl.col("_first"), table, column,
                   lambda row: f"dubbele regel voor ({', '.join(key)}): dezelfde als regel {row['_first']}")


def _birth_columns(present: frozenset[str]) -> list[Problem]:
    if {"birth_date", "birth_year"} & present:
        return []
    return [Problem(PERSONS.filename, 1, "birth_date", "kolom birth_date of birth_year ontbreekt in de kopregel")]


def _persons_checks(present: frozenset[str]) -> list[_Check]:
    if not {"birth_date", "birth_year"} & present:
        return []  # reported once, for the header
    neither = pl.col("birth_date" + _RAW).is_null() & pl.col("birth_year" + _RAW).is_null()
    differ = pl.col("birth_date").dt.year() != pl.col("birth_year")
    return [
        _Check(neither, "birth_date", lambda _: "geboortedatum of geboortejaar is verplicht"),
        _Check(differ, "birth_year",
               lambda row: f"geboortejaar {row['birth_year']} past niet bij geboortedatum {row['birth_date']}"),
    ]


def _benefit_spells_checks(_: frozenset[str]) -> list[_Check]:
    return _reason_with_date("spell_end", "end_reason", "beëindigingsreden")


def _enrollments_checks(_: frozenset[str]) -> list[_Check]:
    # Only a participant can stop taking part, and one takes part from signing the rules.
    stopped_unsigned = pl.col("stopped_on" + _RAW).is_not_null() & pl.col("consented_on" + _RAW).is_null()
    return [
        _Check(stopped_unsigned, "stopped_on",
               lambda _: "stopped_on mag alleen worden ingevuld als consented_on is ingevuld: "
                         "stoppen kan pas na het ondertekenen van de spelregels"),
        *_reason_with_date("stopped_on", "stop_reason", "reden van stoppen"),
    ]


def _no_checks(_: frozenset[str]) -> list[_Check]:
    return []


def _reason_with_date(date: str, reason: str, label: str) -> list[_Check]:
    """A reason column that must be filled exactly when its date column is."""
    date_given = pl.col(date + _RAW).is_not_null()
    reason_given = pl.col(reason + _RAW).is_not_null()
    return [
        _Check(date_given & ~reason_given, reason, lambda _: f"{label} ontbreekt; verplicht als {date} is ingevuld"),
        _Check(reason_given & ~date_given, reason,
               lambda _: f"{label} mag alleen worden ingevuld als {date} is ingevuld"),
    ]


_ROW_CHECKS: Mapping[str, Callable[[frozenset[str]], list[_Check]]] = MappingProxyType({
    PERSONS.name: _persons_checks,
    BENEFIT_SPELLS.name: _benefit_spells_checks,
    ENROLLMENTS.name: _enrollments_checks,
})


_OPEN_END = dt.date(9999, 12, 31)


def _overlapping_spells(table: Table, work: pl.DataFrame) -> list[Problem]:
    """A spell that starts before an earlier spell of the same person has ended."""
    spells = work.filter(pl.col("person_id").is_not_null() & pl.col("spell_start").is_not_null())
    # An open spell lasts forever; an end that did not parse is reported already, so it does not extend.
    end = (pl.when(pl.col("spell_end").is_not_null()).then(pl.col("spell_end"))
           .when(pl.col("spell_end" + _RAW).is_null()).then(pl.lit(_OPEN_END))
           .otherwise(pl.col("spell_start")))
    latest_line = pl.when(pl.col("_end") == pl.col("_end").cum_max()).then(pl.col(LINE)).forward_fill()
    spells = (spells.with_columns(end.alias("_end"))
              .sort("person_id", "spell_start", LINE)
              .with_columns(pl.col("_end").cum_max().shift(1).over("person_id").alias("_before_end"),
                            latest_line.shift(1).over("person_id").alias("_before_line"),
                            pl.col("spell_start").shift(1).over("person_id").alias("_before_start")))
    # Two spells with the same start are reported as a duplicate key.
    overlap = (pl.col("spell_start") < pl.col("_before_end")) & (pl.col("spell_start") != pl.col("_before_start"))
    return _report(spells, overlap, table, "spell_start", _overlap_reason)


def _overlap_reason(row: dict) -> str:
    if row["_before_end"] == _OPEN_END:
        return f"uitkering begint terwijl de uitkering van regel {row['_before_line']} nog loopt"
    return (f"uitkering begint op {row['spell_start']}, voordat de uitkering van regel {row['_before_line']} "
            f"eindigde ({row['_before_end']})")


# Problems across tables.

def _unknown_persons(typed: Mapping[str, pl.DataFrame], persons: RawTable) -> list[Problem]:
    """A person_id that is not in persons.csv. Every id persons.csv has counts, also one reported there
    (not readable, too long, like a BSN), and every value on a persons row left out for its number of fields:
    one bad persons row gives one problem, not one per reference."""
    ids = persons.frame.get_column(PERSON_ID_NAME).drop_nulls()
    known = pl.concat([ids, persons.dropped.alias(PERSON_ID_NAME)]).unique().to_frame()
    problems = []
    for table in (t for t in TABLES if t is not PERSONS):
        unknown = typed[table.name].drop_nulls(PERSON_ID_NAME).join(known, on=PERSON_ID_NAME, how="anti")
        problems += _problems(unknown, table, PERSON_ID_NAME,
                              lambda row: f"persoon {row[PERSON_ID_NAME]} komt niet voor in {PERSONS.filename}")
    return problems


def _stops_off_benefit(typed: Mapping[str, pl.DataFrame], spells: RawTable) -> list[Problem]:
    """A stopped_on outside every benefit spell of the person: Gestopt means stopped taking part while on
    benefit. A spell end counts as included. Dates that could not be read are reported already and taken as
    open (a start as the beginning of time, an end as still running), and a person whose id occurs on a
    benefit_spells row left out for its number of fields is skipped, so neither gives a second problem."""
    stops = typed[ENROLLMENTS.name].filter(pl.col(PERSON_ID_NAME).is_not_null() & pl.col("stopped_on").is_not_null()
                                           & ~pl.col(PERSON_ID_NAME).is_in(spells.dropped.implode()))
    person_spells = (typed[BENEFIT_SPELLS.name].filter(pl.col(PERSON_ID_NAME).is_not_null())
                     .select(PERSON_ID_NAME, "spell_start", "spell_end"))
    start, end, stop = pl.col("spell_start"), pl.col("spell_end"), pl.col("stopped_on")
    within = (start.is_null() | (start <= stop)) & (end.is_null() | (stop <= end))
    covered = (stops.select(LINE, PERSON_ID_NAME, "stopped_on").join(person_spells, on=PERSON_ID_NAME)
               .filter(within).select(LINE).unique())
    return _problems(stops.join(covered, on=LINE, how="anti").sort(LINE), ENROLLMENTS, "stopped_on",
                     lambda row: f"stopped_on {row['stopped_on']} valt in geen uitkering van deze persoon in "
                                 f"{BENEFIT_SPELLS.filename}: stoppen met deelnemen kan alleen tijdens de uitkering")


def _shared_bsns(persons: pl.DataFrame, raw: RawTable) -> list[Problem]:
    """A BSN given for more than one person_id, compared as written, so also when a person_id is reported
    itself. The message names the first person with the BSN, or only its line when that person_id is left out
    of the typed table (e.g. because it looks like a BSN); it never contains the BSN itself."""
    written = raw.frame.select(LINE, pl.col(PERSON_ID_NAME).alias("_written"))
    with_bsn = (persons.join(written, on=LINE).filter(pl.col("bsn").is_not_null() & pl.col("_written").is_not_null())
                .sort(LINE))
    with_bsn = with_bsn.with_columns(pl.col(LINE).first().over("bsn").alias("_first"),
                                     pl.col("_written").first().over("bsn").alias("_first_written"),
                                     pl.col(PERSON_ID_NAME).first().over("bsn").alias("_first_person"))
    return _report(with_bsn, pl.col("_written") != pl.col("_first_written"), PERSONS, "bsn", _shared_reason)


def _shared_reason(row: dict) -> str:
    if row["_first_person"] is None:
        return f"hetzelfde BSN als de persoon op regel {row['_first']}"
    return f"hetzelfde BSN als persoon {row['_first_person']} op regel {row['_first']}"


# An answer to an instrument vertrouwen knows (core.surveys) lies on its item's scale. Another system's
# instruments may have open questions, so their answers are text, but never markup, a spreadsheet formula (a
# first character = + @, or - not before a digit) or a number that passes the 11-proef: the answers reach the
# exports, and a spreadsheet opens them.
_UNSAFE_ANSWER = r"^\s*([=+@]|-[^0-9])|[<>]"


def _answers_off_scale(responses: pl.DataFrame) -> list[Problem]:
    scales = pl.DataFrame(
        [(code, item.code, item.scale.minimum, item.scale.maximum, item.scale.number)
         for code, instrument in INSTRUMENTS.items() for item in instrument.items],
        schema={"instrument": pl.String, "item": pl.String, "_low": pl.Int64, "_high": pl.Int64,
                "_number": pl.Boolean}, orient="row")
    known = pl.col("instrument").is_in(list(INSTRUMENTS))
    given = pl.col("value").is_not_null()
    rows = responses.join(scales, on=["instrument", "item"], how="left").with_columns(
        _value=pl.col("value").str.strip_chars().str.replace(",", ".").cast(pl.Float64, strict=False))
    value = pl.col("_value")
    off_scale = pl.col("_low").is_not_null() & (
        value.is_null() | (value < pl.col("_low")) | (value > pl.col("_high"))
        | (~pl.col("_number") & (value != value.round(0))))
    # The 11-proef on the distinct answers with a run of digits only: a file can hold millions of answers.
    numbers = rows.filter(~known & pl.col("value").str.contains(r"[0-9]{3}")).get_column("value").unique()
    with_bsn = [text for text in numbers.to_list() if bsns_in(text)]
    foreign = ~known & (pl.col("value").str.contains(_UNSAFE_ANSWER) | pl.col("value").is_in(with_bsn))
    return [
        *_report(rows, given & known & pl.col("_low").is_null(), SURVEY_RESPONSES, "item",
                 lambda row: f"{_show(row['item'])} is geen vraag van {row['instrument']}"),
        *_report(rows, given & off_scale, SURVEY_RESPONSES, "value",
                 lambda row: f"{_show(row['value'])} ligt niet op de schaal van {row['item']} "
                             f"({row['_low']} tot en met {row['_high']})"),
        *_report(rows, given & foreign, SURVEY_RESPONSES, "value",
                 lambda row: f"{_show(row['value'])} is geen antwoord: geen opmaak (< >), geen formule (= + - @ "
                             f"vooraan) en geen nummer dat aan de 11-proef voldoet"),
    ]


def _unknown_arms(enrollments: pl.DataFrame, manifest: Manifest) -> list[Problem]:
    arms = sorted(manifest.arm_codes)
    unknown = pl.col("arm").is_not_null() & ~pl.col("arm").is_in(arms)
    return _report(enrollments, unknown, ENROLLMENTS, "arm",
                   lambda row: f"{_show(row['arm'])} is geen groep uit {MANIFEST}; toegestaan: {', '.join(arms)}")


def _report(frame: pl.DataFrame, failing: pl.Expr, table: Table, column: str | None,
            reason: Callable[[dict], str]) -> list[Problem]:
    """One problem per row where `failing` is true (null counts as not failing)."""
    return _problems(frame.filter(failing.fill_null(False)), table, column, reason)


def _problems(rows: pl.DataFrame, table: Table, column: str | None, reason: Callable[[dict], str]) -> list[Problem]:
    """One problem per row, the first LIMITS.problems_per_check of them; the rest counted in one more."""
    return listed(table.filename, column, rows.height,
                  [Problem(table.filename, row[LINE], column, reason(row))
                   for row in rows.head(LIMITS.problems_per_check).iter_rows(named=True)])


def listed(filename: str, column: str | None, found: int, shown: list[Problem]) -> list[Problem]:
    """The problems shown, and when more were found, one that counts the rest: a file with a million wrong rows
    gives a readable answer in bounded memory."""
    more = found - len(shown)
    if more <= 0:
        return shown
    last = shown[-1].line if shown else None
    return [*shown, Problem(filename, last, column, f"en nog {more:,} regels met hetzelfde probleem".replace(",", "."))]
