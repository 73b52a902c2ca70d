"""read_dataset: typed tables, and the variants real municipal exports come in.

Each variant is made from the hand-written canonical files in helpers.py and must read to exactly the same
tables as the canonical files do.
"""

import codecs
import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from vertrouwen.core.dataset import DatasetInvalid, Problem, read_dataset, table_schema, validate_dataset
from vertrouwen.core.dataset.schema import TABLES, TABLES_BY_NAME, Kind

from .helpers import FILES, append_rows, lines_in, write_valid_dataset


@pytest.fixture
def canonical(tmp_path):
    return read_dataset(write_valid_dataset(tmp_path / "canonical"))


def _variant(tmp_path: Path, filename: str, text: str, encoding: str = "utf-8") -> Path:
    folder = write_valid_dataset(tmp_path / "variant")
    (folder / filename).write_bytes(text.encode(encoding))
    return folder


def _assert_same_tables(folder: Path, canonical) -> None:
    dataset = read_dataset(folder)
    for table in TABLES:
        assert_frame_equal(dataset.tables[table.name], canonical.tables[table.name])


def _export(filename: str, delimiter: str = ";", line_end: str = "\r\n", convert=lambda column, value: value) -> str:
    """The canonical file rewritten as another program would write it; `convert` changes each value."""
    rows = list(csv.reader(io.StringIO(FILES[filename])))
    header = rows[0]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows([convert(column, value) for column, value in zip(header, row, strict=True)] for row in rows[1:])
    return out.getvalue()


def test_tables_have_the_types_of_the_format(canonical):
    for table in TABLES:
        assert canonical.tables[table.name].schema == table_schema(table), table.name


def test_values_are_typed(canonical):
    earnings = canonical.tables["earnings"]
    persons = canonical.tables["persons"]

    assert earnings.row(0) == ("P001", dt.date(2018, 1, 1), 45000, Decimal("32.50"))
    assert earnings["hours"].to_list() == [Decimal("32.50"), Decimal("40.00"), None]
    assert persons["refugee_status_holder"].to_list() == [False, True, False, False]
    assert persons["birth_year"].to_list() == [1980, 1975, None, None]
    assert canonical.tables["survey_responses"]["value"].to_list() == [
        "4", "Rustig, maar druk", "5", "Naar het café", None]


def test_a_missing_optional_file_reads_as_an_empty_typed_table(tmp_path):
    folder = write_valid_dataset(tmp_path / "dataset")
    (folder / "contacts.csv").unlink()

    contacts = read_dataset(folder).tables["contacts"]

    assert contacts.height == 0
    assert contacts.schema == table_schema(TABLES_BY_NAME["contacts"])


def test_a_header_without_rows_reads_as_an_empty_table(tmp_path):
    folder = _variant(tmp_path, "goals.csv", "person_id,recorded_on,occasion,goal\n")

    assert read_dataset(folder).tables["goals"].height == 0


def test_semicolons_decimal_comma_and_windows_1252_read_as_the_canonical_file(tmp_path, canonical):
    # Excel on a Dutch Windows machine: ';' between fields, ',' in numbers, Windows-1252, CRLF.
    def decimal_comma(column: str, value: str) -> str:
        return value.replace(".", ",") if column == "hours" else value

    earnings = _export("earnings.csv", convert=decimal_comma)
    survey = _export("survey_responses.csv")
    assert "32,50" in earnings and "café" in survey

    folder = _variant(tmp_path, "earnings.csv", earnings, encoding="cp1252")
    (folder / "survey_responses.csv").write_bytes(survey.encode("cp1252"))

    assert b"caf\xe9" in (folder / "survey_responses.csv").read_bytes()  # really Windows-1252, not UTF-8
    _assert_same_tables(folder, canonical)


def test_utf8_with_bom_reads(tmp_path, canonical):
    folder = write_valid_dataset(tmp_path / "variant")
    for name, text in FILES.items():
        (folder / name).write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))

    _assert_same_tables(folder, canonical)


def test_crlf_line_endings_read(tmp_path, canonical):
    folder = write_valid_dataset(tmp_path / "variant")
    for name, text in FILES.items():
        (folder / name).write_bytes(text.replace("\n", "\r\n").encode("utf-8"))

    _assert_same_tables(folder, canonical)


def test_dutch_dates_other_booleans_and_capitals_read(tmp_path, canonical):
    def dutch(column: str, value: str) -> str:
        kind = TABLES_BY_NAME["persons"].column(column).kind
        if kind is Kind.DATE and value:
            year, month, day = value.split("-")
            return f"{int(day)}-{int(month)}-{year}"  # how Dutch Excel shows a date: 1-2-2019
        if kind is Kind.BOOL:
            return {"ja": "J", "nee": "0"}[value]
        if kind is Kind.CODE:
            return value.upper()
        return value

    folder = _variant(tmp_path, "persons.csv", _export("persons.csv", delimiter=",", line_end="\n", convert=dutch))

    assert "31-1-1990,,ONBEKEND" in (folder / "persons.csv").read_text()
    _assert_same_tables(folder, canonical)


