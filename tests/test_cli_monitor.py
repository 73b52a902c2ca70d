"""`vertrouwen monitor`: the edge-case dataset's tables as JSON with the documented keys, readable Dutch tables,
an earlier date, and several folders pooled. Expected numbers: tests/core/monitor/edges.py, worked by hand."""

import json

from core.monitor.edges import write_edges
from vertrouwen.cli import main


def test_json_with_the_documented_keys(tmp_path, capsys):
    assert main(["monitor", str(write_edges(tmp_path / "randen")), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["participants"]["A"] == {"enrolled": 5, "stopped": 1, "exited": 1, "current": 3}
    assert set(out["goals_baseline"]["A"]) == {"with_goal", "werk", "parttime_werk", "opleiding", "re_integratie",
                                               "vrijwilligerswerk", "zorg_hulp", "anders", "good_prospects"}
    assert out["exit_to_work"]["reference"] == {"n": 2, "first_exit_to_work": 1, "net_at_count_date": 1}
    assert {"months", "exit_to_work", "offset_earnings", "contacts_per_participant"} <= set(out["monthly"])


def test_readable_tables_in_dutch(tmp_path, capsys):
    assert main(["monitor", str(write_edges(tmp_path / "randen"))]) == 0
    out = capsys.readouterr().out
    assert "teldatum 01-10-2019" in out and "Ontwikkeling deelnemers" in out and "Geen deelname" in out
    line = next(row for row in out.splitlines() if row.startswith("Zelf in actie") and "%" in row)
    assert line.split()[3:6] == ["4", "2", "50,0%"]  # n 4, first exit 2 of 4


def test_an_earlier_date_and_several_folders_pooled(tmp_path, capsys):
    one, two = write_edges(tmp_path / "een"), write_edges(tmp_path / "twee")
    assert main(["monitor", str(one), str(two), "--json", "--date", "2019-03-01"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["count_date"] for m in out["per_municipality"]] == ["2019-03-01", "2019-03-01"]
    assert out["pooled"]["participants"]["A"] == {"enrolled": 10, "stopped": 0, "exited": 2, "current": 8}


def test_a_broken_folder_is_named(tmp_path, capsys):
    folder = write_edges(tmp_path / "kapot")
    (folder / "persons.csv").write_text("person_id\n", encoding="utf-8")
    assert main(["monitor", str(folder)]) == 2
    assert "kapot" in capsys.readouterr().err
