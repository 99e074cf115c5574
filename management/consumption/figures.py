"""The figures of the semester consumption report: pure arithmetic over an account's monthly rollup.

For a half-year H of year Y the report covers the three full years before Y, the same half of those
years and H itself, per product line and in total, and the client's likely demand for the half after
H: last year's same half scaled by the trend (the 12 months to the end of H over the 12 before),
computed per product line by `sales.forecast.next_period_demand`; the total demand is the sum of the
product lines' demands, so the column adds up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from common.calendar import add_months
from sales.forecast import LAST_YEAR_TREND, NO_DATA, Forecast, next_period_demand, trend
from sales.periods import Period

YEARS = 3  # full years before the half's year
ZERO = Decimal(0)


@dataclass(frozen=True)
class MonthRow:
    """One month of one product line of the account (the rollup, product line by name)."""

    month: dt.date
    product_line: str
    revenue: Decimal
    quantity: Decimal


@dataclass(frozen=True)
class Amounts:
    revenue: Decimal = ZERO
    quantity: Decimal = ZERO

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(self.revenue + other.revenue, self.quantity + other.quantity)


@dataclass(frozen=True)
class LineFigures:
    """One product line (or the total): the amounts of every period the report shows and its demand."""

    product_line: str
    years: tuple[Amounts, ...]  # as `ConsumptionFigures.years`
    halves: tuple[Amounts, ...]  # as `ConsumptionFigures.halves`
    trend_revenue: Decimal | None  # last 12 months over the 12 before, as a factor
    trend_quantity: Decimal | None
    basis: Amounts  # the same half last year of the half forecast
    demand_revenue: Forecast
    demand_quantity: Forecast


@dataclass(frozen=True)
class ConsumptionFigures:
    half: Period
    years: tuple[int, ...]
    halves: tuple[Period, ...]  # the same half of each of `years`, then `half` itself
    next_half: Period
    basis_half: Period  # the next half, one year earlier
    lines: tuple[LineFigures, ...]
    total: LineFigures
    months: tuple[MonthRow, ...] = field(default=())  # every month with sales, for the monthly sheet
    to_date: dt.date | None = None  # the half is not over: figures to this day


def report_span(half: Period) -> tuple[dt.date, dt.date]:
    """The first and last day whose sales the report reads (the trend's 24 months lie inside)."""
    return dt.date(half.start.year - YEARS, 1, 1), half.end


def change_percent(current: Decimal, previous: Decimal) -> Decimal | None:
    """Year-over-year change in % to one decimal; None when the earlier figure is not positive."""
    if previous <= 0:
        return None
    return ((current - previous) * 100 / previous).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _sum(months: dict[dt.date, Amounts], first: dt.date, last: dt.date) -> Amounts:
    return sum((amounts for month, amounts in months.items() if first <= month <= last), Amounts())


def _line(
    name: str, months: dict[dt.date, Amounts], *, years: tuple[int, ...], halves: tuple[Period, ...],
    half: Period, basis_half: Period,
) -> LineFigures:  # fmt: skip
    recent_start = add_months(half.start, -6)  # 12 months ending with the half
    recent = _sum(months, recent_start, half.end)
    before = _sum(months, add_months(recent_start, -12), recent_start - dt.timedelta(days=1))
    basis = _sum(months, basis_half.start, basis_half.end)
    trend_revenue = trend(recent=recent.revenue, before=before.revenue)
    trend_quantity = trend(recent=recent.quantity, before=before.quantity)
    return LineFigures(
        product_line=name,
        years=tuple(_sum(months, dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in years),
        halves=tuple(_sum(months, period.start, period.end) for period in halves),
        trend_revenue=trend_revenue,
        trend_quantity=trend_quantity,
        basis=basis,
        demand_revenue=next_period_demand(same_period_last_year=basis.revenue, trend=trend_revenue),
        demand_quantity=next_period_demand(same_period_last_year=basis.quantity, trend=trend_quantity),
    )


def _summed(forecasts: Iterable[Forecast]) -> Forecast:
    values = [forecast.value for forecast in forecasts if forecast.value is not None]
    if not values:
        return Forecast(None, NO_DATA, ZERO)
    return Forecast(sum(values, ZERO), LAST_YEAR_TREND, ZERO)


def consumption_figures(
    rows: Iterable[MonthRow], *, half: Period, to_date: dt.date | None = None
) -> ConsumptionFigures:
    """The report of `half` from the account's monthly rows (rows outside the span are ignored).
    `to_date`: the half is still running and the figures stop at that day."""
    if half.kind != "half":
        raise ValueError(f"{half} is not a half-year")
    first, last = report_span(half)
    kept = tuple(
        sorted((r for r in rows if first <= r.month <= last), key=lambda r: (r.month, r.product_line))
    )
    by_line: dict[str, dict[dt.date, Amounts]] = defaultdict(lambda: defaultdict(Amounts))
    for row in kept:
        by_line[row.product_line][row.month] += Amounts(row.revenue, row.quantity)
    years = tuple(range(half.start.year - YEARS, half.start.year))
    halves = tuple(half.shifted(-2 * back) for back in range(YEARS, -1, -1))
    next_half = half.shifted(1)
    basis_half = next_half.last_year()

    def line_of(name: str, months: dict[dt.date, Amounts]) -> LineFigures:
        return _line(name, months, years=years, halves=halves, half=half, basis_half=basis_half)

    lines = [line_of(name, months) for name, months in by_line.items()]
    lines.sort(key=lambda line: (-sum(a.revenue for a in line.years + line.halves[-1:]), line.product_line))
    every_month: dict[dt.date, Amounts] = defaultdict(Amounts)
    for months in by_line.values():
        for month, amounts in months.items():
            every_month[month] += amounts
    total = line_of("Total", every_month)
    total = replace(
        total,
        demand_revenue=_summed(line.demand_revenue for line in lines),
        demand_quantity=_summed(line.demand_quantity for line in lines),
    )
    return ConsumptionFigures(
        half=half, years=years, halves=halves, next_half=next_half, basis_half=basis_half,
        lines=tuple(lines), total=total, months=kept, to_date=to_date,
    )  # fmt: skip
