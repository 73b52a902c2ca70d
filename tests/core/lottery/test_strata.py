"""person_attributes: age, bands and benefit status at the draw date, on a small table whose answers are worked
out by hand in the comments (reference date Saturday 15 June 2024)."""

import datetime as dt

import polars as pl
import pytest

from vertrouwen.core.dataset import empty_frame
from vertrouwen.core.dataset.schema import BENEFIT_SPELLS, PERSONS, table_schema
from vertrouwen.core.lottery import (
    AGE_BANDS,
    ATTRIBUTE_LABELS,
    BENEFIT_DURATION_BANDS,
    STRATUM_VARIABLES,
    person_attributes,
)

ON = dt.date(2024, 6, 15)
D = dt.date

# person_id: (birth_date, birth_year, expected age, expected age band)
BIRTHS = {
    "P01": (D(1998, 6, 15), None, 26, "18-26"),  # 26th birthday today
    "P02": (D(1997, 6, 15), None, 27, "27-39"),  # 27th birthday today: the line of the standard disregard
    "P03": (D(1997, 6, 16), None, 26, "18-26"),  # 27 tomorrow
    "P04": (None, 1984, 39, "27-39"),  # year only: birthday taken as 1 July, so 40 only on 1 July
    "P05": (D(1984, 1, 10), 1984, 40, "40-54"),  # the birth date wins over the year
    "P06": (D(1969, 6, 15), None, 55, "55+"),
    "P07": (D(1969, 6, 16), None, 54, "40-54"),
    "P08": (D(2007, 1, 1), None, 17, None),  # under 18: no band
    "P09": (None, None, None, None),  # neither known
    "P10": (D(1990, 3, 3), None, 34, "27-39"),
}

# person_id: (spells as (start, end), expected on_benefit, expected duration band)
SPELLS = {
    "P01": ([(D(2024, 1, 1), None)], True, "<1 jaar"),
    "P02": ([(D(2023, 6, 15), None)], True, "1-2 jaar"),  # exactly one year today
    "P03": ([(D(2023, 6, 16), None)], True, "<1 jaar"),  # one year tomorrow
    "P04": ([(D(2019, 6, 15), D(2024, 6, 15))], True, "5+ jaar"),  # ends today: still on benefit; five years
    "P05": ([(D(2010, 1, 1), D(2015, 1, 1)), (D(2022, 1, 1), None)], True, "2-5 jaar"),  # re-entry: current spell
    "P06": ([(D(2020, 1, 1), D(2024, 6, 14))], False, None),  # ended yesterday
    "P07": ([(D(2024, 6, 15), None)], False, None),  # starts today: not before the date
    "P08": ([], False, None),  # never on benefit
    "P09": ([(D(2021, 6, 16), None)], True, "2-5 jaar"),  # 3 years on 16 June, so 2 today
    "P10": ([(D(2015, 1, 1), None), (D(2023, 1, 1), None)], True, "1-2 jaar"),  # overlap: the latest start
}


def _persons() -> pl.DataFrame:
    rows = [{"person_id": pid, "birth_date": birth, "birth_year": year, "sex": "vrouw",
             "household_type": "alleenstaande", "refugee_status_holder": pid == "P03", "limitation": "geen",
             "education": "laag"} for pid, (birth, year, _, _) in BIRTHS.items()]
    return pl.DataFrame(rows, schema=table_schema(PERSONS))


def _spells() -> pl.DataFrame:
    rows = [{"person_id": pid, "spell_start": start, "spell_end": end} for pid, (spells, _, _) in SPELLS.items()
            for start, end in spells]
    return pl.DataFrame(rows).with_columns(pl.lit(None, dtype=pl.String).alias("end_reason")).cast(
        dict(table_schema(BENEFIT_SPELLS)))


def test_age_and_age_band_at_the_reference_date():
    attributes = person_attributes(_persons(), _spells(), ON)

    assert attributes["person_id"].to_list() == list(BIRTHS)
    assert attributes["age"].to_list() == [age for _, _, age, _ in BIRTHS.values()]
    assert attributes["age_band"].to_list() == [band for _, _, _, band in BIRTHS.values()]


def test_benefit_status_and_duration_band_at_the_reference_date():
    attributes = person_attributes(_persons(), _spells(), ON)

    assert attributes["on_benefit"].to_list() == [on for _, on, _ in SPELLS.values()]
    assert attributes["benefit_duration_band"].to_list() == [band for _, _, band in SPELLS.values()]


def test_band_counts_by_hand():
    # Counted from the tables above: age 18-26 P01 P03, 27-39 P02 P04 P10, 40-54 P05 P07, 55+ P06, none P08 P09;
    # duration <1 P01 P03, 1-2 P02 P10, 2-5 P05 P09, 5+ P04, none P06 P07 P08.
    attributes = person_attributes(_persons(), _spells(), ON)

    def counts(column):
        return dict(attributes.group_by(column).len().iter_rows())

    assert counts("age_band") == {"18-26": 2, "27-39": 3, "40-54": 2, "55+": 1, None: 2}
    assert counts("benefit_duration_band") == {"<1 jaar": 2, "1-2 jaar": 2, "2-5 jaar": 2, "5+ jaar": 1, None: 3}
    assert attributes["on_benefit"].sum() == 7


@pytest.mark.parametrize(("on", "age"), [(D(2023, 2, 28), 22), (D(2023, 3, 1), 23), (D(2024, 2, 28), 23),
                                         (D(2024, 2, 29), 24)])
def test_born_on_29_february(on, age):
    persons = _persons().head(1).with_columns(pl.lit(D(2000, 2, 29)).alias("birth_date"))

    assert person_attributes(persons, empty_frame(BENEFIT_SPELLS), on)["age"].to_list() == [age]


def test_the_coded_attributes_are_carried_over():
    attributes = person_attributes(_persons(), _spells(), ON)

    assert attributes.filter(pl.col("refugee_status_holder"))["person_id"].to_list() == ["P03"]
    assert set(attributes["household_type"]) == {"alleenstaande"}
    assert attributes.columns == ["person_id", "age", "age_band", "sex", "household_type", "limitation",
                                  "education", "refugee_status_holder", "on_benefit", "benefit_duration_band"]


def test_every_stratum_variable_is_an_attribute_with_a_dutch_label():
    columns = person_attributes(_persons(), _spells(), ON).columns

    assert set(STRATUM_VARIABLES) <= set(columns)
    assert set(ATTRIBUTE_LABELS) == set(columns)
    assert STRATUM_VARIABLES["household_type"] == "Huishoudtype"
    assert STRATUM_VARIABLES["benefit_duration_band"] == "Uitkeringsduur"
    assert AGE_BANDS == ("18-26", "27-39", "40-54", "55+")
    assert BENEFIT_DURATION_BANDS == ("<1 jaar", "1-2 jaar", "2-5 jaar", "5+ jaar")


def test_a_missing_column_is_named():
    with pytest.raises(ValueError, match="persons: kolom household_type ontbreekt"):
        person_attributes(_persons().drop("household_type"), _spells(), ON)
