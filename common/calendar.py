"""Calendar arithmetic: the one place every app (and the analysis engine) counts months and working days.

Plain standard library: the pure analysis engine imports it too."""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from typing import Any, Protocol


class YearMonth(Protocol):
    """A date, or anything with `year` and `month` (pandas' `.dt` accessor: month_index vectorised)."""

    @property
    def year(self) -> Any: ...

    @property
    def month(self) -> Any: ...


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months (negative: back), the day clamped to the month's length
    (Mar 31 - 1 month = Feb 28)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def months_back(day: dt.date, months: int) -> dt.date:
    """`day` minus whole calendar months, the day clamped to the month's length."""
    return add_months(day, -months)


def window_start(as_of: dt.date, window_months: int) -> dt.date:
    """The first day inside the window: lines with as_of - window_months < date <= as_of."""
    return months_back(as_of, window_months) + dt.timedelta(days=1)


def month_floor(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_index(day: YearMonth) -> Any:
    """Months since year 0: consecutive months differ by one (an int for a date; a Series for
    a pandas `.dt` accessor)."""
    return day.year * 12 + day.month - 1


def month_of_index(index: int) -> dt.date:
    """The first day of the month `month_index` numbers."""
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of day's month."""
    return day.replace(day=monthrange(day.year, day.month)[1])


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from first's month to last's, both included."""
    return [month_of_index(i) for i in range(month_index(first), month_index(last) + 1)]


def last_day_of_previous_month(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


def add_working_days(day: dt.date, n: int) -> dt.date:
    """`day` plus `n` working days, Monday to Friday (negative: back); public holidays are not
    known here. Friday + 1 is Monday, Saturday + 1 is Monday; `n` = 0 is `day` itself."""
    step = 1 if n >= 0 else -1
    for _ in range(abs(n)):
        day += dt.timedelta(days=step)
        while day.weekday() >= 5:  # Saturday 5, Sunday 6
            day += dt.timedelta(days=step)
    return day
