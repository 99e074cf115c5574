"""The consumption report as tables: built once, written as the workbook's sheets and the PDF's tables,
so both files always say the same thing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from proposals.document.formats import amount, plain
from sales.periods import Period

from .figures import Amounts, ConsumptionFigures, LineFigures, change_percent
from .selectors import ConsumptionReport

TEXT, MONEY, QUANTITY, PERCENT = "text", "money", "quantity", "percent"
MONTH_NAMES = (gettext_lazy("January–June"), gettext_lazy("July–December"))  # noqa: RUF001


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    kinds: tuple[str, ...]  # how each column is written: TEXT, MONEY, QUANTITY or PERCENT
    rows: tuple[tuple[Any, ...], ...]
    emphasised_last: bool = False  # the last row is a total


def display(value: Any, kind: str) -> str:
    """A cell as the PDF and the page print it: money to the cent, quantities without trailing
    zeros, changes signed; a dash where there is no figure."""
    if value is None:
        return "—"
    if kind == MONEY:
        return amount(value)
    if kind == QUANTITY:
        return plain(Decimal(value))
    if kind == PERCENT:
        return f"{value:+.1f}".replace("-", "\N{MINUS SIGN}")
    return str(value)


def half_label(half: Period) -> str:
    """ "H1 2026" """
    return pgettext("half-year", "H%(number)s %(year)s") % {
        "number": (half.start.month - 1) // 6 + 1,
        "year": half.start.year,
    }


def half_title(half: Period) -> str:
    """ "H1 2026 (January to June, joined by an en dash)" """
    return _("%(half)s (%(months)s)") % {
        "half": half_label(half),
        "months": MONTH_NAMES[half.start.month > 6],
    }


def _trend_percent(factor: Decimal | None) -> Decimal | None:
    if factor is None:
        return None
    return ((factor - 1) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


Measure = Callable[[Amounts], Decimal]
REVENUE: Measure = lambda amounts: amounts.revenue  # noqa: E731
QUANTITY_OF: Measure = lambda amounts: amounts.quantity  # noqa: E731


def summary(report: ConsumptionReport) -> Table:
    """The account's totals: each year, each same half-year, and the likely demand of the next half."""
    figures, total = report.figures, report.figures.total
    rows: list[tuple[Any, ...]] = []
    for index, year in enumerate(figures.years):
        previous = total.years[index - 1].revenue if index else None
        change = change_percent(total.years[index].revenue, previous) if previous is not None else None
        rows.append((str(year), total.years[index].revenue, total.years[index].quantity, change))
    for index, half in enumerate(figures.halves):
        amounts = total.halves[index]
        change = change_percent(amounts.revenue, total.halves[index - 1].revenue) if index else None
        label = half_label(half)
        if half == figures.half and figures.to_date:
            label = _("%(half)s (to date)") % {"half": label}
        rows.append((label, amounts.revenue, amounts.quantity, change))
    demand = total.demand_revenue.value
    rows.append(
        (
            _("Likely demand %(half)s") % {"half": half_label(figures.next_half)},
            demand,
            total.demand_quantity.value,
            change_percent(demand, total.basis.revenue) if demand is not None else None,
        )
    )
    header = (_("Period"), _("Revenue, %(c)s") % {"c": report.currency}, _("Quantity"),
              _("Revenue change vs a year earlier, %"))  # fmt: skip
    return Table(_("Summary"), header, (TEXT, MONEY, QUANTITY, PERCENT), tuple(rows))


def _line_rows(figures: ConsumptionFigures, cells: Callable[[LineFigures], tuple[Any, ...]]) -> tuple:
    rows = [(line.product_line, *cells(line)) for line in figures.lines]
    return (*rows, (_("Total"), *cells(figures.total)))


def by_year(report: ConsumptionReport, measure: Measure, title: str, kind: str) -> Table:
    """Per product line: each full year and the change of the last year over the one before."""
    figures = report.figures
    last, before = figures.years[-1], figures.years[-2]

    def cells(line: LineFigures) -> tuple[Any, ...]:
        values = [measure(amounts) for amounts in line.years]
        return (*values, change_percent(values[-1], values[-2]))

    change = _("Change %(a)s vs %(b)s, %%") % {"a": last, "b": before}
    kinds = (TEXT, *[kind] * len(figures.years), PERCENT)
    return Table(
        title, (_("Product line"), *map(str, figures.years), change), kinds, _line_rows(figures, cells), True
    )


