"""Calendar arithmetic: working days (Monday to Friday)."""

from __future__ import annotations

import datetime as dt

import pytest

from common.calendar import add_working_days

MON, FRI, SAT, SUN = dt.date(2026, 3, 2), dt.date(2026, 3, 6), dt.date(2026, 3, 7), dt.date(2026, 3, 8)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (MON, 1, dt.date(2026, 3, 3)),
        (MON, 4, FRI),
        (MON, 5, dt.date(2026, 3, 9)),  # a whole week on
        (FRI, 1, dt.date(2026, 3, 9)),  # over the weekend
        (FRI, 2, dt.date(2026, 3, 10)),
        (SAT, 1, dt.date(2026, 3, 9)),  # from a weekend day: the next Monday is the first
        (SUN, 1, dt.date(2026, 3, 9)),
        (MON, 10, dt.date(2026, 3, 16)),
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 1)),  # across a year: a Thursday to a Friday
    ],
)
def test_working_days_skip_saturdays_and_sundays(day, n, expected):
    assert add_working_days(day, n) == expected
    assert add_working_days(day, n).weekday() < 5


@pytest.mark.parametrize("day", [MON, SAT])
def test_zero_working_days_is_the_day_itself(day):
    assert add_working_days(day, 0) == day


def test_negative_counts_go_back_over_weekends():
    assert add_working_days(dt.date(2026, 3, 9), -1) == FRI
    assert add_working_days(SUN, -1) == FRI
    assert add_working_days(MON, -5) == dt.date(2026, 2, 23)
