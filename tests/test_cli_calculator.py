"""`vertrouwen calculator`: month by month what someone keeps, from the shipped rule tables; bad input names the
argument. Expected amounts are worked by hand: the experiment disregard is 50% up to EUR 199 (Tijdelijk besluit
experimenten Pw, 1 April 2017 to 1 April 2021); the couple's norm of 1 January 2018 is EUR 1,417.32 (st-ab.nl, after
Stcrt. 2017, 68641; core/rules/tables.py)."""

import json

import pytest

from vertrouwen.cli import main


def test_json_month_by_month(capsys):
    assert main(["calculator", "--regime", "experiment", "--household", "gehuwd_samenwonend", "--start", "2018-03",
                 "--earnings", "612,50", "--months", "3", "--json"]) == 0
    months = json.loads(capsys.readouterr().out)
    assert [m["month"] for m in months] == ["2018-03", "2018-04", "2018-05"]
    first = months[0]
    # 50% of 612.50 = 306.25, above the maximum: 199.00 disregarded, 413.50 offset, 1,417.32 - 413.50 = 1,003.82.
    assert (first["disregarded_cents"], first["deducted_cents"], first["benefit_cents"]) == (19_900, 41_350, 100_382)
    assert first["total_income_cents"] == 100_382 + 61_250 and first["gain_cents"] == 19_900


def test_the_table_in_dutch(capsys):
    assert main(["calculator", "--regime", "standard", "--household", "alleenstaande", "--start", "2026-01",
                 "--earnings", "600", "--months", "7", "--age", "40"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Standaard vrijlating (art. 31 lid 2 sub n Pw), alleenstaande, netto inkomsten € 600,00")
    assert "€ 150,00" in out[2] and "€ 0,00" in out[8]  # the seventh month: the six months are used
    # 2026 is settled with older amounts, and the command says so (the sub n maximum of 1 January 2025 is missing).
    assert out[9] == ("Let op: vanaf 01-2026 is gerekend met oudere bedragen; de bedragen per 01-01-2025 ontbreken "
                      "in de regeltabellen.")


@pytest.mark.parametrize(("argument", "value", "message"), [
    ("--earnings", "-5", "niet negatief"),
    ("--earnings", "20000,01", "meer dan € 20.000"),
    ("--earnings", "veel", "geen bedrag"),
    ("--earnings", "1.000", "dubbelzinnig"),  # a thousand euros, or one? never read as one euro
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
    assert main(["calculator", "--regime", "none", "--household", "alleenstaande", "--start", "2014-12",
                 "--earnings", "100"]) == 2
    assert "geen bijstandsnorm alleenstaande bekend op 01-12-2014" in capsys.readouterr().err
