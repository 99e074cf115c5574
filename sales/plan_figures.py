"""The revenue behind plan vs actual and the forecasts, read from the rollups in one query a grain.

Each figure is summed over the accounts the user sees only: a KAM's "KAM" total is the revenue of
the accounts they own and see, never a department total.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, Sum, Value

from accounts.models import User, of_visible_accounts

from .models import DailySales, MonthlySales
from .periods import Period

ZERO = Decimal(0)
# The target an account-grain row is counted under, per level.
GROUP = {"account": "account_id", "kam": "account__owner_id", "department": "account__department_id"}


def same_day_last_year(day: dt.date) -> dt.date:
    """The same calendar day a year earlier (29 February gives 28 February)."""
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year - 1, day=28)
    return day.replace(year=day.year - 1)


@dataclass(frozen=True)
class Window:
    """What a forecast compares: the period to `as_of`, and last year's same period and same day."""

    period: Period
    today: dt.date

    @property
    def as_of(self) -> dt.date:
        return min(self.today, self.period.end)

    @property
    def days_elapsed(self) -> int:
        return max((self.as_of - self.period.start).days + 1, 0)

    @property
    def last_year(self) -> Period:
        return self.period.last_year()

    @property
    def last_year_same_day(self) -> dt.date:
        return same_day_last_year(self.as_of)


@dataclass(frozen=True)
class Figures:
    actual: Decimal = ZERO
    last_year_to_same_day: Decimal = ZERO
    last_year_total: Decimal = ZERO


def _figures(row: Mapping[str, Any], last_year_to_same_day: Decimal | None = None) -> Figures:
    if last_year_to_same_day is None:
        last_year_to_same_day = row["ly_to_day"] or ZERO
    return Figures(row["actual"] or ZERO, last_year_to_same_day, row["ly_total"] or ZERO)


def daily_figures(*, user: User, level: str, window: Window, restrict: Q | None = None) -> dict[int, Figures]:
    """Target id → figures for account, kam or department targets, at the day grain (DailySales).
    Level "pool": one row, key 0, over every account the user sees (the season of the business)."""
    ly = window.last_year
    # Only the two stretches the sums take: a quarter's rows and last year's, not the months between.
    read = Q(date__gte=ly.start, date__lte=ly.end) | Q(date__gte=window.period.start, date__lte=window.as_of)
    rows = (
        DailySales.objects.filter(of_visible_accounts(user), read)
        .filter(restrict or Q())
        .annotate(target=Value(0) if level == "pool" else F(GROUP[level]))
        .values("target")
        .annotate(
            actual=Sum("revenue", filter=Q(date__gte=window.period.start, date__lte=window.as_of)),
            ly_to_day=Sum("revenue", filter=Q(date__gte=ly.start, date__lte=window.last_year_same_day)),
            ly_total=Sum("revenue", filter=Q(date__gte=ly.start, date__lte=ly.end)),
        )
        .order_by()
    )
    return {row["target"]: _figures(row) for row in rows if row["target"] is not None}


def monthly_line_figures(
    *, user: User, level: str, window: Window, restrict: Q | None = None
) -> dict[tuple[int, int], Figures]:
    """(target id, product line id) → figures, at the month grain (MonthlySales has the lines);
    level "pool": target 0, every account the user sees.

    Last year's revenue to the same day takes the whole months before it and the share of its own
    month that had passed: the month grain knows no days.
    """
    ly = window.last_year
    same_day = window.last_year_same_day
    same_month = same_day.replace(day=1)
    rows = (
        MonthlySales.objects.filter(of_visible_accounts(user), product_line__isnull=False)
        .filter(month__gte=ly.start, month__lte=window.period.end)
        .filter(restrict or Q())
        .annotate(target=Value(0) if level == "pool" else F(GROUP[level]))
        .values("target", line=F("product_line_id"))
        .annotate(
            actual=Sum("revenue", filter=Q(month__gte=window.period.start, month__lte=window.as_of)),
            ly_before=Sum("revenue", filter=Q(month__gte=ly.start, month__lt=same_month)),
            ly_month=Sum("revenue", filter=Q(month=same_month)),
            ly_total=Sum("revenue", filter=Q(month__gte=ly.start, month__lte=ly.end)),
        )
        .order_by()
    )
    month_share = Decimal(same_day.day) / calendar.monthrange(same_day.year, same_day.month)[1]
    result = {}
    for row in rows:
        to_same_day = (row["ly_before"] or ZERO) + (row["ly_month"] or ZERO) * month_share
        result[(row["target"], row["line"])] = _figures(row, to_same_day)
    return result
