"""The rollups as they should be, summed in Python from the sales lines, and as they are."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sales.models import DailySales, MonthlySales, SalesLine

ZERO = Decimal("0")


def expected_rollups() -> tuple[dict, dict]:
    """(monthly, daily) sums over every SalesLine, keyed like the rollup tables."""
    monthly: dict = defaultdict(lambda: [ZERO, ZERO, 0, ZERO, 0, set()])
    daily: dict = defaultdict(lambda: [ZERO, ZERO, 0, 0])
    for line in SalesLine.objects.all():
        month = monthly[(line.account_id, line.date.replace(day=1), line.product_line_id)]
        month[0] += line.amount
        if line.margin is not None:
            month[1] += line.margin
            month[2] += 1
        month[3] += line.quantity if line.quantity is not None else ZERO
        month[4] += 1
        month[5].add(line.date)
        day = daily[(line.account_id, line.date)]
        day[0] += line.amount
        day[1] += line.margin if line.margin is not None else ZERO
        day[2] += 1
        day[3] += line.amount >= 0
    return (
        {key: (v[0], v[1], v[2], v[3], v[4], len(v[5])) for key, v in monthly.items()},
        {key: tuple(v) for key, v in daily.items()},
    )


def actual_rollups() -> tuple[dict, dict]:
    """(monthly, daily) rollup rows as stored; a key stored twice would show as a length mismatch."""
    monthly_rows = list(
        MonthlySales.objects.values_list(
            "account_id", "month", "product_line_id",
            "revenue", "margin", "margin_lines", "quantity", "line_count", "purchase_dates",
        )
    )  # fmt: skip
    daily_rows = list(
        DailySales.objects.values_list(
            "account_id", "date", "revenue", "margin", "line_count", "purchase_lines"
        )
    )
    monthly = {row[:3]: row[3:] for row in monthly_rows}
    daily = {row[:2]: row[2:] for row in daily_rows}
    assert len(monthly) == len(monthly_rows) and len(daily) == len(daily_rows), "a rollup key is stored twice"
    return monthly, daily


def assert_rollups_match_lines() -> None:
    assert actual_rollups() == expected_rollups()
