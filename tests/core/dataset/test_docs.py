"""docs/dataset-format.md keeps up with schema.py and manifest.py: a new table, column, code or manifest field
that is not documented fails here."""

import dataclasses
import re
from pathlib import Path

import pytest

from vertrouwen.core.dataset.manifest import (
    ARM_NAME_MAX_LENGTH,
    JOB_BONUS_CONDITION_MAX_LENGTH,
    MUNICIPALITY_CODE_MAX_LENGTH,
    NAME_MAX_LENGTH,
    Arm,
    Experiment,
    Manifest,
    Municipality,
)
from vertrouwen.core.dataset.schema import ID_MAX_LENGTH, TABLES, Table

DOC = Path(__file__).parents[3] / "docs" / "dataset-format.md"


def _section(table: Table) -> str:
    """The doc's text from the table's heading up to the next heading of the same level."""
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^### `{re.escape(table.filename)}`\n(.*?)(?=^#{{1,3}} )", text, re.MULTILINE | re.DOTALL)
    assert match, f"no section '### `{table.filename}`' in {DOC.name}"
    return match.group(1)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_column_has_a_row_in_its_files_section(table):
    documented = re.findall(r"^\| `(\w+)` \|", _section(table), re.MULTILINE)

    assert documented == list(table.column_names)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_code_is_documented_with_its_column(table):
    rows = {row.split("|")[1].strip(" `"): row for row in _section(table).splitlines() if row.startswith("| `")}
    for column in table.columns:
        for code in column.code_list or ():
            assert f"`{code}`" in rows[column.name], f"{table.name}.{column.name}: code {code}"


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_the_natural_key_is_documented(table):
    key = ", ".join(f"`{name}`" for name in table.key)

    assert f"Natural key: {key}" in " ".join(_section(table).split())


def test_every_manifest_field_is_documented():
    text = DOC.read_text(encoding="utf-8")
    sections = {"municipality": Municipality, "experiment": Experiment, "arms[]": Arm}
    fields = [f.name for f in dataclasses.fields(Manifest) if f.name not in sections and f.name != "arms"]
    fields += [f"{section}.{f.name}" for section, cls in sections.items() for f in dataclasses.fields(cls)]

    for name in [*fields, "arms"]:
        assert f"| `{name}` |" in text, name


def _row(name: str) -> str:
    """The doc's table row for a field or value type, e.g. `arms[].name` or id."""
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^\| `?{re.escape(name)}`? \|.*$", text, re.MULTILINE)
    assert match, f"no row for {name} in {DOC.name}"
    return match.group(0)


@pytest.mark.parametrize(("name", "limit"), [
    ("id", ID_MAX_LENGTH),
    ("municipality.code", MUNICIPALITY_CODE_MAX_LENGTH),
    ("municipality.name", NAME_MAX_LENGTH),
    ("experiment.code", ID_MAX_LENGTH),
    ("experiment.name", NAME_MAX_LENGTH),
    ("arms[].code", ID_MAX_LENGTH),
    ("arms[].name", ARM_NAME_MAX_LENGTH),
    ("arms[].job_bonus_condition", JOB_BONUS_CONDITION_MAX_LENGTH),
])
def test_length_limits_are_documented(name, limit):
    assert f"at most {limit} characters" in _row(name)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_column_limits_are_documented(table):
    rows = {row.split("|")[1].strip(" `"): row for row in _section(table).splitlines() if row.startswith("| `")}
    for column in table.columns:
        if column.minimum is not None and column.maximum is not None:
            assert f"{column.minimum} to {column.maximum}" in rows[column.name], f"{table.name}.{column.name}"


@pytest.mark.parametrize("message", [
    "person_id lijkt een BSN; gebruik een eigen persoonsnummer, nooit het BSN",
    "bestand is UTF-16 (Unicode-tekst uit Excel); sla op als CSV UTF-8 of CSV (puntkomma)",
    "valt in geen uitkering van deze persoon in benefit_spells.csv",
])
def test_the_new_refusals_are_documented_with_their_message(message):
    assert message in DOC.read_text(encoding="utf-8")
