"""The trend factor that scales last year's same period into a likely demand."""

from decimal import Decimal

from sales.forecast import LAST_YEAR_TREND, next_period_demand, trend


def test_the_trend_is_the_recent_span_over_the_one_before():
    assert trend(recent=Decimal(110), before=Decimal(100)) == Decimal("1.1000")
    assert trend(recent=Decimal(1000), before=Decimal(350)) == Decimal("2.8571")


def test_there_is_no_trend_without_sales_the_span_before():
    assert trend(recent=Decimal(50), before=Decimal(0)) is None
    assert trend(recent=Decimal(50), before=Decimal(-10)) is None


def test_a_trend_scales_last_years_period_into_the_demand():
    factor = trend(recent=Decimal(900), before=Decimal(300))
    forecast = next_period_demand(same_period_last_year=Decimal(400), trend=factor)
    assert (forecast.value, forecast.method) == (Decimal("1200.00"), LAST_YEAR_TREND)
