"""validate_dataset: one test per kind of bad input, each asserting the exact problems it must produce.

Expected line numbers follow from the hand-written valid files in helpers.py: a row appended to a file gets
line lines_in(file) + 1, because the header is line 1 and every valid row takes one line.
"""

import codecs
import json

import pytest

from vertrouwen.core.dataset import DatasetInvalid, Problem, read_dataset, validate_dataset

from .helpers import MANIFEST, append_rows, lines_in, replace_text, write_valid_dataset


@pytest.fixture
def folder(tmp_path):
    return write_valid_dataset(tmp_path / "dataset")


def test_the_valid_dataset_has_no_problems(folder):
    assert validate_dataset(folder) == []


# The manifest and the files.

def test_a_missing_manifest_is_reported(folder):
    (folder / "manifest.json").unlink()

    [problem] = validate_dataset(folder)

    assert (problem.file, problem.line, problem.column) == ("manifest.json", None, None)
    assert problem.reason.startswith("bestand ontbreekt")


def test_an_invalid_manifest_names_the_field(folder):
    manifest = dict(MANIFEST, arms=[])
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    assert validate_dataset(folder) == [Problem("manifest.json", None, None, "veld arms: geen groepen opgegeven")]


def test_a_manifest_that_is_no_json_is_reported(folder):
    (folder / "manifest.json").write_text("{niet af", encoding="utf-8")

    [problem] = validate_dataset(folder)

    assert problem.file == "manifest.json"
    assert problem.reason.startswith("geen geldige JSON")


def test_persons_csv_is_required(folder):
    (folder / "persons.csv").unlink()

    # Only this problem: references to persons cannot be checked without the file.
    assert validate_dataset(folder) == [
        Problem("persons.csv", None, None, "bestand ontbreekt; dit bestand is verplicht"),
    ]


def test_other_files_may_be_left_out(folder):
    for name in ("goals.csv", "contacts.csv", "survey_responses.csv"):
        (folder / name).unlink()

    assert validate_dataset(folder) == []


def test_a_file_that_cannot_be_decoded_is_reported(folder):
    # 0x81 is not valid UTF-8 and is one of the five bytes Windows-1252 leaves undefined.
    (folder / "contacts.csv").write_bytes(b"person_id,contact_on,channel,minutes,initiated_by\nP001\x81\n")

    [problem] = validate_dataset(folder)

    assert (problem.file, problem.line, problem.column) == ("contacts.csv", None, None)
    assert "geen UTF-8 en geen Windows-1252" in problem.reason


_UTF16 = "bestand is UTF-16 (Unicode-tekst uit Excel); sla op als CSV UTF-8 of CSV (puntkomma)"


@pytest.mark.parametrize("encode", [
    # Excel's "Unicode-tekst": UTF-16 little-endian with a BOM, tabs between fields.
    lambda text: codecs.BOM_UTF16_LE + text.replace(",", "\t").encode("utf-16-le"),
    lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    lambda text: text.encode("utf-16-le"),  # without a BOM: NUL bytes in every other position
], ids=["excel-unicode-text", "big-endian-with-bom", "without-bom"])
def test_a_utf16_file_is_one_clear_problem(folder, encode):
    (folder / "contacts.csv").write_bytes(encode((folder / "contacts.csv").read_text(encoding="utf-8")))

    assert validate_dataset(folder) == [Problem("contacts.csv", None, None, _UTF16)]


def test_a_file_with_stray_nul_bytes_is_not_taken_for_utf16(folder):
    (folder / "contacts.csv").write_bytes(b"PK\x03\x04\x14\x00" + b"x" * 200)  # the start of an Excel workbook

    [problem] = validate_dataset(folder)

    assert (problem.file, problem.line, problem.column) == ("contacts.csv", None, None)
    assert "NUL-tekens" in problem.reason


def test_an_empty_file_is_reported(folder):
    (folder / "goals.csv").write_bytes(b"")

    assert validate_dataset(folder) == [Problem("goals.csv", None, None, "bestand is leeg; de kopregel ontbreekt")]


# Rows and headers.

def test_rows_with_too_few_or_too_many_fields_are_reported_with_their_line(folder):
    append_rows(folder, "contacts.csv", "P001,2018-01-05,telefoon,10", "P001,2018-01-06,telefoon,10,deelnemer,x")
    first = lines_in("contacts.csv") + 1

    assert validate_dataset(folder) == [
        Problem("contacts.csv", first, None, "regel heeft 4 velden, de kopregel heeft er 5"),
        Problem("contacts.csv", first + 1, None, "regel heeft 6 velden, de kopregel heeft er 5"),
    ]


