"""What the evaluation says when it cannot show something yet, and the command line."""

import dataclasses
import datetime as dt
import json

import numpy as np
import polars as pl
import pytest

from vertrouwen.cli import main
from vertrouwen.core.dataset import Dataset
from vertrouwen.core.dataset.writing import write_dataset
from vertrouwen.core.evaluation import TIDY_COLUMNS, evaluate, reading
from vertrouwen.core.evaluation.evaluate import Evaluation
from vertrouwen.core.evaluation.frame import analysis_frame
from vertrouwen.core.evaluation.results import Estimate
from vertrouwen.core.months import previous_month
from vertrouwen.core.simulation.generator import generate_tables


@pytest.fixture(scope="module")
def small():
    manifest, tables = generate_tables("XS", seed=3)
    return manifest, tables


def test_without_a_control_arm_there_is_no_comparison(small):
    manifest, tables = small
    arms = tuple(dataclasses.replace(arm, is_control=False) for arm in manifest.arms)
    result = evaluate(Dataset(dataclasses.replace(manifest, arms=arms), tables))
    assert result.contrasts == () and result.tidy() == []
    assert "geen controlegroep" in result.notes[0]
    assert "geen controlegroep" in result.summary()


def test_before_anyone_is_allocated_there_is_nothing_to_compare(small):
    manifest, tables = small
    empty = {**tables, "enrollments": tables["enrollments"].clear()}
    result = evaluate(Dataset(manifest, empty))
    assert result.tidy() == [] and "nog niemand" in result.notes[0]


def test_only_the_baseline_questionnaire_gives_means_and_a_note_not_effects(small):
    manifest, tables = small
    baseline = {**tables, "survey_responses": tables["survey_responses"].filter(pl.col("wave") == 0)}
    result = evaluate(Dataset(manifest, baseline))
    assert result.rows("mean") and not result.rows("ancova_hc2")
    assert any("Alleen de nulmeting" in note for note in result.notes)


def test_without_questionnaires_or_reference_group_the_notes_say_so(small):
    manifest, tables = small
    enrolled = tables["enrollments"]["person_id"]
    bare = {**tables, "survey_responses": tables["survey_responses"].clear(),
            "persons": tables["persons"].filter(pl.col("person_id").is_in(enrolled.implode()))}
    result = evaluate(Dataset(manifest, bare))
    assert result.rows("lpm_hc2")  # the randomized comparison still stands
    assert any("nog geen antwoorden" in note for note in result.notes)
    assert any("geen referentiegroep" in note for note in result.notes)
    assert not result.reference


def test_command_prints_the_tidy_rows_with_every_note_and_warning_as_json(small, tmp_path, capsys):
    folder = tmp_path / "xs"
    write_dataset(folder, Dataset(*small))
    assert main(["evaluate", str(folder), "--json", "--permutations", "200"]) == 0
    printed = json.loads(capsys.readouterr().out)
    result = evaluate(Dataset(*small), permutations=200)
    assert printed["format"] == "vertrouwen-evaluatie/1" and printed["compared"] is True
    assert printed["notes"] == list(result.notes) and printed["warnings"] == list(result.warnings)
    assert any("niet gerandomiseerd" in warning for warning in printed["warnings"])  # the self-selection warning
    rows = printed["estimates"]
    assert rows and all(tuple(row) == TIDY_COLUMNS for row in rows)
    assert any(row["method"] == "randomization_inference" for row in rows)
    assert main(["evaluate", str(folder), "--permutations", "0"]) == 0
    text = capsys.readouterr().out
    for section in ("Door loting ingedeeld", "Gelijkheid van de groepen", "Vragenlijsten:", "Subgroepen (verkennend)",
                    "Herinstroom is gemeten bij wie naar werk uitstroomde"):
        assert section in text


