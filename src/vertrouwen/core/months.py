"""Month arithmetic, once: every month is named by its first day."""

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the last day of the month where that month is shorter (31 Aug + 6 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def months_between(first: dt.date, later: dt.date) -> int:
    """Calendar months from the month of `first` to the month of `later`: 0 within one month."""
    return (later.year - first.year) * 12 + later.month - first.month


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    """The first day of the month after the one `month` falls in."""
    return add_months(month.replace(day=1), 1)


def previous_month(month: dt.date) -> dt.date:
    """The first day of the month before the one `month` falls in: September for 1 October and for 29 October
    alike (the last complete month, whose earnings can have been declared)."""
    return add_months(month.replace(day=1), -1)
