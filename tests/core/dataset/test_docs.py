"""docs/dataset-format.md keeps up with schema.py and manifest.py: a new table, column, code or manifest field
that is not documented fails here."""

import dataclasses
import re
from pathlib import Path

import pytest

from vertrouwen.core.dataset.manifest import Arm, Experiment, Manifest, Municipality
from vertrouwen.core.dataset.schema import TABLES, Table

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