def test_command_without_a_control_arm_says_why_and_exits_non_zero(small, tmp_path, capsys):
    manifest, tables = small
    arms = tuple(dataclasses.replace(arm, is_control=False) for arm in manifest.arms)
    folder = tmp_path / "geen-controle"
    write_dataset(folder, Dataset(dataclasses.replace(manifest, arms=arms), tables))
    assert main(["evaluate", str(folder), "--json", "--permutations", "0"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["compared"] is False and "geen controlegroep" in captured.err


def test_command_refuses_bad_input_with_a_reason(tmp_path, capsys, small):
    assert main(["evaluate", str(tmp_path / "nothing")]) == 2
    assert "manifest.json" in capsys.readouterr().err
    folder = tmp_path / "xs"
    write_dataset(folder, Dataset(*small))
    assert main(["evaluate", str(folder), "--strata", "shoe_size"]) == 2
    assert "shoe_size" in capsys.readouterr().err
    assert main(["evaluate", str(folder), "--permutations", "-1"]) == 2


def test_without_earnings_data_the_earnings_outcomes_are_not_determined_rather_than_zero(small):
    """No earnings in the data at all: part-time earnings is not known for anyone, nor are the hours; '0,0
    procentpunt (0,0 tot 0,0)' would be a number made of missing data."""
    manifest, tables = small
    result = evaluate(Dataset(manifest, {**tables, "earnings": tables["earnings"].clear()}), permutations=50)
    assert not result.rows("share", "parttime_earnings") and not result.rows("lpm_hc2", "parttime_earnings")
    assert not result.rows("randomization_inference", "parttime_earnings")
    assert any(note.startswith("Parttime inkomsten naast de uitkering is niet te bepalen") for note in result.notes)
    assert result.rows("holm", "exit_to_work") and result.rows("randomization_inference", "exit_to_work")
    text = result.summary()
    assert "Parttime inkomsten naast de uitkering is niet te bepalen" in text


def test_hours_outcomes_use_only_the_persons_whose_hours_are_known(small):
    manifest, tables = small
    result = evaluate(Dataset(manifest, tables))
    frame = analysis_frame(Dataset(manifest, tables), manifest.experiment.count_date)
    known = frame.filter(pl.col("work_27h").is_not_null())
    assert 0 < known.height < frame.height
    shares = {r.contrast: (r.estimate, r.n) for r in result.rows("share", "work_27h")}
    for (arm,), group in known.group_by("arm"):
        assert shares[arm] == (pytest.approx(group["work_27h"].mean()), group.height)
    assert any(note.startswith(f"Op de teldatum aan het werk, 27 uur per week of meer: bij "
                               f"{frame.height - known.height} van de {frame.height} personen niet te bepalen")
               for note in result.notes)


def test_a_level_held_by_one_person_leaves_every_error_finite(small):
    manifest, tables = small
    first = tables["enrollments"]["person_id"][0]
    persons = tables["persons"].with_columns(
        sex=pl.when(pl.col("person_id") == first).then(pl.lit("onbekend")).otherwise(pl.lit("vrouw")))
    result = evaluate(Dataset(manifest, {**tables, "persons": persons}))
    assert result.rows("lpm_hc2")
    assert all(np.isfinite(r.std_error) for r in result.rows("lpm_hc2"))


def test_outcomes_at_an_interim_date_look_at_the_previous_month():
    assert previous_month(dt.date(2026, 11, 29)) == dt.date(2026, 10, 1)  # November is still being declared
    assert previous_month(dt.date(2019, 10, 1)) == dt.date(2019, 9, 1)
    assert previous_month(dt.date(2020, 1, 15)) == dt.date(2019, 12, 1)


def test_two_per_arm_give_the_unadjusted_difference_and_no_significance(small):
    """With two persons per arm the covariates outnumber the persons: the adjusted fit would be exact, its errors
    zero and its verdict 'significant'. The model keeps the arm only, which is the plain difference in shares."""
    manifest, tables = small
    two = (tables["enrollments"].sort("person_id").group_by("arm", maintain_order=True).head(2))
    result = evaluate(Dataset(manifest, {**tables, "enrollments": two}))
    single = [c.code for c in result.contrasts]
    assert set(result.unadjusted) == set(single)
    assert any("Te weinig personen om bij" in note for note in result.notes)
    for contrast in result.contrasts:
        model = result.row("lpm_hc2", "exit_to_work", contrast.code)
        plain = result.row("difference_in_proportions", "exit_to_work", contrast.code)
        assert model.estimate == pytest.approx(plain.estimate, abs=1e-12)  # numpy means, by the model's algebra
        sentence = reading.read_effect(result, "exit_to_work", contrast.code)
        assert "Zonder correctie voor achtergrondkenmerken" in sentence
        assert "statistisch significant:" not in sentence


def verdict_case(model_p: float, holm_p: float):
    """An evaluation of one outcome with two arms against control: the model's p and its Holm-corrected p."""
    def row(method, contrast, estimate, p=None, n=200):
        return Estimate("exit_to_work", contrast, estimate, 0.04, None, p, estimate - 0.08, estimate + 0.08, n,
                        method)
    effects = (row("share", "A", 0.25), row("share", "B", 0.20), row("share", "C", 0.17),
               row("lpm_hc2", "A vs C", 0.08, model_p), row("holm", "A vs C", 0.08, holm_p),
               row("mde", "A vs C", 0.12))
    return Evaluation("Wageningen", "Vertrouwen werkt", dt.date(2019, 10, 1), ("A", "B", "C"),
                      {"A": "Zelf in actie", "B": "Extra begeleiding", "C": "Onderzoeksgroep"}, "C", (), {}, 0, 0,
                      (), effects=effects)


def test_the_verdict_follows_the_corrected_p_value():
    """Holm over the arms against control decides (docs/evaluation.md): p = 0,039 before and 0,117 after the
    correction is not significant, and the sentence says why."""
    text = reading.read_effect(verdict_case(0.039, 0.117), "exit_to_work", "A vs C")
    assert "Zonder correctie zou p = 0,039 onder 0,05 liggen" in text
    assert "niet statistisch significant" in text and "is statistisch significant" not in text
    corrected = reading.read_effect(verdict_case(0.004, 0.008), "exit_to_work", "A vs C")
    assert "Dit verschil is statistisch significant" in corrected
