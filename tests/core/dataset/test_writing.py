"""write_dataset: canonical bytes, round trips and writing under a temporary name.

The expected bytes are the hand-written canonical files in helpers.py, which follow the rules in
docs/dataset-format.md ("Canonical form").
"""

import datetime as dt
from decimal import Decimal
from types import MappingProxyType

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from vertrouwen.core.dataset import Dataset, empty_frame, read_dataset, table_schema, write_dataset
from vertrouwen.core.dataset.schema import TABLES, TABLES_BY_NAME

from .helpers import FILES, append_rows, write_valid_dataset


def _files(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def _dataset_with(canonical: Dataset, **tables: pl.DataFrame) -> Dataset:
    return Dataset(canonical.manifest, MappingProxyType({**canonical.tables, **tables}))


@pytest.fixture
def source(tmp_path):
    return write_valid_dataset(tmp_path / "source")


def test_the_canonical_files_are_written_back_byte_for_byte(tmp_path, source):
    write_dataset(tmp_path / "out", read_dataset(source))

    assert _files(tmp_path / "out") == _files(source)


def test_write_read_write_is_byte_identical(tmp_path, source):
    # Start from an export in another form, so the first write has something to normalize.
    append_rows(source, "earnings.csv", 'P003,2018-02,100,"7,5"')
    (source / "assessments.csv").write_text(
        "LADDER_RUNG;occasion;person_id;recorded_on;good_prospects\r\n3;Nulmeting;P001;16-10-2017;J\r\n",
        encoding="cp1252")
    write_dataset(tmp_path / "first", read_dataset(source))
    write_dataset(tmp_path / "second", read_dataset(tmp_path / "first"))

    assert _files(tmp_path / "second") == _files(tmp_path / "first")
    assert b"P003,2018-02,100,7.50\n" in (tmp_path / "first" / "earnings.csv").read_bytes()
    assert (tmp_path / "first" / "assessments.csv").read_text() == (
        "person_id,recorded_on,occasion,good_prospects,ladder_rung\nP001,2017-10-16,nulmeting,ja,3\n")


def test_reading_what_was_written_gives_the_original_tables(tmp_path, source):
    canonical = read_dataset(source)
    survey = pl.DataFrame({
        "person_id": ["P002", "P001", "P001", "P001"],
        "wave": [10, 9, 0, 1],
        "instrument": ["welzijn"] * 4,
        "item": ["q1", "q1", "q2", "q1"],
        "value": ['met "aanhalingstekens"', "komma, erin", "twee\nregels", None],
        "mode": ["online", "papier", "online", "telefonisch"],
    }, schema=table_schema(TABLES_BY_NAME["survey_responses"]))
    earnings = pl.DataFrame({
        "person_id": ["P003", "P001"],
        "month": [dt.date(2018, 5, 1), dt.date(2018, 4, 1)],
        "earnings_cents": [0, 123456],
        "hours": [None, Decimal("0.25")],
    }, schema=table_schema(TABLES_BY_NAME["earnings"]))
    original = _dataset_with(canonical, survey_responses=survey, earnings=earnings)

    write_dataset(tmp_path / "out", original)
    again = read_dataset(tmp_path / "out")

    assert again.manifest == original.manifest
    for table in TABLES:
        expected = original.tables[table.name].sort(list(table.key), maintain_order=True)
        assert_frame_equal(again.tables[table.name], expected)


def test_rows_are_sorted_by_typed_natural_key(tmp_path, source):
    survey = pl.DataFrame({
        "person_id": ["P001", "P001", "P001"], "wave": [10, 9, 2], "instrument": ["w"] * 3,
        "item": ["q"] * 3, "value": [None] * 3, "mode": ["online"] * 3,
    })
    write_dataset(tmp_path / "out", _dataset_with(read_dataset(source), survey_responses=survey))

    lines = (tmp_path / "out" / "survey_responses.csv").read_text().splitlines()

    # Numerically: 2, 9, 10; as text 10 would come first.
    assert [line.split(",")[1] for line in lines[1:]] == ["2", "9", "10"]


def test_canonical_values(tmp_path, source):
    persons = pl.DataFrame({
        "person_id": [" P9 "], "bsn": [""], "birth_date": [dt.date(1961, 2, 3)], "birth_year": [1961],
        "sex": ["man"], "household_type": ["alleenstaande"], "refugee_status_holder": [True],
        "limitation": ["geen"], "education": ["laag"],
    })
    earnings = pl.DataFrame({"person_id": ["P9"], "month": [dt.date(2018, 1, 1)], "earnings_cents": [5],
                             "hours": [Decimal("12.5")]})
    write_dataset(tmp_path / "out", _dataset_with(read_dataset(source), persons=persons, earnings=earnings))

    assert (tmp_path / "out" / "persons.csv").read_bytes() == (
        FILES["persons.csv"].splitlines(keepends=True)[0] + "P9,,1961-02-03,1961,man,alleenstaande,ja,geen,laag\n"
    ).encode()
    assert (tmp_path / "out" / "earnings.csv").read_bytes().endswith(b"\nP9,2018-01,5,12.50\n")


def test_a_table_left_out_is_written_as_a_header(tmp_path, source):
    canonical = read_dataset(source)
    tables = {name: frame for name, frame in canonical.tables.items() if name != "goals"}

    write_dataset(tmp_path / "out", Dataset(canonical.manifest, tables))

    assert (tmp_path / "out" / "goals.csv").read_bytes() == b"person_id,recorded_on,occasion,goal\n"
    assert read_dataset(tmp_path / "out").tables["goals"].equals(empty_frame(TABLES_BY_NAME["goals"]))


def test_a_table_missing_a_column_is_refused(tmp_path, source):
    canonical = read_dataset(source)
    broken = _dataset_with(canonical, earnings=canonical.tables["earnings"].drop("hours"))

    with pytest.raises(ValueError, match="hours"):
        write_dataset(tmp_path / "out", broken)


def test_no_temporary_files_are_left(tmp_path, source):
    write_dataset(tmp_path / "out", read_dataset(source))

    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted([*FILES, "manifest.json"])


def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, source, monkeypatch):
    canonical = read_dataset(source)
    out = tmp_path / "out"
    write_dataset(out, canonical)
    before = _files(out)

    def crash_halfway(self, file, **options):
        file.write(b"person_id,half")
        raise OSError("disk full")

    monkeypatch.setattr(pl.DataFrame, "write_csv", crash_halfway)
    with pytest.raises(OSError, match="disk full"):
        write_dataset(out, canonical)

    assert _files(out) == before
