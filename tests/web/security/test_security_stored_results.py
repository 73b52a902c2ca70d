"""Issue 21, point 1: nothing stored is executable. A stored evaluation is data-only JSON (core.evaluation.storage);
a planted pickle, or JSON naming another type, is refused without running anything, and the page computes the
evaluation again."""

import dataclasses
import json
import math
import pickle
from datetime import date

import numpy as np
import pytest

from vertrouwen.core.dataset import write_dataset
from vertrouwen.core.evaluation import evaluate, storage
from vertrouwen.core.evaluation.plan import AnalysisPlan
from vertrouwen.core.simulation import generate
from vertrouwen.web.datasets import import_dataset
from vertrouwen.web.evaluation.models import StoredEvaluation
from vertrouwen.web.registry.models import Experiment

MARK = "planted-payload-ran"


class Planted:
    """Unpickling this calls exec: what an attacker who can write the table would store."""

    def __reduce__(self):
        return (exec, (f"import builtins; builtins.{MARK.replace('-', '_')} = True",))


def same(a, b) -> bool:
    if dataclasses.is_dataclass(a):
        return type(a) is type(b) and all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, tuple | list):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return isinstance(b, float) and (a == b or (math.isnan(a) and math.isnan(b)))
    return a == b


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("xs") / "voorbeeldstad-xs"
    write_dataset(path, generate(size="XS", seed=2017))
    return path


def test_an_evaluation_read_back_equals_the_one_written(folder):
    from vertrouwen.core.dataset import read_dataset

    dataset = read_dataset(folder)
    plan = AnalysisPlan(experiment=dataset.manifest.experiment.code, count_date=date(2019, 10, 1),
                        primary=("exit_to_work",), secondary=(), contrasts=("x vs y",))
    written = evaluate(dataset, permutations=50, plan=plan)

    text = storage.dumps(written)
    read = storage.loads(text)

    # Every value equal, NaN to NaN (it never equals itself); the arrays of the survival curves by value and dtype.
    for name in ("effects", "balance", "time_to_exit", "questionnaires", "heterogeneity", "balance_tests", "sizes"):
        assert same(getattr(read, name), getattr(written, name)), name
    assert read.plan == plan and read.count_date == written.count_date
    assert read.contrasts == written.contrasts and read.notes == written.notes
    for arm, curve in written.incidence.items():
        for name in ("time", "estimate", "variance", "conf_low", "conf_high"):
            assert np.array_equal(getattr(read.incidence[arm], name), getattr(curve, name), equal_nan=True)
            assert getattr(read.incidence[arm], name).dtype == getattr(curve, name).dtype
    assert read.summary() == written.summary() and read.as_json() == written.as_json()
    json.loads(text)  # standard JSON: no NaN literals


@pytest.mark.parametrize("text", [
    pickle.dumps(Planted(), protocol=0).decode("ascii"),
    json.dumps({"format": storage.FORMAT, "evaluation": {"$type": "Popen", "fields": {"args": "id"}}}),
    json.dumps({"format": storage.FORMAT, "evaluation": {"$type": "Evaluation", "fields": {"os": "system"}}}),
    json.dumps({"format": storage.FORMAT, "evaluation": {"$array": "object", "values": []}}),
    json.dumps({"format": storage.FORMAT, "evaluation": {"$float": "1e999"}}),
    '{"format": "' + storage.FORMAT + '", "evaluation": NaN}',
    "[" * 100_000,
])
def test_anything_else_is_refused(text):
    with pytest.raises(storage.StoredResultRefused):
        storage.loads(text)


def test_a_planted_pickle_in_the_table_runs_nothing_and_the_page_computes_again(db, folder, login):
    import builtins

    import_dataset(folder, actor="test")
    experiment = Experiment.objects.get()
    client = login("onderzoeker")
    assert client.get(f"/evaluatie/{experiment.pk}/").status_code == 200
    computed = StoredEvaluation.objects.get()

    StoredEvaluation.objects.update(result=pickle.dumps(Planted(), protocol=0).decode("ascii"))
    page = client.get(f"/evaluatie/{experiment.pk}/")

    assert page.status_code == 200
    assert not hasattr(builtins, MARK.replace("-", "_"))
    again = StoredEvaluation.objects.get()
    assert storage.loads(again.result).summary() == storage.loads(computed.result).summary()
