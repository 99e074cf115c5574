"""The forecast arithmetic, worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sales import forecast as fc

D = Decimal


def test_the_run_rate_spreads_the_revenue_so_far_over_the_period():
    result = fc.run_rate(actual_to_date=D(310), days_elapsed=31, days_total=92)
    assert (result.value, result.method) == (D("920.00"), fc.RUN_RATE)


def test_a_closed_period_forecasts_its_actual():
    assert fc.run_rate(actual_to_date=D(5), days_elapsed=92, days_total=92).method == fc.CLOSED
    assert fc.seasonal(actual_to_date=D(5), days_elapsed=100, days_total=92, last_year_to_same_day=D(1),
                       last_year_total=D(2)).value == D("5.00")  # fmt: skip


def test_the_seasonal_forecast_divides_by_last_years_share_by_the_same_day():
    result = fc.seasonal(actual_to_date=D(150), days_elapsed=46, days_total=92,
                         last_year_to_same_day=D(100), last_year_total=D(400))  # fmt: skip
    assert (result.value, result.method, result.share_reached_last_year) == (
        D("600.00"),
        fc.SEASONAL,
        D("0.25"),
    )


def test_with_its_own_last_year_only_the_rest_of_the_period_is_weighed_with_it():
    # 25 % of the season gone: 150 / 25 % = 600 at this pace, 200 last year. The 75 % to come is
    # estimated from 25 % x 600 + 75 % x 200 = 300: 150 + 75 % x 300 = 375.
    result = fc.seasonal(actual_to_date=D(150), days_elapsed=46, days_total=92, last_year_to_same_day=D(100),
                         last_year_total=D(400), own_last_year_total=D(200))  # fmt: skip
    assert (result.value, result.with_last_year) == (D("375.00"), True)


def test_the_forecast_never_falls_below_what_is_already_sold():
    # 500 + 75 % x (25 % x 2000 + 75 % x 10) = 500 + 75 % x 507.50 = 880.625
    result = fc.seasonal(actual_to_date=D(500), days_elapsed=46, days_total=92, last_year_to_same_day=D(100),
                         last_year_total=D(400), own_last_year_total=D(10))  # fmt: skip
    assert result.value == D("880.63")
    tiny = fc.seasonal(actual_to_date=D(500), days_elapsed=46, days_total=92, last_year_to_same_day=D(390),
                       last_year_total=D(400), own_last_year_total=D(1))  # fmt: skip
    assert tiny.value >= D(500)


def test_too_small_a_share_last_year_falls_back_to_the_run_rate():
    result = fc.seasonal(actual_to_date=D(10), days_elapsed=10, days_total=100, last_year_to_same_day=D(1),
                         last_year_total=D(100))  # fmt: skip
    assert (result.method, result.value) == (fc.RUN_RATE, D("100.00"))


def test_a_period_not_begun_forecasts_last_years_own_period():
    result = fc.seasonal(actual_to_date=D(0), days_elapsed=0, days_total=92, last_year_to_same_day=D(0),
                         last_year_total=D(900), own_last_year_total=D(300))  # fmt: skip
    assert (result.method, result.value) == (fc.LAST_YEAR_TREND, D("300.00"))


def test_the_method_is_said_in_words():
    seasonal = fc.Forecast(D(1), fc.SEASONAL, D(1), D("0.38"))
    assert fc.describe(seasonal, last_year_label="2025Q3", same_day=dt.date(2025, 11, 4)) == (
        "Seasonal: 38 % of last year's 2025Q3 was in by 4 November"
    )
    plain = fc.Forecast(D(1), fc.RUN_RATE, D(1))
    assert fc.describe(plain, last_year_label="2025Q3", same_day=dt.date(2025, 11, 4)) == (
        "Run-rate: no usable last year"
    )