def test_ragged_rows_are_found_after_a_quoted_field_that_spans_lines(folder):
    # A line break inside quotes makes one row take two physical lines, so the later row is one line further.
    append_rows(folder, "survey_responses.csv", 'P002,1,welzijn,q9,"eerste regel\ntweede regel",online',
                "P002,1,welzijn,q10,4")
    quoted = lines_in("survey_responses.csv") + 1

    assert validate_dataset(folder) == [
        Problem("survey_responses.csv", quoted + 2, None, "regel heeft 5 velden, de kopregel heeft er 6"),
    ]


def test_a_missing_required_column_is_reported_once_not_per_row(folder):
    (folder / "assessments.csv").write_text(
        "person_id,recorded_on,occasion,good_prospects\nP001,2017-10-16,nulmeting,ja\n", encoding="utf-8")

    assert validate_dataset(folder) == [
        Problem("assessments.csv", 1, "ladder_rung", "verplichte kolom ontbreekt in de kopregel"),
    ]


def test_unknown_and_duplicate_columns_are_named(folder):
    (folder / "earnings.csv").write_text(
        "person_id,month,earnings_cents,hours,bedrag,month\nP001,2018-01,45000,32.50,1,2018-01\n",
        encoding="utf-8")

    assert validate_dataset(folder) == [
        Problem("earnings.csv", 1, "month", "kolom komt meer dan een keer voor in de kopregel"),
        Problem("earnings.csv", 1, "bedrag",
                "onbekende kolom; toegestaan: person_id, month, earnings_cents, hours"),
    ]


def test_a_column_without_a_name_is_reported(folder):
    # A spreadsheet that ends every line with a delimiter.
    (folder / "earnings.csv").write_text("person_id,month,earnings_cents,hours,\nP001,2018-01,45000,32.50,\n",
                                         encoding="utf-8")

    assert validate_dataset(folder) == [Problem("earnings.csv", 1, None, "kolom 5 heeft geen naam")]


def test_an_optional_column_may_be_left_out_of_the_header(folder):
    (folder / "earnings.csv").write_text("person_id,month,earnings_cents\nP001,2018-01,45000\n", encoding="utf-8")

    assert validate_dataset(folder) == []


def test_a_persons_row_with_a_wrong_number_of_fields_is_one_problem(folder):
    # P002 is referred to from benefit_spells, enrollments, goals, assessments and contacts: its persons row
    # is left out, but its id is no reason to report each of those rows as unknown.
    replace_text(folder, "persons.csv", "P002,,,1975,man,", "P002,,1975,man,")
    replace_text(folder, "persons.csv", "P004,,1962-12-01,,man,alleenstaande,nee,geen,hoog",
                 "P004,,1962-12-01,,man,alleenstaande,nee,geen,hoog,extra")
    append_rows(folder, "earnings.csv", "P999,2018-01,100,")

    assert validate_dataset(folder) == [
        Problem("persons.csv", 3, None, "regel heeft 8 velden, de kopregel heeft er 9"),
        Problem("persons.csv", 5, None, "regel heeft 10 velden, de kopregel heeft er 9"),
        Problem("earnings.csv", lines_in("earnings.csv") + 1, "person_id",
                "persoon P999 komt niet voor in persons.csv"),
    ]


def test_a_benefit_spell_with_a_wrong_number_of_fields_does_not_make_a_stop_off_benefit(folder):
    replace_text(folder, "benefit_spells.csv", "P002,2015-07-01,,", "P002,2015-07-01,")

    assert validate_dataset(folder) == [
        Problem("benefit_spells.csv", 4, None, "regel heeft 3 velden, de kopregel heeft er 4"),
    ]


# Field values.

def test_an_empty_required_field_is_reported(folder):
    append_rows(folder, "contacts.csv", "P001,2018-01-05,, 10 ,deelnemer")

    assert validate_dataset(folder) == [
        Problem("contacts.csv", lines_in("contacts.csv") + 1, "channel", "verplicht veld is leeg"),
    ]


