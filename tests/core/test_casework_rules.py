"""The case manager's arithmetic: highest goal, review due dates, guidance targets.

Expected values are worked by hand from the rules they cite: the goal ladder of the Wageningen final report
(seed 003, "Hoogst haalbare participatiedoel": werk > parttime werk > opleiding > re-integratie > sociale
activering > zorg en hulp > anders) and a review every six months.
"""

from datetime import date

import pytest

from vertrouwen.core.casework import guidance_months, highest_goal, next_review_due
from vertrouwen.core.months import add_months


@pytest.mark.parametrize(("goals", "highest"), [
    (["anders", "werk"], "werk"),
    (["zorg_en_hulp", "vrijwilligerswerk"], "vrijwilligerswerk"),
    (["opleiding", "parttime_werk", "anders"], "parttime_werk"),
    (["anders"], "anders"),
    ([], None),
])
def test_the_highest_attainable_goal_is_the_highest_on_the_ladder(goals, highest):
    assert highest_goal(goals) == highest


def test_an_unknown_goal_is_an_error_not_a_guess():
    with pytest.raises(KeyError):
        highest_goal(["werk", "astronaut"])


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 3, 15), 6, date(2026, 9, 15)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),  # February is shorter: its last day
    (date(2027, 8, 31), 6, date(2028, 2, 29)),  # a leap year
    (date(2026, 10, 31), 1, date(2026, 11, 30)),
    (date(2026, 1, 31), -2, date(2025, 11, 30)),
])
def test_months_are_added_as_a_calendar_does(day, months, expected):
    assert add_months(day, months) == expected


def test_a_review_is_due_six_months_after_the_latest_conversation():
    assert next_review_due(date(2026, 4, 6)) == date(2026, 10, 6)
    assert next_review_due(None) is None


def test_guidance_months_count_contacts_against_the_target_per_calendar_month():
    contacts = [date(2026, 1, 5), date(2026, 1, 20), date(2026, 2, 3), date(2026, 4, 30)]
    months = guidance_months(contacts, 2, date(2026, 1, 15), date(2026, 4, 2))
    assert [(m.month, m.contacts, m.met) for m in months] == [
        (date(2026, 1, 1), 2, True), (date(2026, 2, 1), 1, False), (date(2026, 3, 1), 0, False),
        (date(2026, 4, 1), 1, False),  # 30 April counts in April, also when the range stops on 2 April
    ]
