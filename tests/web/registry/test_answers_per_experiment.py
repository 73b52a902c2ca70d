"""Answers belong to an experiment: the same persons in two experiments of one municipality, each delivered as its
own dataset (tests/web/dataset_files.py is the first, "vw"; the second, "vervolg", follows it with P1 and P2
enrolled again and P3 and P4 in its reference group). P1 answered the same question at the baseline of both: 4 in
vw, 2 in vervolg; P2 answered it only in vw.
"""

import csv
import json
from pathlib import Path

import pytest
from dataset_files import FILES, MANIFEST, write_folder
from django.db import IntegrityError, transaction

from vertrouwen.web.datasets import export_dataset, import_dataset
from vertrouwen.web.registry import models as m
from vertrouwen.web.registry import selectors

pytestmark = pytest.mark.django_db

SECOND = dict(MANIFEST, experiment={"code": "vervolg", "name": "Vertrouwen Werkt, vervolg",
                                    "period_start": "2020-01-01", "period_end": "2021-12-31",
                                    "count_date": "2021-10-01"})
SECOND_FILES = dict(FILES, **{
    "enrollments.csv": """person_id,arm,allocated_on,consented_on,stopped_on,stop_reason
P1,zelf_in_actie,2019-12-15,2019-12-20,,
P2,onderzoeksgroep,2019-12-15,2019-12-21,,
""",
    "survey_responses.csv": """person_id,wave,instrument,item,value,mode
P1,0,vertrouwen_welzijn,gezondheid,2,online
""",
})


def answers(code: str) -> set[tuple]:
    return set(m.SurveyResponse.objects.filter(experiment__code=code).values_list(
        "pk", "person__external_id", "wave", "instrument", "item", "value", "mode"))


def exported_answers(folder: Path) -> list[dict]:
    with (folder / "survey_responses.csv").open(encoding="utf-8") as file:
        return [{k: row[k] for k in ("person_id", "wave", "item", "value", "mode")} for row in csv.DictReader(file)]


@pytest.fixture
def two_experiments(tmp_path):
    import_dataset(write_folder(tmp_path / "vw"), actor="test")
    first = answers("vw")
    result = import_dataset(write_folder(tmp_path / "vervolg", SECOND_FILES, SECOND), actor="test")
    return first, result


def test_a_second_experiments_dataset_leaves_the_first_ones_answers_alone(two_experiments, tmp_path):
    first, result = two_experiments

    assert result.counts["survey_responses"].created == 1  # not a conflict with P1's answer in vw
    assert answers("vw") == first
    assert {(p, v) for _, p, _, _, _, v, _ in answers("vervolg")} == {("P1", "2")}

    changed = dict(SECOND_FILES, **{"survey_responses.csv": SECOND_FILES["survey_responses.csv"].replace(",2,", ",1,")})
    result = import_dataset(write_folder(tmp_path / "vervolg-2", changed, SECOND), actor="test", update=True)

    assert result.counts["survey_responses"].updated == 1
    assert answers("vw") == first  # an update of vervolg's answers writes nothing of vw's
    assert {(p, v) for _, p, _, _, _, v, _ in answers("vervolg")} == {("P1", "1")}


def test_each_experiment_exports_only_its_own_answers(two_experiments, tmp_path):
    export_dataset(tmp_path / "export-vw", experiment_code="vw", actor="test")
    export_dataset(tmp_path / "export-vervolg", experiment_code="vervolg", actor="test")
    export_dataset(tmp_path / "research-vervolg", experiment_code="vervolg", actor="test", research=True)

    assert exported_answers(tmp_path / "export-vw") == [
        {"person_id": "P1", "wave": "0", "item": "gezondheid", "value": "4", "mode": "online"},
        {"person_id": "P2", "wave": "0", "item": "gezondheid", "value": "3", "mode": "papier"}]
    assert exported_answers(tmp_path / "export-vervolg") == [
        {"person_id": "P1", "wave": "0", "item": "gezondheid", "value": "2", "mode": "online"}]
    research = exported_answers(tmp_path / "research-vervolg")
    assert [(row["value"], row["mode"]) for row in research] == [("2", "online")]
    assert json.loads((tmp_path / "export-vervolg" / "manifest.json").read_text())["experiment"]["code"] == "vervolg"


def test_the_start_pages_response_counts_the_experiments_own_answers(two_experiments):
    response = {info.code: [(w.wave, w.total.respondents, w.total.participants)
                            for w in selectors.survey_response(info)] for info in selectors.experiments()}

    assert response == {"vw": [(0, 2, 2)], "vervolg": [(0, 1, 2)]}  # P2 answered in vw only


def test_an_answer_is_once_per_experiment_person_wave_and_item(two_experiments):
    vw, vervolg = m.Experiment.objects.get(code="vw"), m.Experiment.objects.get(code="vervolg")
    p2 = m.Person.objects.get(external_id="P2")
    key = {"person": p2, "wave": 0, "instrument": "vertrouwen_welzijn", "item": "gezondheid", "mode": "online"}

    m.SurveyResponse.objects.create(experiment=vervolg, value="5", **key)  # beside P2's answer in vw
    with pytest.raises(IntegrityError), transaction.atomic():
        m.SurveyResponse.objects.create(experiment=vw, value="5", **key)
