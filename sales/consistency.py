"""The rollups as they should be, summed in Python from the sales lines, and as they are stored.

An independent check of `sales.rollups` and `sales.rhythm`: nothing here shares their SQL. The
tests compare the two after every write; the restore drill compares them on a restored copy.
"""

from __future__ import annotations

import itertools
import statistics
import struct
from collections import defaultdict
from decimal import Decimal

from .models import AccountRhythm, DailySales, MonthlySales, SalesLine

ZERO = Decimal("0")


def expected_rollups() -> tuple[dict, dict]:
    """(monthly, daily) sums over every SalesLine, keyed like the rollup tables."""
    monthly: dict = defaultdict(lambda: [ZERO, ZERO, 0, ZERO, 0, set()])
    daily: dict = defaultdict(lambda: [ZERO, ZERO, 0, 0])
    for line in SalesLine.objects.all().iterator(chunk_size=5000):
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


def actual_rows() -> tuple[list, list]:
    """(monthly, daily) rollup rows as stored, each as (key…, figures…)."""
    monthly = list(
        MonthlySales.objects.values_list(
            "account_id", "month", "product_line_id",
            "revenue", "margin", "margin_lines", "quantity", "line_count", "purchase_dates",
        )
    )  # fmt: skip
    daily = list(
        DailySales.objects.values_list(
            "account_id", "date", "revenue", "margin", "line_count", "purchase_lines"
        )
    )
    return monthly, daily


def actual_rollups() -> tuple[dict, dict]:
    """(monthly, daily) rollup rows as stored, keyed; a key stored twice raises ValueError."""
    monthly_rows, daily_rows = actual_rows()
    monthly = {row[:3]: row[3:] for row in monthly_rows}
    daily = {row[:2]: row[2:] for row in daily_rows}
    if len(monthly) != len(monthly_rows) or len(daily) != len(daily_rows):
        raise ValueError("a rollup key is stored twice")
    return monthly, daily


def expected_rhythm() -> dict:
    """Per account: first and last line, first and last purchase date, their count, the median gap
    and the purchase days as numbers, from the lines (a purchase date has a line >= 0)."""
    lines: dict = defaultdict(set)
    bought: dict = defaultdict(set)
    for account_id, date, amount in SalesLine.objects.values_list("account_id", "date", "amount"):
        lines[account_id].add(date)
        if amount >= 0:
            bought[account_id].add(date)
    rhythm = {}
    for account_id, dates in lines.items():
        days = sorted(bought[account_id])
        gaps = [(b - a).days for a, b in itertools.pairwise(days)]
        rhythm[account_id] = (
            min(dates), max(dates), days[0] if days else None, days[-1] if days else None, len(days),
            statistics.median(gaps) if gaps else None, [d.toordinal() - 719163 for d in days],
        )  # fmt: skip
    return rhythm


def actual_rhythm() -> dict:
    """Per account, the stored `AccountRhythm` in the shape of `expected_rhythm`."""
    return {
        r.account_id: (
            r.first_line,
            r.last_line,
            r.first_purchase,
            r.last_purchase,
            r.purchase_dates,
            r.median_gap_days,
            list(struct.unpack(f">{len(r.purchase_days) // 4}i", bytes(r.purchase_days))),
        )
        for r in AccountRhythm.objects.all()
    }


def rollup_differences() -> dict[str, int]:
    """How many keys of each rollup differ from the sums of the lines (missing, extra or unequal):
    all zero when the rollups are exact."""
    monthly, daily = actual_rollups()
    want_monthly, want_daily = expected_rollups()
    rhythm, want_rhythm = actual_rhythm(), expected_rhythm()
    return {
        "monthly": _differing(monthly, want_monthly),
        "daily": _differing(daily, want_daily),
        "rhythm": _differing(rhythm, want_rhythm),
    }


def _differing(actual: dict, expected: dict) -> int:
    return sum(1 for key in actual.keys() | expected.keys() if actual.get(key) != expected.get(key))