@pytest.mark.parametrize(("filename", "row", "column", "reason"), [
    ("contacts.csv", "P001,2018-01-05,telefoon,1x,deelnemer", "minutes", '"1x" is geen geheel getal'),
    ("contacts.csv", "P001,2018-01-05,telefoon,10.5,deelnemer", "minutes", '"10.5" is geen geheel getal'),
    ("earnings.csv", "P001,2018-03,100,1x", "hours", '"1x" is geen getal'),
    ("earnings.csv", "P001,2018-03,100,1.234,50", None, "regel heeft 5 velden, de kopregel heeft er 4"),
    ("earnings.csv", 'P001,2018-03,100,"1.234,50"', "hours",
     '"1.234,50" heeft meer dan twee decimalen of een scheidingsteken voor duizendtallen'),
    ("earnings.csv", "P001,2018-03,100,12.345", "hours",
     '"12.345" heeft meer dan twee decimalen of een scheidingsteken voor duizendtallen'),
    ("contacts.csv", "P001,2018-02-30,telefoon,10,deelnemer", "contact_on",
     '"2018-02-30" is geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)'),
    ("contacts.csv", "P001,2018/01/05,telefoon,10,deelnemer", "contact_on",
     '"2018/01/05" is geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)'),
    ("earnings.csv", "P001,2018-13,100,", "month", '"2018-13" is geen geldige maand (JJJJ-MM)'),
    ("earnings.csv", "P001,2018-03-01,100,", "month", '"2018-03-01" is geen geldige maand (JJJJ-MM)'),
    ("assessments.csv", "P003,2017-11-01,nulmeting,misschien,3", "good_prospects",
     '"misschien" is geen ja/nee-waarde (toegestaan: ja, j, 1, true, nee, n, 0, false)'),
    ("contacts.csv", "P001,2018-01-05,brief,10,deelnemer", "channel",
     '"brief" is geen geldige waarde; toegestaan: gesprek, huisbezoek, telefoon, video, email, groep'),
    ("survey_responses.csv", "P002,1,welzijn,vraag 1,3,online", "item",
     '"vraag 1" bevat tekens die niet zijn toegestaan (alleen letters, cijfers, \'-\', \'_\' en \'.\')'),
])
def test_a_value_that_does_not_parse_is_reported(folder, filename, row, column, reason):
    append_rows(folder, filename, row)

    assert validate_dataset(folder) == [Problem(filename, lines_in(filename) + 1, column, reason)]


@pytest.mark.parametrize(("row", "column", "reason"), [
    ("P001,2018-03,-1,", "earnings_cents", "-1 is kleiner dan het minimum 0"),
    ("P001,2018-03,100,744.01", "hours", "744.01 is groter dan het maximum 744"),
    ('P001,2018-03,100,"-0,5"', "hours", "-0,5 is kleiner dan het minimum 0"),
])
def test_values_outside_minimum_and_maximum_are_reported(folder, row, column, reason):
    append_rows(folder, "earnings.csv", row)

    assert validate_dataset(folder) == [Problem("earnings.csv", lines_in("earnings.csv") + 1, column, reason)]


def test_the_limits_themselves_are_allowed(folder):
    append_rows(folder, "earnings.csv", "P001,2018-03,0,744", "P001,2018-04,0,0")

    assert validate_dataset(folder) == []


_EIGHT_DIGITS = "BSN heeft 8 cijfers; is de voorloopnul weggevallen? Lever het BSN als tekst met 9 cijfers aan."


@pytest.mark.parametrize(("bsn", "reason"), [
    ("123456789", "BSN voldoet niet aan de 11-proef"),
    ("000000000", "BSN voldoet niet aan de 11-proef"),
    # Eight digits are refused, whether or not a leading zero would make them pass: 012345672 would.
    ("12345672", _EIGHT_DIGITS),
    ("12345678", _EIGHT_DIGITS),
    ("1234567", "BSN moet uit 9 cijfers bestaan"),
    ("1234567820", "BSN moet uit 9 cijfers bestaan"),
    ("12345678x", "BSN moet uit 9 cijfers bestaan"),
])
def test_an_invalid_bsn_is_reported_without_the_number(folder, bsn, reason):
    append_rows(folder, "persons.csv", f"P005,{bsn},,1970,man,alleenstaande,nee,geen,laag")

    problems = validate_dataset(folder)

    assert problems == [Problem("persons.csv", lines_in("persons.csv") + 1, "bsn", reason)]
    assert bsn not in str(problems[0])


def test_a_nine_digit_bsn_with_a_leading_zero_is_valid(folder):
    # 012345672 passes the 11-proef: 0*9 + 1*8 + 2*7 + 3*6 + 4*5 + 5*4 + 6*3 + 7*2 - 2 = 110.
    append_rows(folder, "persons.csv", "P005,012345672,,1970,man,alleenstaande,nee,geen,laag")

    assert validate_dataset(folder) == []


_LOOKS_LIKE_BSN = "person_id lijkt een BSN; gebruik een eigen persoonsnummer, nooit het BSN"


