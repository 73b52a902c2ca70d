"""`vertrouwen calculator`: month by month what someone keeps, from the shipped rule tables; bad input names the
argument. Expected amounts are worked by hand: the experiment disregard is 50% up to EUR 199 (Tijdelijk besluit);
the couple's norm from 1 July 2025 is EUR 1,955.80 (core/rules/tables.py)."""

import json

import pytest

from vertrouwen.cli import main


def test_json_month_by_month(capsys):
    assert main(["calculator", "--regime", "experiment", "--household", "gehuwd_samenwonend", "--start", "2026-01",
                 "--earnings", "612,50", "--months", "3", "--json"]) == 0
    months = json.loads(capsys.readouterr().out)
    assert [m["month"] for m in months] == ["2026-01", "2026-02", "2026-03"]
    first = months[0]
    # 50% of 612.50 = 306.25, above the maximum: 199.00 disregarded, 413.50 offset, 1,955.80 - 413.50 = 1,542.30.
    assert (first["disregarded_cents"], first["deducted_cents"], first["benefit_cents"]) == (19_900, 41_350, 154_230)
    assert first["total_income_cents"] == 154_230 + 61_250 and first["gain_cents"] == 19_900


def test_the_table_in_dutch(capsys):
    assert main(["calculator", "--regime", "standard", "--household", "alleenstaande", "--start", "2026-01",
                 "--earnings", "600", "--months", "7", "--age", "40"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Standaard vrijlating (art. 31 lid 2 sub n Pw), alleenstaande, inkomsten € 600,00")
    assert "€ 150,00" in out[2] and "€ 0,00" in out[-1]  # the seventh month: the six months are used


@pytest.mark.parametrize(("argument", "value", "message"), [
    ("--earnings", "-5", "niet negatief"),
    ("--earnings", "20000,01", "meer dan € 20.000"),
    ("--earnings", "veel", "geen bedrag"),
    ("--start", "2026-13", "geen maand"),
    ("--regime", "bonus", "invalid choice"),
])
def test_bad_input_names_the_argument(capsys, argument, value, message):
    args = {"--regime": "none", "--household": "alleenstaande", "--start": "2026-01", "--earnings": "100"}
    args[argument] = value
    with pytest.raises(SystemExit) as exit_:
        main(["calculator", *[part for pair in args.items() for part in pair]])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert argument in err and message in err


def test_a_month_without_a_known_norm_is_refused(capsys):
    assert main(["calculator", "--regime", "none", "--household", "alleenstaande", "--start", "2019-01",
                 "--earnings", "100"]) == 2
    assert "geen bijstandsnorm alleenstaande bekend op 01-01-2019" in capsys.readouterr().err
