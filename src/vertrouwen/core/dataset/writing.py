"""Writing a dataset folder in canonical form, so the same data always gives the same bytes.

Canonical form: UTF-8 without BOM, ',' as delimiter, '\\n' line endings, the header in schema order, dates
YYYY-MM-DD, months YYYY-MM, booleans ja/nee, decimals with a point and always two decimals, codes in
lowercase, text trimmed, an empty field for a missing value, rows sorted by the table's natural key. Each file
is written under a temporary name and renamed when complete, so a crash never leaves a half-written file
under the real name.
"""

import hashlib
import os
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import polars as pl

from vertrouwen.core.dataset.reading import Dataset
from vertrouwen.core.dataset.schema import MANIFEST, TABLES, Column, Kind, Table, empty_frame, table_schema


def write_dataset(folder: Path, dataset: Dataset) -> None:
    """Write manifest.json and one CSV file per table; a table missing from `dataset.tables` has no rows."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = dataset.manifest.to_json().encode("utf-8")
    _write_atomically(folder / MANIFEST, lambda out: out.write(manifest))
    for table in TABLES:
        write_table(folder / table.filename, table, dataset.tables.get(table.name, empty_frame(table)))


def write_table(path: Path, table: Table, frame: pl.DataFrame) -> None:
    """One table in canonical form, written whole or not at all."""
    rows = canonical_frame(table, frame)
    _write_atomically(Path(path), lambda out: rows.write_csv(out, separator=",", line_terminator="\n",
                                                             null_value="", date_format="%Y-%m-%d",
                                                             quote_style="necessary"))


def canonical_frame(table: Table, frame: pl.DataFrame) -> pl.DataFrame:
    """The table as written to its file, sorted by natural key. Dates, numbers and decimals keep their type:
    polars writes them as YYYY-MM-DD, digits and two decimals, and faster than as text."""
    missing = [name for name in table.column_names if name not in frame.columns]
    if missing:
        raise ValueError(f"{table.name}: columns missing: {', '.join(missing)}")
    typed = frame.select(pl.col(name).cast(dtype) for name, dtype in table_schema(table).items())
    typed = typed.sort(list(table.key), nulls_last=True, maintain_order=True)
    kept = [c for c in table.columns if c.written_when_empty or typed[c.name].is_not_null().any()]
    return typed.select(_canonical(column) for column in kept)


def _canonical(column: Column) -> pl.Expr:
    value = pl.col(column.name)
    match column.kind:
        case Kind.DATE | Kind.INT | Kind.DECIMAL:
            return value
        case Kind.MONTH:
            return value.dt.to_string("%Y-%m")
        case Kind.BOOL:
            return pl.when(value).then(pl.lit("ja")).when(~value).then(pl.lit("nee")).alias(column.name)
        case Kind.CODE:
            return _trimmed(value.str.to_lowercase())
        case _:
            return _trimmed(value)


def _trimmed(text: pl.Expr) -> pl.Expr:
    # Empty as null, as the reader does, so writing what was read changes nothing.
    return text.str.strip_chars().replace("", None)


def _write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    # Created like any new file (permissions from the umask), under a name no other writer uses.
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with temporary.open("xb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def canonical_hash(dataset: Dataset) -> str:
    """SHA-256 over the dataset in canonical form (file names and bytes, in schema order): the same data give the
    same hash wherever they were read from."""
    digest = hashlib.sha256()
    with tempfile.TemporaryDirectory(prefix="vertrouwen-hash-") as folder:
        write_dataset(Path(folder), dataset)
        for name in [MANIFEST, *(table.filename for table in TABLES)]:
            data = (Path(folder) / name).read_bytes()
            digest.update(f"{name}\n{len(data)}\n".encode())
            digest.update(data)
    return digest.hexdigest()
