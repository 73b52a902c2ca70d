"""Reading a dataset folder: manifest, encodings, delimiters, CSV structure and headers.

This module does the file work and hands the tables of strings to the checks in validation.py, so both
folder-level entry points live here: validate_dataset lists every problem, read_dataset returns the typed
tables or raises DatasetInvalid.

Files are parsed by polars, and read a second time as plain lines to count fields and number the lines.
The csv module, row by row, is only the fallback for files polars cannot read that way.
"""

import codecs
import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path
from types import MappingProxyType

import numpy as np
import polars as pl

from vertrouwen.core.dataset.manifest import Manifest, ManifestError, read_manifest
from vertrouwen.core.dataset.schema import LIMITS, MANIFEST, PERSONS, TABLES, Table
from vertrouwen.core.dataset.validation import (
    LINE,
    DatasetInvalid,
    Problem,
    RawTable,
    check_tables,
    listed,
    sort_problems,
)

_FIELDS = "_fields"  # number of fields found on a row
_QUOTE = '"'
# Used as the "delimiter" to read whole lines; any of these that does not occur in the file will do.
_LINE_SEPARATORS = ("\x1f", "\x1e", "\x1d", "\x1c")


@dataclass(frozen=True)
class Dataset:
    """A valid dataset: the manifest and every table, typed, keyed by table name."""

    manifest: Manifest
    tables: Mapping[str, pl.DataFrame]


def validate_dataset(folder: Path) -> list[Problem]:
    """Every problem in the dataset folder, by file (schema order), then line."""
    return _inspect(Path(folder))[2]


def read_dataset(folder: Path) -> Dataset:
    """The typed tables of a dataset folder; raises DatasetInvalid listing every problem."""
    manifest, tables, problems = _inspect(Path(folder))
    if problems or manifest is None:  # a missing manifest is one of the problems
        raise DatasetInvalid(problems)
    # Rows stay in file order.
    return Dataset(manifest, MappingProxyType({t.name: tables[t.name].drop(LINE) for t in TABLES}))


def _inspect(folder: Path) -> tuple[Manifest | None, dict[str, pl.DataFrame], list[Problem]]:
    manifest, problems = _read_manifest(folder)
    raw: dict[str, RawTable | None] = {}
    for table in TABLES:
        raw[table.name], found = _read_table(folder, table)
        problems += found
    typed, found = check_tables(raw, manifest)
    return manifest, typed, sort_problems(problems + found)


def _read_manifest(folder: Path) -> tuple[Manifest | None, list[Problem]]:
    try:
        return read_manifest(folder), []
    except ManifestError as exc:  # also for a value of the wrong JSON type
        reason = re.sub(rf"^{re.escape(MANIFEST)}[,:]\s*", "", str(exc))
        return None, [Problem(MANIFEST, None, None, reason)]


def _read_table(folder: Path, table: Table) -> tuple[RawTable | None, list[Problem]]:
    """The file's rows as strings, or None when it cannot be read at all. A missing file other than
    persons.csv means no rows."""
    path = folder / table.filename
    if not path.is_file():
        if table is PERSONS:
            return None, [Problem(table.filename, None, None, "bestand ontbreekt; dit bestand is verplicht")]
        return _empty_raw(table), []
    size = path.stat().st_size
    if size > LIMITS.file_bytes:
        return None, [Problem(table.filename, None, None, f"bestand is {_megabytes(size)} groot; ten hoogste "
                                                          f"{_megabytes(LIMITS.file_bytes)} per bestand")]
    data, problem = _decode(path.read_bytes())
    problem = problem or _structure_problem(data)
    if problem:
        return None, [Problem(table.filename, None, None, problem)]
    if not data or data.isspace():
        return None, [Problem(table.filename, None, None, "bestand is leeg; de kopregel ontbreekt")]
    separator, header = _header(data)
    positions, problems = _check_header(table, header)
    records = _records(data, separator, len(header))
    problems += _ragged(table, records, len(header))
    fits = pl.col(_FIELDS) == len(header)
    frame = _select_columns(table, records.filter(fits), positions)
    return RawTable(frame, frozenset(positions), _values(records.filter(~fits))), problems


def _structure_problem(data: bytes) -> str | None:
    """Why the file is too wide, too long or has too long a line to be read (LIMITS), looked at in the bytes before
    anything is parsed; None when it is within the limits."""
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)]
    columns = max(first.count(b";"), first.count(b",")) + 1
    if columns > LIMITS.header_columns:
        return (f"de kopregel heeft {columns:,} kolommen; ten hoogste {LIMITS.header_columns} "
                f"(is dit bestand wel een tabel van de dataset?)").replace(",", ".")
    previous, lines = -1, 0  # the newline before the current line, and the lines passed
    for start in range(0, len(data), _SCAN_BYTES):
        newlines = np.flatnonzero(np.frombuffer(data, np.uint8, min(_SCAN_BYTES, len(data) - start), start) == 10)
        ends = np.concatenate([newlines + start, [len(data)] if start + _SCAN_BYTES >= len(data) else []])
        lengths = np.diff(np.concatenate([[previous], ends])) - 1
        if lengths.size and lengths.max() > LIMITS.line_bytes:
            line = lines + int(np.argmax(lengths > LIMITS.line_bytes)) + 1
            return (f"regel {line} is {_megabytes(int(lengths.max()))} lang; een regel is ten hoogste "
                    f"{LIMITS.line_bytes // 1024} kB")
        lines += newlines.size
        previous = int(newlines[-1]) + start if newlines.size else previous
        if lines > LIMITS.rows:
            return f"het bestand heeft meer dan {LIMITS.rows:,} regels; dat is de grens".replace(",", ".")
    if lines * columns > LIMITS.cells:
        return (f"het bestand heeft {lines:,} regels van {columns} kolommen: meer dan {LIMITS.cells:,} velden; "
                f"lever het in delen aan").replace(",", ".")
    return None


