"""The `vertrouwen` command's pure subcommands: generate and validate, as a data officer runs them."""

import subprocess
from pathlib import Path

import pytest

from vertrouwen import cli
from vertrouwen.cli import main

REPO = Path(__file__).parents[1]


def test_generate_then_validate_a_synthetic_municipality(tmp_path, capsys):
    folder = tmp_path / "voorbeeldstad"

    assert main(["generate", str(folder), "--size", "XS", "--seed", "7"]) == 0
    assert main(["validate", str(folder)]) == 0

    out = capsys.readouterr().out
    assert "persons 120," in out  # size XS: 60 participants and 60 reference (simulation.sizes)
    assert f"{folder}: geen problemen gevonden" in out


def test_validate_lists_each_problem_and_fails(tmp_path, capsys):
    folder = tmp_path / "ds"
    main(["generate", str(folder), "--size", "XS"])
    with (folder / "earnings.csv").open("a", encoding="utf-8") as earnings:
        earnings.write("P0000001,2018-13,100,\n")
    lines = (folder / "earnings.csv").read_text().count("\n")  # the bad row is the last physical line
    capsys.readouterr()

    assert main(["validate", str(folder)]) == 1

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"earnings.csv, regel {lines}, kolom month:")
    assert out[-1] == "1 probleem gevonden"


def test_an_unknown_size_is_refused_with_the_choices_and_no_traceback(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["generate", str(tmp_path / "ds"), "--size", "XXL"])

    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--size {XS,S,M,L}" in err and "argument --size: invalid choice: 'XXL'" in err
    assert "Traceback" not in err
    assert not (tmp_path / "ds").exists()


def test_the_sizes_offered_are_the_generators_sizes():
    from vertrouwen.core.simulation import SIZES

    assert cli.SIZES == tuple(SIZES)


def test_the_evaluation_defaults_in_the_help_are_the_settings_defaults():
    from vertrouwen.core.evaluation.settings import PERMUTATIONS, SEED

    assert (cli.EVALUATION_PERMUTATIONS, cli.EVALUATION_SEED) == (PERMUTATIONS, SEED)


def test_generate_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    folder = tmp_path / "bestaand"
    folder.mkdir()
    (folder / "notities.txt").write_text("van iemand anders\n", encoding="utf-8")

    assert main(["generate", str(folder), "--size", "XS"]) == 1

    err = capsys.readouterr().err
    assert err.strip() == f"Genereren geweigerd: {folder} bestaat al en is niet leeg; kies een nieuwe map"
    assert [p.name for p in folder.iterdir()] == ["notities.txt"]
    assert (folder / "notities.txt").read_text(encoding="utf-8") == "van iemand anders\n"


def test_generate_writes_into_an_empty_folder(tmp_path, capsys):
    folder = tmp_path / "leeg"
    folder.mkdir()

    assert main(["generate", str(folder), "--size", "xs"]) == 0  # the size in either case

    assert (folder / "manifest.json").exists()
    assert main(["generate", str(folder), "--size", "XS"]) == 1  # and not a second time over it


def test_demo_help_documents_where_it_listens(capsys):
    with pytest.raises(SystemExit):
        main(["demo", "-h"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--bind HOST:PORT" in help_text
    assert "default 127.0.0.1:8000; `make demo PORT=8001` passes 127.0.0.1:8001" in help_text


def test_make_demo_passes_its_port_to_the_demo():
    planned = subprocess.run(["make", "-n", "demo", "PORT=8001"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout
    assert "vertrouwen demo --bind 127.0.0.1:8001" in planned