def test_a_person_id_that_passes_the_11_proef_is_refused_in_every_file_without_the_number(folder):
    # 111222333 passes the 11-proef. Referring to it elsewhere is reported there too, and not as unknown.
    append_rows(folder, "persons.csv", "111222333,,,1970,man,alleenstaande,nee,geen,laag")
    append_rows(folder, "earnings.csv", "111222333,2018-01,100,")
    append_rows(folder, "enrollments.csv", "111222333,zelf_in_actie,2017-10-02,2017-10-10,2018-01-01,door_gemeente")

    problems = validate_dataset(folder)

    assert problems == [
        Problem("persons.csv", lines_in("persons.csv") + 1, "person_id", _LOOKS_LIKE_BSN),
        Problem("enrollments.csv", lines_in("enrollments.csv") + 1, "person_id", _LOOKS_LIKE_BSN),
        Problem("earnings.csv", lines_in("earnings.csv") + 1, "person_id", _LOOKS_LIKE_BSN),
    ]
    assert "111222333" not in "\n".join(map(str, problems)) + str(DatasetInvalid(problems))


def test_a_person_id_equal_to_the_rows_bsn_is_refused_also_when_the_bsn_fails_the_11_proef(folder):
    # 123456789 fails the 11-proef: reported for bsn, and the person_id that repeats it for person_id. A reference
    # to it elsewhere is not reported as unknown, which would show the number.
    append_rows(folder, "persons.csv", "123456789,123456789,,1970,man,alleenstaande,nee,geen,laag",
                "12345672,12345672,,1970,man,alleenstaande,nee,geen,laag")
    append_rows(folder, "earnings.csv", "123456789,2018-01,100,")
    line = lines_in("persons.csv") + 1

    problems = validate_dataset(folder)

    assert problems == [
        Problem("persons.csv", line, "person_id", _LOOKS_LIKE_BSN),
        Problem("persons.csv", line, "bsn", "BSN voldoet niet aan de 11-proef"),
        Problem("persons.csv", line + 1, "person_id", _LOOKS_LIKE_BSN),
        Problem("persons.csv", line + 1, "bsn",
                "BSN heeft 8 cijfers; is de voorloopnul weggevallen? Lever het BSN als tekst met 9 cijfers aan."),
    ]
    text = "\n".join(map(str, problems)) + str(DatasetInvalid(problems))
    assert "123456789" not in text
    assert "12345672" not in text


def test_a_person_id_of_nine_digits_that_fail_the_11_proef_is_accepted(folder):
    append_rows(folder, "persons.csv", "123456789,,,1970,man,alleenstaande,nee,geen,laag")
    append_rows(folder, "earnings.csv", "123456789,2018-01,100,")

    assert validate_dataset(folder) == []


def test_a_shared_bsn_is_still_reported_when_the_first_person_id_is_that_bsn(folder):
    replace_text(folder, "persons.csv", "P001,111222333,", "111222333,111222333,")
    for name in ("benefit_spells.csv", "enrollments.csv", "goals.csv", "assessments.csv", "earnings.csv",
                 "contacts.csv", "survey_responses.csv"):
        (folder / name).write_text((folder / name).read_text(encoding="utf-8").replace("P001,", "P002,"),
                                   encoding="utf-8")
    append_rows(folder, "persons.csv", "P005,111222333,,1970,man,alleenstaande,nee,geen,laag")

    problems = [p for p in validate_dataset(folder) if p.file == "persons.csv"]

    assert problems == [
        Problem("persons.csv", 2, "person_id", _LOOKS_LIKE_BSN),
        Problem("persons.csv", lines_in("persons.csv") + 1, "bsn", "hetzelfde BSN als de persoon op regel 2"),
    ]


# Lengths: what the register's columns can hold.

_LONG = "x" * 65


@pytest.mark.parametrize(("filename", "row", "column"), [
    ("persons.csv", f"{_LONG},,,1970,man,alleenstaande,nee,geen,laag", "person_id"),
    ("enrollments.csv", f"P004,{_LONG},2017-10-02,,,", "arm"),
    ("survey_responses.csv", f"P002,1,{_LONG},q1,3,online", "instrument"),
    ("survey_responses.csv", f"P002,1,welzijn,{_LONG},3,online", "item"),
])
def test_an_id_longer_than_64_characters_is_reported_once(folder, filename, row, column):
    # Once: a too long arm is not also reported as unknown in the manifest.
    append_rows(folder, filename, row)

    assert validate_dataset(folder) == [
        Problem(filename, lines_in(filename) + 1, column, f'"{"x" * 40}..." is langer dan 64 tekens (65 tekens)'),
    ]


def test_a_too_long_person_id_in_another_file_is_not_also_reported_as_unknown(folder):
    append_rows(folder, "earnings.csv", f"{_LONG},2018-03,100,")

    assert validate_dataset(folder) == [
        Problem("earnings.csv", lines_in("earnings.csv") + 1, "person_id",
                f'"{"x" * 40}..." is langer dan 64 tekens (65 tekens)'),
    ]


