"""The consumption report's figures against a hand-worked ledger (report of H1 2026).

Coils: 2023-03 100 (10), 2024-02 200 (20), 2025-05 300 (30), 2025-08 400 (40), 2026-04 500 (50).
Bolts: 2024-09 50 (5), 2025-09 100 (10). Two lines outside the span (2022-12, 2026-07) are ignored.
Trend window: the 12 months to June 2026 over the 12 before (July 2024 - June 2025).
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from management.consumption.figures import Amounts, MonthRow, change_percent, consumption_figures
from sales.forecast import LAST_YEAR_TREND, NO_DATA
from sales.periods import parse

ROWS = [
    MonthRow(dt.date(2022, 12, 1), "Coils", D(999), D(99)),
    MonthRow(dt.date(2023, 3, 1), "Coils", D(100), D(10)),
    MonthRow(dt.date(2024, 2, 1), "Coils", D(200), D(20)),
    MonthRow(dt.date(2024, 9, 1), "Bolts", D(50), D(5)),
    MonthRow(dt.date(2025, 5, 1), "Coils", D(300), D(30)),
    MonthRow(dt.date(2025, 8, 1), "Coils", D(400), D(40)),
    MonthRow(dt.date(2025, 9, 1), "Bolts", D(100), D(10)),
    MonthRow(dt.date(2026, 4, 1), "Coils", D(500), D(50)),
    MonthRow(dt.date(2026, 7, 1), "Coils", D(777), D(77)),
]


@pytest.fixture
def figures():
    return consumption_figures(ROWS, half=parse("2026H1"))


def test_the_report_covers_three_full_years_and_the_same_half_of_each(figures):
    assert figures.years == (2023, 2024, 2025)
    assert [h.label for h in figures.halves] == ["2023H1", "2024H1", "2025H1", "2026H1"]
    assert (figures.next_half.label, figures.basis_half.label) == ("2026H2", "2025H2")


def test_product_lines_come_biggest_first_with_their_years_and_halves(figures):
    coils, bolts = figures.lines
    assert coils.product_line == "Coils"
    assert [a.revenue for a in coils.years] == [D(100), D(200), D(700)]
    assert [a.quantity for a in coils.years] == [D(10), D(20), D(70)]
    assert [a.revenue for a in coils.halves] == [D(100), D(200), D(300), D(500)]
    assert [a.revenue for a in bolts.years] == [D(0), D(50), D(100)]
    assert bolts.halves == (Amounts(),) * 4


def test_the_likely_demand_is_last_years_same_half_scaled_by_the_trend(figures):
    coils, bolts = figures.lines
    # Coils: (400 + 500) / 300 = 3; 2025H2 sold 400 -> 1,200; quantity 40 x 90/30 = 120.
    assert coils.trend_revenue == D(3) and coils.basis.revenue == D(400)
    assert coils.demand_revenue.value == D("1200.00") and coils.demand_revenue.method == LAST_YEAR_TREND
    assert coils.demand_quantity.value == D("120.00")
    # Bolts: 100 / 50 = 2; 2025H2 sold 100 -> 200.
    assert (bolts.trend_revenue, bolts.demand_revenue.value) == (D(2), D("200.00"))


def test_the_total_adds_the_lines_and_its_demand_is_their_sum(figures):
    total = figures.total
    assert [a.revenue for a in total.years] == [D(100), D(250), D(800)]
    assert total.demand_revenue.value == D("1400.00")
    assert total.trend_revenue == D("2.8571")  # 1,000 / 350, shown for the account as a whole


def test_year_over_year_changes():
    assert change_percent(D(800), D(250)) == D("220.0")
    assert change_percent(D(500), D(300)) == D("66.7")
    assert change_percent(D(5), D(0)) is None


def test_a_line_that_did_not_sell_in_last_years_same_half_has_no_forecast():
    rows = [MonthRow(dt.date(2026, 2, 1), "New", D(10), D(1))]
    figures = consumption_figures(rows, half=parse("2026H1"))
    assert figures.lines[0].demand_revenue.method == NO_DATA
    assert figures.total.demand_revenue.value is None


def test_only_half_years_are_reported():
    with pytest.raises(ValueError, match="not a half-year"):
        consumption_figures(ROWS, half=parse("2026Q1"))