def by_half(report: ConsumptionReport, measure: Measure, title: str, kind: str) -> Table:
    """Per product line: the same half of each year, the report's half last, and its change."""
    figures = report.figures

    def cells(line: LineFigures) -> tuple[Any, ...]:
        values = [measure(amounts) for amounts in line.halves]
        return (*values, change_percent(values[-1], values[-2]))

    labels = [half_label(half) for half in figures.halves]
    change = _("Change %(a)s vs %(b)s, %%") % {"a": labels[-1], "b": labels[-2]}
    kinds = (TEXT, *[kind] * len(labels), PERCENT)
    return Table(title, (_("Product line"), *labels, change), kinds, _line_rows(figures, cells), True)


def demand(report: ConsumptionReport) -> Table:
    """Per product line: last year's same half, the trend, and the likely demand of the next half."""
    figures = report.figures
    basis, coming = half_label(figures.basis_half), half_label(figures.next_half)

    def cells(line: LineFigures) -> tuple[Any, ...]:
        revenue = (line.basis.revenue, _trend_percent(line.trend_revenue), line.demand_revenue.value)
        return (
            *revenue,
            line.basis.quantity,
            _trend_percent(line.trend_quantity),
            line.demand_quantity.value,
        )

    header = (
        _("Product line"), _("Revenue %(h)s") % {"h": basis}, _("Revenue trend, %"),
        _("Likely revenue %(h)s") % {"h": coming}, _("Quantity %(h)s") % {"h": basis},
        _("Quantity trend, %"), _("Likely quantity %(h)s") % {"h": coming},
    )  # fmt: skip
    kinds = (TEXT, MONEY, PERCENT, MONEY, QUANTITY, PERCENT, QUANTITY)
    title = _("Likely demand %(h)s") % {"h": half_title(figures.next_half)}
    return Table(title, header, kinds, _line_rows(figures, cells), True)


def by_month(report: ConsumptionReport) -> Table:
    rows = tuple(
        (date_format(row.month, "YEAR_MONTH_FORMAT"), row.product_line, row.revenue, row.quantity)
        for row in report.figures.months
    )
    header = (_("Month"), _("Product line"), _("Revenue, %(c)s") % {"c": report.currency}, _("Quantity"))
    return Table(_("By month"), header, (TEXT, TEXT, MONEY, QUANTITY), rows)


def method_note(report: ConsumptionReport) -> str:
    """How the likely demand is worked out, in the words the report prints."""
    figures = report.figures
    text = _(
        "Likely demand for %(next)s: for each product line, its sales in %(basis)s (the same half-year "
        "last year) scaled by its trend, the last 12 months to the end of %(half)s over the 12 months "
        "before. A product line with no sales the year before keeps last year's figure unchanged; one "
        "with no sales in %(basis)s has no forecast. The total is the sum of the product lines."
    ) % {
        "next": half_label(figures.next_half),
        "basis": half_label(figures.basis_half),
        "half": half_label(figures.half),
    }
    if figures.to_date:
        text += " " + _("%(half)s is not over: its figures run to %(day)s.") % {
            "half": half_label(figures.half),
            "day": date_format(figures.to_date),
        }
    return text


def about(report: ConsumptionReport) -> Table:
    figures = report.figures
    rows = (
        (_("Client"), report.account_name),
        (_("Report period"), half_title(figures.half)),
        (_("Full years"), ", ".join(map(str, figures.years))),
        (_("Prepared by"), report.company),
        (_("Prepared on"), date_format(report.prepared_on)),
        (_("Currency"), report.currency),
        (_("Method"), method_note(report)),
    )
    return Table(_("About this report"), (_("Item"), _("Value")), (TEXT, TEXT), rows)


def line_tables(report: ConsumptionReport) -> list[Table]:
    """The product-line tables, in the order both files show them."""
    c = {"c": report.currency}
    return [
        by_year(report, REVENUE, _("Revenue by product line, %(c)s: full years") % c, MONEY),
        by_half(report, REVENUE, _("Revenue by product line, %(c)s: same half-year") % c, MONEY),
        by_year(report, QUANTITY_OF, _("Quantity by product line: full years"), QUANTITY),
        by_half(report, QUANTITY_OF, _("Quantity by product line: same half-year"), QUANTITY),
        demand(report),
    ]