def test_ids_of_exactly_64_characters_are_accepted(folder):
    append_rows(folder, "persons.csv", f"{'P' * 64},,,1970,man,alleenstaande,nee,geen,laag")
    append_rows(folder, "survey_responses.csv", f"{'P' * 64},1,{'i' * 64},{'q' * 64},3,online")

    assert validate_dataset(folder) == []


def test_an_id_with_characters_not_allowed_is_not_also_reported_as_too_long(folder):
    append_rows(folder, "survey_responses.csv", f"P002,1,welzijn,{'vraag ' * 11},3,online")

    [problem] = validate_dataset(folder)

    assert (problem.file, problem.line, problem.column) == ("survey_responses.csv", 7, "item")
    assert "bevat tekens die niet zijn toegestaan" in problem.reason


def test_a_wave_above_99_is_reported(folder):
    append_rows(folder, "survey_responses.csv", "P002,99,welzijn,q1,3,online", "P002,2019,welzijn,q1,3,online")

    assert validate_dataset(folder) == [
        Problem("survey_responses.csv", lines_in("survey_responses.csv") + 2, "wave",
                "2019 is groter dan het maximum 99"),
    ]


def test_codes_and_booleans_are_read_case_insensitively(folder):
    append_rows(folder, "persons.csv", "P005,,,1970,Man,ALLEENSTAANDE,J,Geen,Laag")

    assert validate_dataset(folder) == []


# Rows.

def test_a_person_needs_a_birth_date_or_a_birth_year(folder):
    append_rows(folder, "persons.csv", "P005,,,,man,alleenstaande,nee,geen,laag")

    assert validate_dataset(folder) == [
        Problem("persons.csv", lines_in("persons.csv") + 1, "birth_date", "geboortedatum of geboortejaar is verplicht"),
    ]


def test_birth_date_and_birth_year_must_agree(folder):
    append_rows(folder, "persons.csv", "P005,,1970-06-01,1971,man,alleenstaande,nee,geen,laag")

    assert validate_dataset(folder) == [
        Problem("persons.csv", lines_in("persons.csv") + 1, "birth_year",
                "geboortejaar 1971 past niet bij geboortedatum 1970-06-01"),
    ]


def test_each_duplicate_of_a_natural_key_names_the_first_line(folder):
    # 16-10-2017 is line 2's 2017-10-16 in the other accepted form: keys are compared as typed values.
    append_rows(folder, "contacts.csv", "P001,16-10-2017,gesprek,30,klantmanager",
                "P001,2017-10-16,gesprek,45,klantmanager")
    appended = lines_in("contacts.csv") + 1
    reason = "dubbele regel voor (person_id, contact_on, channel, initiated_by): dezelfde als regel 2"

    assert validate_dataset(folder) == [
        Problem("contacts.csv", appended, None, reason),
        Problem("contacts.csv", appended + 1, None, reason),
    ]


def test_a_duplicate_single_column_key_names_that_column(folder):
    append_rows(folder, "enrollments.csv", "P001,onderzoeksgroep,2017-10-02,,,")

    assert validate_dataset(folder) == [
        Problem("enrollments.csv", lines_in("enrollments.csv") + 1, "person_id",
                "dubbele regel voor (person_id): dezelfde als regel 2"),
    ]


def test_dates_out_of_order_are_reported_on_the_later_column(folder):
    replace_text(folder, "enrollments.csv", "P003,zelf_in_actie,2017-11-01,,,",
                 "P003,zelf_in_actie,2017-11-01,2017-10-31,,")

    assert validate_dataset(folder) == [
        Problem("enrollments.csv", 4, "consented_on", "consented_on 2017-10-31 ligt voor allocated_on 2017-11-01"),
    ]


def test_spell_end_before_spell_start_is_reported(folder):
    replace_text(folder, "benefit_spells.csv", "P003,2017-02-01,2019-03-31", "P003,2017-02-01,2017-01-31")

    assert validate_dataset(folder) == [
        Problem("benefit_spells.csv", 5, "spell_end", "spell_end 2017-01-31 ligt voor spell_start 2017-02-01"),
    ]


def test_end_reason_goes_with_spell_end(folder):
    replace_text(folder, "benefit_spells.csv", "P003,2017-02-01,2019-03-31,verhuizing", "P003,2017-02-01,2019-03-31,")
    replace_text(folder, "benefit_spells.csv", "P004,2010-01-01,,", "P004,2010-01-01,,werk")

    assert validate_dataset(folder) == [
        Problem("benefit_spells.csv", 5, "end_reason",
                "beëindigingsreden ontbreekt; verplicht als spell_end is ingevuld"),
        Problem("benefit_spells.csv", 6, "end_reason",
                "beëindigingsreden mag alleen worden ingevuld als spell_end is ingevuld"),
    ]


