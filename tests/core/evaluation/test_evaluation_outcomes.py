"""The outcome definitions (docs/evaluation.md) on the monitor's hand-built edge-case dataset, with hours added in
the last month before the count date; every expected value is worked out by hand in the table below.
C = 2019-10-01; everyone allocated on 2018-01-15 except B4 (2019-09-15). Intention to treat: B3, who declined,
and A5, who stopped, count in their arm.

    person  exit to work   net   27h   12h   earnings in 09       time (days)      cause
    A1      2019-09-30     yes   ?     ?     no                   623              work
    A2      - (ends on C)  no    yes   yes   yes (120 h in 09)    624 (censored)   -
    A3      2018-12-31     no    no    no    no (only in 07)      350              work   back 2019-06-01
    A4      - (after C)    no    no    no    no (only in 07)      624 (censored)   -
    A5      -              no    no    yes   yes (60 h in 09)     624 (censored)   -
    B1      2019-05-31     yes   ?     ?     no                   501              work
    B2      - (verhuizing) no    ?     ?     no                   470              other
    B3      -              no    no    no    no                   624 (censored)   -
    B4      -              no    no    no    no                   16 (censored)    -

The hours outcomes (27h, 12h) are known only on benefit at C: "?" is not known (off benefit, hours after leaving
are not in the data); on benefit without earnings in 09 is 0 hours.
"""

import datetime as dt

import polars as pl
import pytest
from tests.core.monitor.edges import write_edges

from vertrouwen.core.dataset import read_dataset
from vertrouwen.core.evaluation import evaluate
from vertrouwen.core.evaluation.frame import analysis_frame

HOURS = """person_id,month,earnings_cents,hours
A2,2019-09,150000,120.00
A3,2019-07,30000,
A4,2019-07,50000,
A5,2019-09,70000,60.00
R2,2019-07,20000,
"""
EXPECTED = {  # exit, net, 27h, 12h, earnings, time, cause
    "A1": (True, True, None, None, False, 623, 1),
    "A2": (False, False, True, True, True, 624, 0),
    "A3": (True, False, False, False, False, 350, 1),
    "A4": (False, False, False, False, False, 624, 0),
    "A5": (False, False, False, True, True, 624, 0),
    "B1": (True, True, None, None, False, 501, 1),
    "B2": (False, False, None, None, False, 470, 2),
    "B3": (False, False, False, False, False, 624, 0),
    "B4": (False, False, False, False, False, 16, 0),
}


@pytest.fixture
def edges(tmp_path):
    folder = write_edges(tmp_path / "randen")
    (folder / "earnings.csv").write_text(HOURS, encoding="utf-8")
    return read_dataset(folder)


def test_outcomes_per_person_as_worked_out_by_hand(edges):
    frame = analysis_frame(edges)
    columns = ["exit_to_work", "net_exit_to_work", "work_27h", "work_12h", "parttime_earnings", "time", "cause"]
    found = {row[0]: tuple(row[1:]) for row in frame.select("person_id", *columns).iter_rows()}
    assert found == EXPECTED


def test_shares_and_reentry_in_the_evaluation(edges):
    result = evaluate(edges)
    share = {(r.outcome, r.contrast): (r.estimate, r.n) for r in result.rows("share")}
    assert share["exit_to_work", "A"] == (2 / 5, 5)  # A1, A3 of A1-A5
    assert share["exit_to_work", "B"] == (1 / 4, 4)  # B1 of B1-B4
    assert share["net_exit_to_work", "A"] == (1 / 5, 5)
    # A3 left for work on 2018-12-31 and was back on 2019-06-01, within 6 months; 12 months later is after C,
    # so A3 is not yet counted for re-entry within 12 months. A1 left on 2019-09-30: too late for either.
    assert share["reentry_6m", "A"] == (1.0, 1)
    assert ("reentry_12m", "A") not in share
    assert result.contrasts[0].code == "A vs B"
    difference = result.row("difference_in_proportions", "exit_to_work", "A vs B")
    assert difference.estimate == pytest.approx(2 / 5 - 1 / 4)


def test_an_earlier_date_counts_only_what_happened_before_it(edges):
    result = evaluate(edges, as_of=dt.date(2019, 6, 1))
    assert result.count_date == dt.date(2019, 6, 1)
    share = {(r.outcome, r.contrast): (r.estimate, r.n) for r in result.rows("share")}
    assert share["exit_to_work", "A"] == (1 / 5, 5)  # only A3 by then
    assert share["exit_to_work", "B"] == (1 / 3, 3)  # B1 (2019-05-31); B4 not yet allocated


def test_only_persons_allocated_before_the_count_date(edges):
    frame = analysis_frame(edges, dt.date(2019, 9, 15))
    assert "B4" not in frame["person_id"].to_list()
    assert frame.filter(pl.col("person_id") == "B3")["arm"].item() == "B"


def test_who_came_back_and_left_again_for_another_reason_is_no_net_exit_to_work(edges):
    """DESIGN.md section 6: net exit to work is off benefit at C after a first exit to work, without re-entry. A3
    left for work on 2018-12-31, came back on 2019-06-01, and here leaves again on 2019-08-31 for a move: off
    benefit at C, yet not a net exit to work."""
    spells = edges.tables["benefit_spells"].with_columns(
        spell_end=pl.when((pl.col("person_id") == "A3") & (pl.col("spell_start") == dt.date(2019, 6, 1)))
        .then(pl.lit(dt.date(2019, 8, 31))).otherwise(pl.col("spell_end")),
        end_reason=pl.when((pl.col("person_id") == "A3") & (pl.col("spell_start") == dt.date(2019, 6, 1)))
        .then(pl.lit("verhuizing")).otherwise(pl.col("end_reason")))
    moved = type(edges)(edges.manifest, {**edges.tables, "benefit_spells": spells})
    a3 = analysis_frame(moved).filter(pl.col("person_id") == "A3").row(0, named=True)
    assert (a3["exit_to_work"], a3["net_exit_to_work"], a3["work_27h"]) == (True, False, None)
