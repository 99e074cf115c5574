"""Calendar arithmetic of the analysis window."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange


def months_back(day: dt.date, months: int) -> dt.date:
    """`day` minus whole calendar months, the day clamped to the month's length (Mar 31 - 1 = Feb 28)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def window_start(as_of: dt.date, window_months: int) -> dt.date:
    """The first day inside the window: lines with as_of - window_months < date <= as_of."""
    return months_back(as_of, window_months) + dt.timedelta(days=1)


def month_floor(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_index(day: dt.date) -> int:
    """Months since year 0: consecutive months differ by one."""
    return day.year * 12 + day.month - 1


def last_day_of_previous_month(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)