_SCAN_BYTES = 8 << 20  # the line scan looks at 8 MiB at a time: its index arrays stay small


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB".replace(".", ",") if size >= 1 << 20 else f"{size / 1024:.0f} kB"


def _values(records: pl.DataFrame) -> pl.Series:
    """Every distinct non-empty field, trimmed, of rows left out (fields past the header's width are lost)."""
    fields = records.select(pl.exclude(LINE, _FIELDS))
    if records.is_empty() or not fields.width:
        return pl.Series("value", [], dtype=pl.String)
    value = pl.col("value").str.strip_chars()
    return (fields.unpivot().select(pl.when(value != "").then(value).alias("value"))
            .get_column("value").drop_nulls().unique().sort())


def _empty_raw(table: Table) -> RawTable:
    frame = pl.DataFrame(schema={LINE: pl.Int64, **{name: pl.String for name in table.column_names}})
    return RawTable(frame, frozenset(table.column_names))


def _decode(data: bytes) -> tuple[bytes, str | None]:
    """UTF-8 bytes without a BOM, or a reason why the file cannot be read.

    A BOM means UTF-8; otherwise UTF-8 when the bytes are valid UTF-8, else Windows-1252 (what Excel
    writes on a Dutch Windows machine). UTF-16 (Excel's "Unicode-tekst") is recognized and refused with
    advice, rather than read as Windows-1252 into a garbled header.
    """
    if _is_utf16(data):
        return data, _UTF16
    if b"\0" in data:
        return data, _NUL
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        return (data, None) if _is_utf8(data) else (data, "bestand begint als UTF-8 maar is geen geldige UTF-8")
    if _is_utf8(data):
        return data, None
    try:
        return data.decode("cp1252").encode("utf-8"), None
    except UnicodeDecodeError:
        return data, "tekens niet te lezen: het bestand is geen UTF-8 en geen Windows-1252; sla het op als UTF-8"


_UTF16 = "bestand is UTF-16 (Unicode-tekst uit Excel); sla op als CSV UTF-8 of CSV (puntkomma)"
_NUL = "bestand bevat NUL-tekens en is geen tekstbestand (een Excel-werkmap?); sla op als CSV UTF-8"
_UTF16_SAMPLE = 4096  # bytes looked at to recognize UTF-16 without a BOM


def _is_utf16(data: bytes) -> bool:
    """A UTF-16 byte order mark or, without one, NUL bytes in at least half of the even or the odd positions,
    as UTF-16 has for text in the Latin alphabet. A few NUL bytes here and there are no UTF-16 text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = data[:_UTF16_SAMPLE]
    nuls = max(sample[0::2].count(0), sample[1::2].count(0))  # in the even or in the odd positions
    return nuls > 0 and 4 * nuls >= len(sample)  # at least half of those positions


def _is_utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _header(data: bytes) -> tuple[str, list[str]]:
    """The delimiter (whichever of ';' and ',' occurs more in the first line) and the column names."""
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)].decode("utf-8").rstrip("\r")
    separator = ";" if first.count(";") > first.count(",") else ","
    names = next(csv.reader([first], delimiter=separator), [])
    return separator, [name.strip().lower() for name in names]


def _check_header(table: Table, header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Where each schema column is in the header (its first occurrence), and what is wrong with the header."""
    positions: dict[str, int] = {}
    problems = []
    for index, name in enumerate(header):
        if not name:
            problems.append(Problem(table.filename, 1, None, f"kolom {index + 1} heeft geen naam"))
        elif name in positions:
            problems.append(Problem(table.filename, 1, name, "kolom komt meer dan een keer voor in de kopregel"))
        elif name not in table.column_names:
            problems.append(Problem(table.filename, 1, name,
                                    f"onbekende kolom; toegestaan: {', '.join(table.column_names)}"))
        else:
            positions[name] = index
    for column in table.columns:
        if column.required and column.name not in positions:
            problems.append(Problem(table.filename, 1, column.name, "verplichte kolom ontbreekt in de kopregel"))
    return positions, problems


def _ragged(table: Table, records: pl.DataFrame, width: int) -> list[Problem]:
    ragged = records.filter(pl.col(_FIELDS) != width).select(LINE, _FIELDS)
    return listed(table.filename, None, ragged.height, [
        Problem(table.filename, line, None,
                f"regel heeft {fields} {'veld' if fields == 1 else 'velden'}, de kopregel heeft er {width}")
        for line, fields in ragged.head(LIMITS.problems_per_check).iter_rows()])


