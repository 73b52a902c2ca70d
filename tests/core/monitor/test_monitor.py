"""The monitor reproduces, exactly, the tables worked out by hand for the edge-case dataset (edges.py)."""

from datetime import date

import pytest

from vertrouwen.core.dataset import read_dataset
from vertrouwen.core.monitor import monitor

from .edges import write_edges


@pytest.fixture
def edges(tmp_path):
    return monitor(read_dataset(write_edges(tmp_path / "randen")))


def test_participant_development(edges):
    assert edges.participants == {
        "A": {"enrolled": 5, "stopped": 1, "exited": 1, "current": 3},  # A1 exited; A2, A3, A4 current; A5 stopped
        "B": {"enrolled": 2, "stopped": 0, "exited": 2, "current": 0},  # B3 declined, B4 signed on C
        "total": {"enrolled": 7, "stopped": 1, "exited": 3, "current": 3}}


def test_goals_at_baseline_and_the_highest_goal(edges):
    a, b = edges.goals_baseline["A"], edges.goals_baseline["B"]
    assert (a["with_goal"], a["werk"], a["opleiding"], a["zorg_hulp"], a["anders"], a["good_prospects"]) == \
        (2, 1, 1, 1, 0, 1)  # A3's goal came at a review; A4's after C
    assert (b["with_goal"], b["parttime_werk"], b["good_prospects"]) == (1, 1, 0)
    assert edges.highest_goal["A"]["werk"] == 1 and edges.highest_goal["A"]["zorg_hulp"] == 1
    assert edges.highest_goal["total"]["parttime_werk"] == 1


def test_exit_to_work_with_the_reference_group(edges):
    assert edges.exit_to_work["A"] == {"n": 4, "first_exit_to_work": 2, "net_at_count_date": 1}  # A1, A3; A1 net
    assert edges.exit_to_work["B"] == {"n": 2, "first_exit_to_work": 1, "net_at_count_date": 1}  # zelfstandig
    assert edges.exit_to_work["reference"] == {"n": 2, "first_exit_to_work": 1, "net_at_count_date": 1}
    assert edges.exit_to_work["total"] == {"n": 6, "first_exit_to_work": 3, "net_at_count_date": 2}


def test_monthly_cumulative_exit_to_work_gross_and_net_of_re_entry(edges):
    months = edges.monthly["months"]
    assert months[0] == "2018-01" and months[-1] == "2019-09" and len(months) == 21
    gross, net = edges.monthly["exit_to_work"]["gross"]["A"], edges.monthly["exit_to_work"]["net"]["A"]
    at = {m: i for i, m in enumerate(months)}
    assert gross[at["2018-11"]] == 0 and gross[at["2018-12"]] == 0.25  # A3 left on 31 December 2018
    assert net[at["2018-12"]] == 0.25 and net[at["2019-06"]] == 0  # ... and came back on 1 June 2019
    assert (gross[at["2019-09"]], net[at["2019-09"]]) == (0.5, 0.25)  # A1 left on 30 September


def test_offset_earnings_and_contacts_per_month(edges):
    july = edges.monthly["months"].index("2019-07")
    earnings = edges.monthly["offset_earnings"]
    # In July 2019 on benefit in A (of A1-A4): A1, A2, A3 (back), A4 = 4; A3 and A4 earned: 2/4, mean 400, total 800.
    assert earnings["share"]["A"][july] == 0.5
    assert (earnings["mean_cents"]["A"][july], earnings["total_cents"]["A"][july]) == (40_000, 80_000)
    # Reference group in July: R2 only (R1 left in February), who earned EUR 200.
    assert earnings["share"]["reference"][july] == 1.0
    # Contacts in July per participant: A had A1, A2 of A1-A4 (A5 stopped in March) = 2/4; B: 1 of B1, B2.
    contacts = edges.monthly["contacts_per_participant"]
    assert (contacts["A"][july], contacts["B"][july]) == (0.5, 0.5)


def test_survey_response_per_wave(edges):
    assert edges.survey_response == {"0": {"A": {"answered": 1, "participants": 5},
                                           "B": {"answered": 1, "participants": 2}}}


def test_the_monitor_as_it_stood_at_an_earlier_date(tmp_path):
    """On 1 March 2019: A5 has not stopped yet (stops on 1 March: not before it); A3 is between their exit and their
    re-entry; R1 has left (28 February)."""
    early = monitor(read_dataset(write_edges(tmp_path / "randen")), as_of=date(2019, 3, 1))
    assert early.count_date == date(2019, 3, 1)
    assert early.participants["A"] == {"enrolled": 5, "stopped": 0, "exited": 1, "current": 4}
    assert early.exit_to_work["reference"]["first_exit_to_work"] == 1
    assert early.exit_to_work["A"]["first_exit_to_work"] == 1  # A3 only