def test_stop_reason_goes_with_stopped_on(folder):
    replace_text(folder, "enrollments.csv", "2018-05-01,persoonlijke_reden", "2018-05-01,")
    replace_text(folder, "enrollments.csv", "2017-11-01,,,", "2017-11-01,,,door_gemeente")

    assert validate_dataset(folder) == [
        Problem("enrollments.csv", 3, "stop_reason",
                "reden van stoppen ontbreekt; verplicht als stopped_on is ingevuld"),
        Problem("enrollments.csv", 4, "stop_reason",
                "reden van stoppen mag alleen worden ingevuld als stopped_on is ingevuld"),
    ]


_STOPPED_UNSIGNED = ("stopped_on mag alleen worden ingevuld als consented_on is ingevuld: "
                     "stoppen kan pas na het ondertekenen van de spelregels")


def test_stopped_on_needs_consented_on(folder):
    replace_text(folder, "enrollments.csv", "P003,zelf_in_actie,2017-11-01,,,",
                 "P003,zelf_in_actie,2017-11-01,,2018-01-15,persoonlijke_reden")

    assert validate_dataset(folder) == [Problem("enrollments.csv", 4, "stopped_on", _STOPPED_UNSIGNED)]


def test_stopped_on_before_allocated_on_is_reported_also_without_consented_on(folder):
    replace_text(folder, "enrollments.csv", "P003,zelf_in_actie,2017-11-01,,,",
                 "P003,zelf_in_actie,2017-11-01,,2017-10-15,persoonlijke_reden")

    assert validate_dataset(folder) == [
        Problem("enrollments.csv", 4, "stopped_on", "stopped_on 2017-10-15 ligt voor allocated_on 2017-11-01"),
        Problem("enrollments.csv", 4, "stopped_on", _STOPPED_UNSIGNED),
    ]


def test_stopped_on_before_both_earlier_dates_is_reported_once(folder):
    # P002: allocated 2017-10-02, consented 2017-10-20; a stop on 2017-10-01 is before both.
    replace_text(folder, "enrollments.csv", "2017-10-20,2018-05-01", "2017-10-20,2017-10-01")

    assert validate_dataset(folder) == [
        Problem("enrollments.csv", 3, "stopped_on", "stopped_on 2017-10-01 ligt voor consented_on 2017-10-20"),
    ]


def test_stopped_on_after_consented_on_but_before_allocated_on_is_reported(folder):
    # consented_on is itself out of order; stopped_on is after it, but still before the allocation.
    replace_text(folder, "enrollments.csv", "2017-10-02,2017-10-20,2018-05-01", "2017-10-02,2017-09-01,2017-09-15")

    assert validate_dataset(folder) == [
        Problem("enrollments.csv", 3, "consented_on", "consented_on 2017-09-01 ligt voor allocated_on 2017-10-02"),
        Problem("enrollments.csv", 3, "stopped_on", "stopped_on 2017-09-15 ligt voor allocated_on 2017-10-02"),
    ]


_OFF_BENEFIT = ("stopped_on {} valt in geen uitkering van deze persoon in benefit_spells.csv: "
                "stoppen met deelnemen kan alleen tijdens de uitkering")


def test_stopped_on_must_lie_within_a_benefit_spell(folder):
    # P001's spells: 2016-03-01 to 2018-06-30, and from 2019-01-01 on; stops between them and before the first
    # are off benefit. P004 (reference group, spell from 2010-01-01) has no enrollment, P005 no spell at all.
    replace_text(folder, "enrollments.csv", "P001,zelf_in_actie,2017-10-02,2017-10-16,,",
                 "P001,zelf_in_actie,2015-10-02,2015-10-16,2015-12-01,door_gemeente")
    replace_text(folder, "enrollments.csv", "P003,zelf_in_actie,2017-11-01,,,",
                 "P003,zelf_in_actie,2017-11-01,2017-11-10,2019-04-01,persoonlijke_reden")
    append_rows(folder, "persons.csv", "P005,,,1970,man,alleenstaande,nee,geen,laag",
                "P006,,,1970,man,alleenstaande,nee,geen,laag")
    append_rows(folder, "enrollments.csv", "P005,onderzoeksgroep,2017-10-02,2017-10-20,2018-05-01,door_gemeente",
                "P006,onderzoeksgroep,2017-10-02,2017-10-20,2018-09-01,door_gemeente")
    append_rows(folder, "benefit_spells.csv", "P006,2017-01-01,2018-06-30,werk", "P006,2019-01-01,,")
    appended = lines_in("enrollments.csv") + 1

    assert validate_dataset(folder) == [
        Problem("enrollments.csv", 2, "stopped_on", _OFF_BENEFIT.format("2015-12-01")),
        Problem("enrollments.csv", 4, "stopped_on", _OFF_BENEFIT.format("2019-04-01")),
        Problem("enrollments.csv", appended, "stopped_on", _OFF_BENEFIT.format("2018-05-01")),
        Problem("enrollments.csv", appended + 1, "stopped_on", _OFF_BENEFIT.format("2018-09-01")),
    ]