def _select_columns(table: Table, records: pl.DataFrame, positions: Mapping[str, int]) -> pl.DataFrame:
    def column(name: str) -> pl.Expr:
        if name not in positions:
            return pl.lit(None, pl.String).alias(name)
        value = pl.col(f"f{positions[name]}").str.strip_chars()
        return pl.when(value != "").then(value).alias(name)

    return records.select(pl.col(LINE).cast(pl.Int64), *[column(name) for name in table.column_names])


def _records(data: bytes, separator: str, width: int) -> pl.DataFrame:
    """The data rows, untrimmed: LINE, _FIELDS (how many fields the row has) and f0.. for each header position.

    Blank lines are left out.
    """
    records = _records_by_polars(data, separator, width)
    return records if records is not None else _records_by_csv_module(data, separator, width)


def _records_by_polars(data: bytes, separator: str, width: int) -> pl.DataFrame | None:
    """None when polars cannot read the file, or its rows do not add up to the file's physical lines."""
    line_separator = next((s for s in _LINE_SEPARATORS if s.encode() not in data), None)
    if line_separator is None:
        return None
    names = [f"f{i}" for i in range(width)]
    options = {"infer_schema": False, "truncate_ragged_lines": True, "raise_if_empty": False}
    try:
        cells = pl.read_csv(data, separator=separator, new_columns=names, **options)
        lines = pl.read_csv(data, separator=line_separator, quote_char=None, new_columns=["_text"], **options)
    except pl.exceptions.PolarsError:
        return None
    if cells.width != width or lines.width != 1:
        return None
    # A row takes one physical line plus one per line break inside its quoted fields. Its number of fields
    # is one more than the separators on its lines, less those inside quoted fields.
    breaks, quoted = _inside_quotes(cells, separator) if _QUOTE.encode() in data else (pl.lit(0), pl.lit(0))
    rows = cells.with_columns((1 + breaks).cast(pl.Int64).alias("span"), quoted.cast(pl.Int64).alias("quoted"))
    span = rows.get_column("span")
    if span.sum() != lines.height:
        return None
    text = lines.get_column("_text")
    separators = text.str.count_matches(separator, literal=True).fill_null(0).cast(pl.Int64)
    separators_before = pl.concat([pl.Series([0], dtype=pl.Int64), separators.cum_sum()])
    end = span.cum_sum()
    start = end - span
    first_line = text.gather(start)
    blank = (span == 1) & (first_line.is_null() | (first_line.str.strip_chars() == ""))
    fields = separators_before.gather(end) - separators_before.gather(start) - rows.get_column("quoted") + 1
    records = (cells.with_columns((start + 2).alias(LINE), fields.alias(_FIELDS), span.alias("_span"))
               .filter(~blank))  # the header is line 1
    return _recount_long_rows(records, text, separator, width).select(LINE, _FIELDS, *names)


def _recount_long_rows(records: pl.DataFrame, text: pl.Series, separator: str, width: int) -> pl.DataFrame:
    """Exact field counts for rows with too many fields: polars drops the fields past the header's, so the
    separators inside those that are quoted were counted as real ones."""
    long = records.filter(pl.col(_FIELDS) > width).select(LINE, "_span")
    if long.is_empty() or not text.str.contains(_QUOTE, literal=True).any():
        return records
    counts = {}
    for line, span in long.iter_rows():
        record = "\n".join(text.slice(line - 2, span).fill_null("").to_list())
        counts[line] = len(next(csv.reader([record], delimiter=separator)))
    exact = pl.col(LINE).replace_strict(counts, default=pl.col(_FIELDS), return_dtype=pl.Int64)
    return records.with_columns(exact.alias(_FIELDS))


def _inside_quotes(cells: pl.DataFrame, separator: str) -> tuple[pl.Expr, pl.Expr]:
    """Per row: line breaks and separators inside its (quoted) fields."""
    def total(pattern: str) -> pl.Expr:
        return pl.sum_horizontal(pl.col(name).str.count_matches(pattern, literal=True).cast(pl.Int64)
                                 for name in cells.columns)

    return total("\n"), total(separator)


def _records_by_csv_module(data: bytes, separator: str, width: int) -> pl.DataFrame:
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=separator)
    next(reader, None)
    lines, counts, rows = [], [], []
    start = reader.line_num + 1
    for row in reader:
        if len(row) > 1 or (row and row[0].strip()):
            lines.append(start)
            counts.append(len(row))
            rows.append(row)
        start = reader.line_num + 1
    columns = list(zip_longest(*rows))[:width] if rows else []
    columns += [(None,) * len(rows)] * (width - len(columns))
    return pl.DataFrame(
        {LINE: lines, _FIELDS: counts, **{f"f{i}": list(values) for i, values in enumerate(columns)}},
        schema={LINE: pl.Int64, _FIELDS: pl.Int64, **{f"f{i}": pl.String for i in range(width)}},
    )
