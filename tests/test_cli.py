"""The `vertrouwen` command's pure subcommands: generate and validate, as a data officer runs them."""

from vertrouwen.cli import main


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