@pytest.mark.parametrize("stopped_on", ["2016-03-01", "2018-06-30", "2019-01-01", "2030-01-01"])
def test_a_stop_on_the_first_or_last_day_of_a_spell_or_during_an_open_one_is_on_benefit(folder, stopped_on):
    replace_text(folder, "enrollments.csv", "P001,zelf_in_actie,2017-10-02,2017-10-16,,",
                 f"P001,zelf_in_actie,2015-10-02,2015-10-16,{stopped_on},door_gemeente")

    assert validate_dataset(folder) == []


def test_a_spell_date_that_cannot_be_read_gives_no_second_problem_for_a_stop(folder):
    # P002 stopped on 2018-05-01 during the spell from 2015-07-01; with that start unreadable, only it is reported.
    replace_text(folder, "benefit_spells.csv", "P002,2015-07-01,,", "P002,2015-07-xx,,")

    assert validate_dataset(folder) == [
        Problem("benefit_spells.csv", 4, "spell_start",
                '"2015-07-xx" is geen geldige datum (JJJJ-MM-DD of DD-MM-JJJJ)'),
    ]


def test_without_benefit_spells_every_stop_is_off_benefit(folder):
    (folder / "benefit_spells.csv").unlink()

    assert validate_dataset(folder) == [Problem("enrollments.csv", 3, "stopped_on", _OFF_BENEFIT.format("2018-05-01"))]


def test_the_arm_must_be_one_of_the_manifest(folder):
    replace_text(folder, "enrollments.csv", "P003,zelf_in_actie", "P003,verdienen_loont")

    assert validate_dataset(folder) == [
        Problem("enrollments.csv", 4, "arm",
                '"verdienen_loont" is geen groep uit manifest.json; toegestaan: onderzoeksgroep, zelf_in_actie'),
    ]


def test_a_spell_that_starts_before_the_previous_one_ended_is_reported(folder):
    # P001's first spell (line 2) ends 2018-06-30; P002's only spell (line 4) is still running.
    append_rows(folder, "benefit_spells.csv", "P001,2018-06-01,2018-07-31,werk", "P002,2019-01-01,,")
    appended = lines_in("benefit_spells.csv") + 1

    assert validate_dataset(folder) == [
        Problem("benefit_spells.csv", appended, "spell_start",
                "uitkering begint op 2018-06-01, voordat de uitkering van regel 2 eindigde (2018-06-30)"),
        Problem("benefit_spells.csv", appended + 1, "spell_start",
                "uitkering begint terwijl de uitkering van regel 4 nog loopt"),
    ]


def test_a_spell_may_start_on_the_day_the_previous_one_ended(folder):
    append_rows(folder, "benefit_spells.csv", "P003,2019-03-31,,")

    assert validate_dataset(folder) == []


def test_overlap_with_an_earlier_spell_than_the_previous_is_found(folder):
    # P004: a long spell, a short one inside it, and a third after the short one but inside the long one.
    replace_text(folder, "benefit_spells.csv", "P004,2010-01-01,,", "P004,2010-01-01,2012-12-31,overig")
    append_rows(folder, "benefit_spells.csv", "P004,2011-01-01,2011-02-01,werk", "P004,2011-06-01,2011-07-01,werk")
    appended = lines_in("benefit_spells.csv") + 1
    reason = "uitkering begint op {}, voordat de uitkering van regel 6 eindigde (2012-12-31)"

    assert validate_dataset(folder) == [
        Problem("benefit_spells.csv", appended, "spell_start", reason.format("2011-01-01")),
        Problem("benefit_spells.csv", appended + 1, "spell_start", reason.format("2011-06-01")),
    ]


# References across files.

def test_a_person_id_not_in_persons_csv_is_reported_in_every_file(folder):
    append_rows(folder, "earnings.csv", "P999,2018-01,100,", "P998,2018-01,100,", "P999,2018-02,100,")
    append_rows(folder, "goals.csv", "P999,2017-10-16,nulmeting,werk")
    earnings = lines_in("earnings.csv")

    assert validate_dataset(folder) == [
        Problem("goals.csv", lines_in("goals.csv") + 1, "person_id", "persoon P999 komt niet voor in persons.csv"),
        Problem("earnings.csv", earnings + 1, "person_id", "persoon P999 komt niet voor in persons.csv"),
        Problem("earnings.csv", earnings + 2, "person_id", "persoon P998 komt niet voor in persons.csv"),
        Problem("earnings.csv", earnings + 3, "person_id", "persoon P999 komt niet voor in persons.csv"),
    ]


