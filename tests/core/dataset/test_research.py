"""The pseudonymized research dataset: keyed, stable pseudonyms; no BSN; birth years; formulas escaped; a codebook;
and still a valid dataset."""

from datetime import date

import polars as pl

from vertrouwen.core.dataset import read_dataset, write_dataset
from vertrouwen.core.dataset.research import escape_formula, pseudonymize, research_pseudonym, write_codebook

from .helpers import write_valid_dataset

KEY = "a-research-key-of-at-least-thirty-two-characters"


def test_pseudonyms_are_keyed_and_stable(tmp_path):
    dataset = read_dataset(write_valid_dataset(tmp_path / "ds"))
    once, twice = pseudonymize(dataset, KEY), pseudonymize(dataset, KEY)
    other = pseudonymize(dataset, KEY + "-other")
    ids = once.tables["persons"]["person_id"].to_list()
    assert ids == twice.tables["persons"]["person_id"].to_list()  # stable with the same key
    assert set(ids).isdisjoint(other.tables["persons"]["person_id"].to_list())  # another key, other pseudonyms
    assert all(p.startswith("X") and len(p) == 25 for p in ids)
    assert set(dataset.tables["persons"]["person_id"]).isdisjoint(ids)
    # The same person has the same pseudonym in every table.
    assert set(once.tables["enrollments"]["person_id"]) <= set(ids)
    assert research_pseudonym(KEY, "0289", "P001") == ids[0]


def test_no_bsn_and_birth_dates_become_years(tmp_path):
    dataset = read_dataset(write_valid_dataset(tmp_path / "ds"))
    persons = pseudonymize(dataset, KEY).tables["persons"]
    assert persons["bsn"].null_count() == persons.height
    assert persons["birth_date"].null_count() == persons.height
    born = dataset.tables["persons"].select(pl.coalesce(pl.col("birth_date").dt.year().cast(pl.Int64),
                                                        pl.col("birth_year")))
    assert persons["birth_year"].to_list() == born.to_series().to_list()


def test_formula_cells_are_escaped_and_the_result_is_a_valid_dataset_with_a_codebook(tmp_path):
    assert escape_formula("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert escape_formula("-2") == "'-2" and escape_formula("3") == "3" and escape_formula(None) is None
    dataset = read_dataset(write_valid_dataset(tmp_path / "ds"))
    answers = dataset.tables["survey_responses"].with_columns(value=pl.lit("=1+1"))
    dataset = type(dataset)(dataset.manifest, {**dataset.tables, "survey_responses": answers})
    research = pseudonymize(dataset, KEY)
    assert set(research.tables["survey_responses"]["value"]) == {"'=1+1"}
    folder = tmp_path / "onderzoek"
    write_dataset(folder, research)
    write_codebook(folder, research)
    again = read_dataset(folder)  # still the canonical format
    assert sorted(again.tables["persons"]["person_id"]) == sorted(research.tables["persons"]["person_id"])
    codebook = (folder / "codebook.md").read_text(encoding="utf-8")
    assert "## persons.csv" in codebook and "keyed pseudonym" in codebook and "`birth_year`" in codebook
    assert again.manifest.experiment.count_date == date(2019, 10, 1)
