"""The analysis plan: one canonical text and hash, read with errors that name the field, and an evaluation that
follows it: its correction decides, what it does not name is exploratory, and where the evaluation cannot follow it
a deviation is said, in the command's text, its JSON and the final report."""

import dataclasses
import datetime as dt
import hashlib
import json

import pytest

from vertrouwen.cli import main
from vertrouwen.core.dataset import Dataset
from vertrouwen.core.dataset.writing import write_dataset
from vertrouwen.core.evaluation import evaluate, reading, settings_for_dataset
from vertrouwen.core.evaluation.plan import EXPLORATORY, PlanError, default_plan, read_plan
from vertrouwen.core.reports import build_report, render_html
from vertrouwen.core.simulation.generator import generate_tables


@pytest.fixture(scope="module")
def small():
    return generate_tables("XS", seed=3)


@pytest.fixture(scope="module")
def plan(small):
    manifest, tables = small
    contrasts = tuple(c.code for c in evaluate(Dataset(manifest, tables)).contrasts)
    return default_plan(manifest, contrasts)


def test_the_plan_has_one_canonical_text_and_its_hash(plan):
    text = plan.to_json()
    assert read_plan(text) == plan and read_plan(text).to_json() == text
    assert plan.hash == hashlib.sha256(text.encode("utf-8")).hexdigest()  # written out with hashlib
    changed = dataclasses.replace(plan, alpha=0.049)
    assert changed.hash != plan.hash


@pytest.mark.parametrize(("change", "message"), [
    ({"primary": ["shoe_size"]}, "primary: onbekend shoe_size"),
    ({"primary": []}, "primary: noem ten minste één uitkomst"),
    ({"alpha": 0.7}, "alpha: 0.7 ligt niet tussen"),
    ({"alpha": "0,05"}, "alpha: een getal"),
    ({"permutations": 10.5}, "permutations: een geheel getal"),
    ({"correction": "bonferroni"}, "correction: 'bonferroni' is geen keuze"),
    ({"count_date": "1-10-2019"}, "count_date: een datum als JJJJ-MM-DD"),
    ({"secondary": ["exit_to_work"]}, "exit_to_work staat zowel bij primary als bij secondary"),
    ({"surprise": 1}, "onbekende velden surprise"),
    ({"contrasts": ["A tegen B"]}, "contrasts: noem elke vergelijking als 'GROEP vs CONTROLEGROEP'"),
])
def test_a_wrong_plan_is_refused_naming_its_field(plan, change, message):
    data = {**json.loads(plan.to_json()), **change}
    with pytest.raises(PlanError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_plan(json.dumps(data), "plan.json")
    with pytest.raises(PlanError, match=r"plan.json: geen geldige JSON \(regel 1, kolom"):
        read_plan("{", "plan.json")


def test_the_plans_correction_decides_and_what_it_does_not_name_is_exploratory(small, plan):
    manifest, tables = small
    single = tuple(c for c in plan.contrasts if "+" not in c)
    chosen = dataclasses.replace(plan, contrasts=single, correction="benjamini_hochberg", primary=("exit_to_work",),
                                 secondary=())
    result = evaluate(Dataset(manifest, tables), plan=chosen)
    assert result.correction == "benjamini_hochberg"
    for contrast in single:
        assert reading.decisive_p(result, "exit_to_work", contrast) == \
            result.row("benjamini_hochberg", "exit_to_work", contrast).p_value
        assert not reading.read_effect(result, "exit_to_work", contrast).startswith(EXPLORATORY.capitalize())
    pooled = next(c.code for c in result.contrasts if c.pooled)
    assert reading.read_effect(result, "exit_to_work", pooled).startswith("Verkennend (niet vooraf vastgelegd): ")
    assert reading.read_effect(result, "work_12h", single[0]).startswith("Verkennend")  # not a planned outcome
    assert f"exit_to_work|{pooled}" in result.exploratory() and f"exit_to_work|{single[0]}" not in result.exploratory()


def test_deviations_from_the_plan_are_said(small, plan):
    manifest, tables = small
    other = dataclasses.replace(plan, count_date=dt.date(2019, 12, 31), permutations=500,
                                contrasts=(*plan.contrasts, "niemand vs onderzoeksgroep"))
    result = evaluate(Dataset(manifest, tables), permutations=50, plan=other)
    assert result.deviations == (
        "De evaluatie staat op 1 oktober 2019; het plan noemt de teldatum 31 december 2019.",
        "De vergelijking niemand vs onderzoeksgroep uit het plan is niet gemaakt: een van de groepen heeft te weinig "
        "personen.",
        *(note for note in result.notes if note.startswith("Op de teldatum aan het werk")),
        "De herlotingstoets gebruikte 50 herlotingen; het plan noemt er 500.")
    printed = result.as_json()
    assert printed["plan"]["sha256"] == other.hash and printed["deviations"] == list(result.deviations)
    assert "Afwijkingen van het analyseplan:" in result.summary()
    dataset = Dataset(manifest, tables)
    report = render_html(build_report(dataset, "final", settings=settings_for_dataset(dataset, plan=other)))
    assert "Afwijkingen van het analyseplan" in report and "het plan noemt de teldatum 31 december 2019" in report


def test_without_a_plan_every_estimate_is_exploratory_and_the_report_says_so(small):
    manifest, tables = small
    result = evaluate(Dataset(manifest, tables))
    assert result.plan is None and len(result.exploratory()) == 5 * len(result.contrasts)
    assert "Er is geen analyseplan opgegeven" in result.summary()
    report = render_html(build_report(Dataset(manifest, tables), "final"))
    assert "Er is geen analyseplan opgegeven dat vóór de loting is vastgelegd" in report


def test_the_command_proposes_checks_and_follows_a_plan(small, tmp_path, capsys):
    folder = tmp_path / "xs"
    write_dataset(folder, Dataset(*small))
    assert main(["plan", str(folder), "--out", str(folder / "analyseplan.json")]) == 0
    written = read_plan((folder / "analyseplan.json").read_text(encoding="utf-8"))
    assert written.hash in capsys.readouterr().out
    assert main(["plan", str(folder), "--check", str(folder / "analyseplan.json")]) == 0
    assert f"SHA-256 van het plan: {written.hash}" in capsys.readouterr().out
    assert main(["evaluate", str(folder), "--json", "--permutations", "20"]) == 0  # found beside the data
    assert json.loads(capsys.readouterr().out)["plan"]["sha256"] == written.hash
    (tmp_path / "kapot.json").write_text('{"experiment": 1}', encoding="utf-8")
    assert main(["evaluate", str(folder), "--plan", str(tmp_path / "kapot.json")]) == 2
    assert "experiment: een tekst" in capsys.readouterr().err


def test_a_plan_naming_lins_estimator_decides_by_it(small, plan):
    manifest, tables = small
    lin = dataclasses.replace(plan, estimator="lin_hc2", covariates=("age",))  # 60 persons carry few interactions
    result = evaluate(Dataset(manifest, tables), plan=lin)
    contrast = next(c.code for c in result.contrasts if not c.pooled)
    main = result.row("lin_hc2", "exit_to_work", contrast)
    assert main is not None and result.estimator == "lin_hc2"
    assert result.row("holm", "exit_to_work", contrast).estimate == main.estimate  # Holm over Lin's p-values
    assert reading.points(main.estimate) in reading.read_effect(result, "exit_to_work", contrast)
