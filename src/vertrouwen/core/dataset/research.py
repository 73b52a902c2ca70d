"""The pseudonymized research dataset for the national evaluation and for pooling municipalities.

- person_id becomes a keyed HMAC of the municipality's code and the person's number: stable across exports with
  the same key, not to be made from a person number or a BSN without it;
- the BSN is never written; a birth date becomes its year;
- a text cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return)
  gets a leading apostrophe;
- a codebook (codebook.md) describes every file and column and what was done to them.
"""

import hashlib
import hmac
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import polars as pl

from vertrouwen.core.dataset import Dataset, schema

PSEUDONYM_PREFIX = "X"
PSEUDONYM_HEX = 24  # 96 bits of the HMAC: no collision in any country's caseload
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CODEBOOK = "codebook.md"


def research_pseudonym(key: str, municipality: str, person_id: str) -> str:
    digest = hmac.new(key.encode(), f"onderzoek:{municipality}:{person_id}".encode(), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX]


def escape_formula(text: str | None) -> str | None:
    return "'" + text if text and text.startswith(FORMULA_STARTS) else text


def pseudonymize(dataset: Dataset, key: str) -> Dataset:
    """The dataset as researchers receive it; the key must be the installation's, never given out."""
    if len(key) < 32:
        raise ValueError("the pseudonym key must be at least 32 characters")
    municipality = dataset.manifest.municipality.code
    tables = {}
    for table in schema.TABLES:
        frame = dataset.tables[table.name]
        changes = [pl.col("person_id").map_elements(lambda p: research_pseudonym(key, municipality, p),
                                                    return_dtype=pl.String)]
        for column in table.columns:
            if column.kind is schema.Kind.TEXT:
                changes.append(pl.col(column.name).map_elements(escape_formula, return_dtype=pl.String))
        if table is schema.PERSONS:
            changes += [pl.lit(None, dtype=pl.String).alias("bsn"),
                        pl.coalesce(pl.col("birth_date").dt.year().cast(pl.Int64), pl.col("birth_year"))
                        .alias("birth_year"),
                        pl.lit(None, dtype=pl.Date).alias("birth_date")]
        tables[table.name] = frame.with_columns(changes).select(table.column_names)
    manifest = dataset.manifest
    provenance = {**dict(manifest.provenance or {}), "pseudonymized": "person_id: keyed HMAC; birth dates as years"}
    return Dataset(replace(manifest, provenance=provenance), MappingProxyType(tables))


def write_codebook(folder: Path, dataset: Dataset) -> None:
    """codebook.md: every file and column of the format, its type and codes, and what was pseudonymized."""
    lines = [f"# Codebook: {dataset.manifest.experiment.name} ({dataset.manifest.municipality.name})", "",
             "A pseudonymized dataset in the canonical format, version 1 (docs/dataset-format.md).", "",
             "- `person_id` is a keyed pseudonym (HMAC-SHA256 of the municipality and the person number with the "
             "installation's key): the same person has the same pseudonym in every export with that key; it "
             "cannot be traced back without the key.",
             "- No BSN, name or address is included; `birth_date` is empty and `birth_year` holds the year.",
             "- A text that a spreadsheet would read as a formula starts with an apostrophe.", ""]
    for table in schema.TABLES:
        lines += [f"## {table.filename} ({len(dataset.tables[table.name])} rows)", "", table.description, "",
                  "| column | type | description |", "| --- | --- | --- |"]
        for column in table.columns:
            codes = f" Codes: {', '.join(column.code_list)}." if column.code_list else ""
            lines.append(f"| `{column.name}` | {column.kind.value} | {column.description}{codes} |")
        lines.append("")
    (Path(folder) / CODEBOOK).write_text("\n".join(lines), encoding="utf-8")
