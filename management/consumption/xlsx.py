"""The consumption report as a workbook: a sheet per table, human headers, numbers kept as numbers
(formatted with thousands separators), every cell through `common.exports.safe_row`."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.exports import safe_cell, safe_row

from . import tables
from .selectors import ConsumptionReport
from .tables import MONEY, PERCENT, QUANTITY, Table

NUMBER_FORMATS = {MONEY: "#,##0.00", QUANTITY: "#,##0.###", PERCENT: "0.0"}


def _sheets(report: ConsumptionReport) -> list[tuple[str, Table]]:
    revenue_years, revenue_halves, quantity_years, quantity_halves, demand = tables.line_tables(report)
    return [
        (_("Summary"), tables.summary(report)),
        (_("Revenue by year"), revenue_years),
        (_("Revenue by half-year"), revenue_halves),
        (_("Quantity by year"), quantity_years),
        (_("Quantity by half-year"), quantity_halves),
        (_("Likely demand"), demand),
        (_("By month"), tables.by_month(report)),
        (_("About"), tables.about(report)),
    ]


def _write(book: Workbook, name: str, table: Table) -> None:
    sheet = book.create_sheet(safe_cell(name)[:31])
    sheet.append(safe_row(table.header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append(safe_row(row))
    for index, kind in enumerate(table.kinds, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = 28 if index == 1 else 16
        if kind in NUMBER_FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = NUMBER_FORMATS[kind]
    if table.emphasised_last:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    if name == _("About"):
        sheet.column_dimensions["B"].width = 100
        for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"


def consumption_xlsx(report: ConsumptionReport) -> bytes:
    """The workbook's bytes."""
    book = Workbook()
    book.remove(book.active)
    for name, table in _sheets(report):
        _write(book, name, table)
    book.properties.title = _("Consumption report %(half)s: %(client)s") % {
        "half": tables.half_label(report.figures.half),
        "client": report.account_name,
    }
    book.properties.creator = report.company
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
