"""One experiment's data give one set of estimates and p-values everywhere: the researcher's page, the project
lead's report (its PDF is laid out from the same HTML) and `vertrouwen evaluate --json` on the experiment's exported
folder with the options the settings name. Before, the page used 2,000 re-draws and the lottery's strata at the
count date, the report 10,000 without strata at the day after the data's last event, and the two printed different
p-values for one experiment."""

import html as html_text
import json
from datetime import date

import pytest
from django.utils import timezone

from vertrouwen.cli import main
from vertrouwen.core.dataset import write_dataset
from vertrouwen.core.evaluation import reading
from vertrouwen.core.simulation import generate
from vertrouwen.web.datasets import import_dataset
from vertrouwen.web.datasets.exporting import export_dataset
from vertrouwen.web.evaluation.selectors import evaluation_date, evaluation_of
from vertrouwen.web.registry.models import Experiment


@pytest.fixture
def experiment(db, tmp_path) -> Experiment:
    folder = tmp_path / "voorbeeldstad-xs"
    write_dataset(folder, generate(size="XS", seed=2017))
    import_dataset(folder, actor="test")
    return Experiment.objects.get()


def text_of(response) -> str:
    """The page's text with its entities read and its white space as one space."""
    return " ".join(html_text.unescape(response.content.decode()).split())


def command_line_rows(experiment: Experiment, settings, folder, capsys) -> list[dict]:
    export_dataset(folder, experiment_code=experiment.code, actor="test")
    capsys.readouterr()
    assert main(["evaluate", str(folder), "--json", *settings.arguments()]) == 0
    return json.loads(capsys.readouterr().out)["estimates"]


@pytest.mark.parametrize("asked", [None, date(2019, 1, 1)])  # the count date, and an interim date
def test_the_page_the_report_and_the_command_line_print_the_same_numbers(experiment, asked, login, tmp_path, capsys):
    on = asked or evaluation_date(experiment, timezone.localdate())
    query = {"datum": asked.isoformat()} if asked else {}
    page = text_of(login("onderzoeker").get(f"/evaluatie/{experiment.pk}/", query))
    computed = evaluation_of(experiment, on)  # what the page showed: stored with its settings
    assert computed.settings.as_of == on and computed.settings.permutations == 10_000

    rows = command_line_rows(experiment, computed.settings, tmp_path / "export", capsys)
    assert rows == json.loads(json.dumps(computed.evaluation.tidy()))  # every estimate and p-value, to the bit

    if asked is None:  # the reports stand at the date the page shows by default
        report = text_of(login("projectleider").get(f"/rapportages/{experiment.pk}/final.html"))
        readings = [" ".join(reading.read_effect(computed.evaluation, "exit_to_work", c.code).split())
                    for c in computed.evaluation.contrasts if not c.pooled]
        assert len(readings) >= 3
        for sentence in readings:  # estimate, interval and p-value, written out the same way in both
            assert sentence in page and sentence in report
        assert computed.settings.described() in report