def test_column_order_header_case_and_whitespace_do_not_matter(tmp_path, canonical):
    text = (" Hours ;MONTH;person_id; Earnings_Cents\n"
            " 32,5 ; 2018-01 ;P001;45000\n"
            "40;2018-02; P001 ;51025\n"
            ";2018-01;P003;12000\n")

    _assert_same_tables(_variant(tmp_path, "earnings.csv", text), canonical)


def test_quoted_fields_read_including_line_breaks(tmp_path):
    text = FILES["survey_responses.csv"] + 'P002,1,welzijn,q2,"regel een\nregel ""twee""",papier\n'

    survey = read_dataset(_variant(tmp_path, "survey_responses.csv", text)).tables["survey_responses"]

    assert survey["value"].to_list()[-1] == 'regel een\nregel "twee"'


def test_blank_lines_are_skipped_but_still_counted(tmp_path):
    # A blank line in the middle and one at the end; the bad row after the blank line is physical line 4.
    text = "person_id,month,earnings_cents,hours\nP001,2018-01,45000,32.50\n\nP001,2018-02,1x,\n\n"

    problems = validate_dataset(_variant(tmp_path, "earnings.csv", text))

    assert problems == [Problem("earnings.csv", 4, "earnings_cents", '"1x" is geen geheel getal')]


def test_a_bsn_keeps_its_leading_zero(tmp_path):
    # 012345672 passes the 11-proef (0*9 + 1*8 + ... + 7*2 - 2 = 110).
    folder = write_valid_dataset(tmp_path / "dataset")
    append_rows(folder, "persons.csv", "P005,012345672,,1970,man,alleenstaande,nee,geen,laag")

    persons = read_dataset(folder).tables["persons"]

    assert persons.row(lines_in("persons.csv") - 1)[:2] == ("P005", "012345672")


def test_an_eight_digit_bsn_is_refused_not_padded(tmp_path):
    # A spreadsheet shows 012345672 as 12345672; padding it would also accept a mistyped BSN one time in eleven.
    folder = write_valid_dataset(tmp_path / "dataset")
    append_rows(folder, "persons.csv", "P005,12345672,,1970,man,alleenstaande,nee,geen,laag")

    with pytest.raises(DatasetInvalid) as raised:
        read_dataset(folder)

    assert raised.value.problems == [
        Problem("persons.csv", lines_in("persons.csv") + 1, "bsn",
                "BSN heeft 8 cijfers; is de voorloopnul weggevallen? Lever het BSN als tekst met 9 cijfers aan."),
    ]
    assert "12345672" not in str(raised.value)


def test_reading_twice_gives_the_same_tables(tmp_path, canonical):
    again = read_dataset(tmp_path / "canonical")

    for table in TABLES:
        assert_frame_equal(again.tables[table.name], canonical.tables[table.name])
    assert again.manifest == canonical.manifest


def test_tables_keep_the_file_order(tmp_path):
    text = "person_id,month,earnings_cents,hours\nP003,2018-01,1,\nP001,2018-01,2,\n"

    earnings = read_dataset(_variant(tmp_path, "earnings.csv", text)).tables["earnings"]

    assert earnings["person_id"].to_list() == ["P003", "P001"]
    assert isinstance(earnings, pl.DataFrame)


@pytest.mark.parametrize("text", [
    "a,b,c\n1,2,3\n4,5,6\n",
    "a,b,c\r\n1,2,3\r\n\r\n4,5\r\n  \r\n7,8,9,10\r\n",
    'a,b,c\n"1,5",2,3\n"x\ny\n\nz","",9\n7,"8\r\n",9,"1,0"\n\n',
    'a;b;c\n"1;5";2\n"met ""aanhalingstekens""";2;3',
    "a,b,c\n,,\n\n,\n",
])
def test_polars_and_the_csv_module_fallback_find_the_same_rows(text):
    from vertrouwen.core.dataset.reading import _header, _records_by_csv_module, _records_by_polars

    data = text.encode("utf-8")
    separator, header = _header(data)
    by_polars = _records_by_polars(data, separator, len(header))

    assert by_polars is not None
    by_csv_module = _records_by_csv_module(data, separator, len(header))
    # An empty field may come back as "" or as null; the reader treats both as empty.
    empty_as_null = pl.col(pl.String).replace("", None)
    assert_frame_equal(by_polars.with_columns(empty_as_null), by_csv_module.with_columns(empty_as_null))
