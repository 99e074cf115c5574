"""Forecasts to the end of a period: pure arithmetic over figures the selectors gather.

Seasonal run-rate: the revenue so far, divided by the share of last year's revenue for the same
period that had been reached by the same day. Without a usable last year it falls back to the
plain run-rate (revenue so far x days in period / days elapsed). The method goes with the number.

The share is best taken from a season pooled over many accounts (the business's season): one
account's own last year mostly says when its few big orders happened to fall. With the target's own
last-year total given, what is sold so far is kept and only the rest of the period is estimated:
from the seasonal total and that own total, weighted by the share of the season already gone (early
in the period last year's own total counts most, late in it this year's pace). That steadies a lumpy
start (bench/forecast_eval.py measures it against the plain run-rate).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

SEASONAL, RUN_RATE, LAST_YEAR_TREND = "seasonal", "run_rate", "last_year_trend"
CLOSED, NO_DATA = "closed", "no_data"
# Below this share of last year's period reached by the same day, last year says too little (a
# period whose first weeks were empty last year) and the plain run-rate is used instead.
MIN_SEASONAL_SHARE = Decimal("0.05")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Forecast:
    value: Decimal | None  # None: nothing to go on
    method: str
    actual_to_date: Decimal
    share_reached_last_year: Decimal | None = None  # for the seasonal method
    with_last_year: bool = False  # weighed with the target's own total of last year's period

    @property
    def remaining(self) -> Decimal | None:
        return None if self.value is None else self.value - self.actual_to_date


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def run_rate(*, actual_to_date: Decimal, days_elapsed: int, days_total: int) -> Forecast:
    """The revenue so far, spread evenly over the whole period."""
    if days_elapsed >= days_total:
        return Forecast(_money(actual_to_date), CLOSED, actual_to_date)
    if days_elapsed <= 0:
        return Forecast(None, NO_DATA, actual_to_date)
    return Forecast(_money(actual_to_date * days_total / days_elapsed), RUN_RATE, actual_to_date)


def seasonal(
    *,
    actual_to_date: Decimal,
    days_elapsed: int,
    days_total: int,
    last_year_to_same_day: Decimal,
    last_year_total: Decimal,
    own_last_year_total: Decimal | None = None,
) -> Forecast:
    """The revenue so far over the share of last year's period reached by the same day; the plain
    run-rate where last year gives no usable share.

    `last_year_*` give the season (the target's own, or pooled over many); `own_last_year_total`,
    when the season is pooled, is the target's own total of last year's period (used when above
    zero): the forecast is then the revenue so far plus the rest of the period, estimated from the
    seasonal total and that own total weighted by the share of the season gone and still to come."""
    if days_elapsed >= days_total:
        return Forecast(_money(actual_to_date), CLOSED, actual_to_date)
    if days_elapsed <= 0:
        own = last_year_total if own_last_year_total is None else own_last_year_total
        return next_period_demand(same_period_last_year=own, trend=None)
    if last_year_total > 0 and last_year_to_same_day > 0:
        share = last_year_to_same_day / last_year_total
        if share >= MIN_SEASONAL_SHARE:
            value = actual_to_date / share if share < 1 else actual_to_date
            if own_last_year_total is not None and own_last_year_total > 0 and share < 1:
                # What is sold is known; only the rest of the period is estimated.
                expected = share * value + (1 - share) * own_last_year_total
                value = actual_to_date + (1 - share) * expected
                return Forecast(_money(value), SEASONAL, actual_to_date, share, with_last_year=True)
            return Forecast(_money(value), SEASONAL, actual_to_date, share)
    return run_rate(actual_to_date=actual_to_date, days_elapsed=days_elapsed, days_total=days_total)


def next_period_demand(*, same_period_last_year: Decimal, trend: Decimal | None) -> Forecast:
    """A period not yet begun: last year's same period, scaled by the account's trend (the last 12
    months over the 12 before, when known)."""
    if same_period_last_year <= 0:
        return Forecast(None, NO_DATA, Decimal(0))
    value = same_period_last_year * (trend if trend is not None and trend >= 0 else 1)
    return Forecast(_money(value), LAST_YEAR_TREND, Decimal(0))


def trend(*, recent: Decimal, before: Decimal) -> Decimal | None:
    """How the recent span compares with the one before it, as a factor (1.10 = 10 % more), for
    `next_period_demand`; None when the earlier span sold nothing (no base to compare with)."""
    if before <= 0:
        return None
    return (recent / before).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def describe(forecast: Forecast, *, last_year_label: str, same_day: dt.date) -> str:
    """The method in words, shown beside the number: "seasonal: 38 % of last year's 2025Q3 was in
    by 4 Nov", "run-rate: no usable last year", …"""
    if forecast.method == SEASONAL and forecast.share_reached_last_year is not None:
        share = (forecast.share_reached_last_year * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        values = {"share": share, "period": last_year_label, "day": date_format(same_day, "MONTH_DAY_FORMAT")}
        if forecast.with_last_year:
            return (
                _(
                    "Seasonal: %(share)s %% of last year's %(period)s was in by %(day)s, "
                    "weighed with its own %(period)s"
                )
                % values
            )
        return _("Seasonal: %(share)s %% of last year's %(period)s was in by %(day)s") % values
    if forecast.method == LAST_YEAR_TREND:
        return _("Not begun: last year's %(period)s") % {"period": last_year_label}
    return {
        RUN_RATE: _("Run-rate: no usable last year"),
        CLOSED: _("Closed: the actual"),
        NO_DATA: _("No data: nothing sold so far or last year"),
    }.get(forecast.method, forecast.method)