def test_a_bsn_of_two_persons_is_reported_without_the_number(folder):
    append_rows(folder, "persons.csv", "P005,111222333,,1970,man,alleenstaande,nee,geen,laag")

    problems = validate_dataset(folder)

    assert problems == [
        Problem("persons.csv", lines_in("persons.csv") + 1, "bsn", "hetzelfde BSN als persoon P001 op regel 2"),
    ]
    assert "111222333" not in str(problems[0])


# Reporting.

def test_every_bad_row_is_reported_in_file_then_line_order(folder):
    append_rows(folder, "earnings.csv", "P001,2018-03,1x,", "P001,2018-04,2x,", "P001,2018-05,100,3x")
    append_rows(folder, "persons.csv", "P005,,,1970,robot,alleenstaande,nee,geen,laag")
    earnings = lines_in("earnings.csv")

    assert validate_dataset(folder) == [
        Problem("persons.csv", lines_in("persons.csv") + 1, "sex",
                '"robot" is geen geldige waarde; toegestaan: man, vrouw, onbekend'),
        Problem("earnings.csv", earnings + 1, "earnings_cents", '"1x" is geen geheel getal'),
        Problem("earnings.csv", earnings + 2, "earnings_cents", '"2x" is geen geheel getal'),
        Problem("earnings.csv", earnings + 3, "hours", '"3x" is geen getal'),
    ]


def test_no_problem_text_contains_a_bsn(folder):
    # Every way a BSN can be wrong, plus other problems on a row with a valid BSN: none of the numbers, nor a
    # recognizable part of one, may show up in what is reported.
    bsns = ["123456789", "000000000", "1234567", "12345672", "111222333", "123456782"]
    rows = [f"P{10 + i},{bsn},,1970,man,alleenstaande,nee,geen,laag" for i, bsn in enumerate(bsns[:5])]
    append_rows(folder, "persons.csv", *rows, "P20,123456782,1970-01-01,1999,x,alleenstaande,nee,geen,laag")
    first = lines_in("persons.csv") + 1

    problems = validate_dataset(folder)

    assert [(p.line, p.column) for p in problems] == [
        # 11-proef twice, not 9 digits, 8 digits, shared with P001
        (first, "bsn"), (first + 1, "bsn"), (first + 2, "bsn"), (first + 3, "bsn"), (first + 4, "bsn"),
        (first + 5, "bsn"), (first + 5, "birth_year"), (first + 5, "sex"),  # shared with P003, then the others
    ]
    text = "\n".join(str(p) for p in problems) + str(DatasetInvalid(problems))
    for bsn in bsns:
        assert bsn not in text
        assert bsn[:6] not in text


def test_problem_reads_as_file_line_column_and_reason():
    problem = Problem("earnings.csv", 14, "hours", '"1x" is geen getal')

    assert str(problem) == 'earnings.csv, regel 14, kolom hours: "1x" is geen getal'
    assert str(Problem("persons.csv", None, None, "bestand ontbreekt")) == "persons.csv: bestand ontbreekt"


def test_dataset_invalid_lists_the_first_twenty_and_counts_the_rest():
    problems = [Problem("earnings.csv", line, "hours", "fout") for line in range(2, 27)]

    message = str(DatasetInvalid(problems))

    assert "earnings.csv, regel 21, kolom hours: fout" in message
    assert "regel 22," not in message
    assert "en nog 5 problemen" in message


def test_read_dataset_raises_with_every_problem(folder):
    append_rows(folder, "earnings.csv", "P001,2018-03,1x,", "P001,2018-04,2x,")

    with pytest.raises(DatasetInvalid) as raised:
        read_dataset(folder)

    assert [p.line for p in raised.value.problems] == [lines_in("earnings.csv") + 1, lines_in("earnings.csv") + 2]


def test_a_persons_header_without_birth_date_and_birth_year_is_reported_once(folder):
    (folder / "persons.csv").write_text(
        "person_id,sex,household_type,refugee_status_holder,limitation,education\n"
        "P001,vrouw,alleenstaande_ouder,nee,geen,middelbaar\n"
        "P002,man,alleenstaande,ja,lichamelijk,laag\n"
        "P003,onbekend,gehuwd_samenwonend,nee,psychisch,onbekend\n"
        "P004,man,alleenstaande,nee,geen,hoog\n", encoding="utf-8")

    assert validate_dataset(folder) == [
        Problem("persons.csv", 1, "birth_date", "kolom birth_date of birth_year ontbreekt in de kopregel"),
    ]
