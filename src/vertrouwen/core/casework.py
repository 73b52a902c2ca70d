"""The case manager's rules that are plain arithmetic: the highest attainable goal, when the next half-yearly
review is due, and whether a month met the group's guidance target.

The seeds (Wageningen final report, "Hoogst haalbare participatiedoel" and "Werken met goed passende doelen"):
goals are reviewed every six months (plan-do-check-act); the highest attainable goal is the highest of a
person's goals on the ladder werk > parttime werk > ... > anders, the order of codes.GOALS.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from vertrouwen.core import codes
from vertrouwen.core.months import add_months

REVIEW_INTERVAL_MONTHS = 6

_GOAL_RANK = {code: rank for rank, code in enumerate(codes.GOALS)}


def highest_goal(goals: Iterable[str]) -> str | None:
    """The highest of the goals on the ladder of codes.GOALS; None without goals."""
    ranked = sorted(set(goals), key=_GOAL_RANK.__getitem__)
    return ranked[0] if ranked else None


def next_review_due(last_conversation: date | None) -> date | None:
    """Six months after the intake or the latest half-yearly review; None before the intake."""
    return None if last_conversation is None else add_months(last_conversation, REVIEW_INTERVAL_MONTHS)


@dataclass(frozen=True)
class GuidanceMonth:
    month: date  # the first day of the month
    contacts: int
    target: int

    @property
    def met(self) -> bool:
        return self.contacts >= self.target


def guidance_months(contact_days: Iterable[date], target: int, first: date, last: date) -> list[GuidanceMonth]:
    """Per calendar month from `first` to `last` (both included), the contacts and whether the target was met."""
    per_month: dict[date, int] = {}
    for day in contact_days:
        month = day.replace(day=1)
        per_month[month] = per_month.get(month, 0) + 1
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(GuidanceMonth(month, per_month.get(month, 0), target))
        month = add_months(month, 1)
    return months
