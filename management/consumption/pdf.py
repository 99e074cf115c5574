"""The consumption report as a PDF, on the printed proposal's page (fpdf2, the same embedded fonts,
running header and footer), so every document the client gets from us looks alike."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf.fonts import FontFace

from proposals.document.canvas import ACCENT, FONT, HEADING_STYLE, INK, MUTED, ProposalCanvas

from . import tables
from .selectors import ConsumptionReport
from .tables import TEXT, Table, display

TOTAL_STYLE = FontFace(family=FONT, emphasis="BOLD", color=ACCENT, size_pt=8)
FIRST_COLUMN = 40.0  # mm for the product line; the figures share the rest of the 174 mm


def _masthead(pdf: ProposalCanvas, report: ConsumptionReport) -> None:
    figures = report.figures
    pdf.masthead(report.company, _("CONSUMPTION REPORT"), tables.half_label(figures.half))
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(pdf.epw, 8.5, report.account_name, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
    facts = [
        (_("Period"), tables.half_title(figures.half)),
        (_("Compared with"), ", ".join(map(str, figures.years))),
        (_("Prepared on"), date_format(report.prepared_on)),
        (_("Currency"), report.currency),
    ]
    for label, value in facts:
        pdf.set_font(FONT, size=8.5)
        width = pdf.get_string_width(label) + 1.5
        pdf.set_font(FONT, "B", 8.5)
        if pdf.x + width + pdf.get_string_width(value) > pdf.w - pdf.r_margin:
            pdf.ln(5)  # the next fact starts a line of its own rather than running off the page
        pdf.set_font(FONT, size=8.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(pdf.get_string_width(label) + 1.5, 5, label)
        pdf.set_font(FONT, "B", 8.5)
        pdf.set_text_color(*INK)
        pdf.cell(pdf.get_string_width(value) + 8, 5, value)
    pdf.ln(7)


def _table(pdf: ProposalCanvas, table: Table) -> None:
    """A heading, then the table: figures right-aligned, the total row emphasised."""
    pdf.heading(table.title, keep=12 + 6 * min(len(table.rows), 4))
    if not table.rows:
        pdf.paragraph(_("No sales in these periods."), muted=True)
        return
    figures = len(table.kinds) - 1
    first = FIRST_COLUMN if figures > 2 else 60.0
    widths = [first] + [(pdf.epw - first) / figures] * figures
    pdf.plain_style(size=7.5)
    with pdf.table(
        col_widths=widths,
        text_align=["LEFT" if kind == TEXT else "RIGHT" for kind in table.kinds],
        borders_layout="HORIZONTAL_LINES",
        headings_style=HEADING_STYLE,
        line_height=3.8,
        padding=(1.2, 1.2),
        v_align="TOP",
        repeat_headings=1,
    ) as grid:
        grid.row(list(table.header))
        for number, row in enumerate(table.rows, start=1):
            style = TOTAL_STYLE if table.emphasised_last and number == len(table.rows) else None
            cells = [display(value, kind) for value, kind in zip(row, table.kinds, strict=True)]
            line = grid.row(style=style)
            for text in cells:
                line.cell(text)
    pdf.ln(2)


def consumption_pdf(report: ConsumptionReport) -> bytes:
    """The report's bytes: masthead, summary, the product-line tables and how the demand is worked out."""
    title = _("Consumption report %(half)s · %(client)s") % {
        "half": tables.half_label(report.figures.half),
        "client": report.account_name,
    }
    pdf = ProposalCanvas(running_title=title, footer_note=f"{report.company} · {title}", stamp="")
    pdf.set_title(title)
    pdf.set_subject(report.account_name)
    pdf.set_author(report.company)
    pdf.set_creator(report.company)
    pdf.set_lang(translation.get_language() or "en")
    pdf.set_creation_date(dt.datetime.combine(report.prepared_on, dt.time(), tzinfo=dt.UTC))
    pdf.add_page()
    _masthead(pdf, report)
    _table(pdf, tables.summary(report))
    for table in tables.line_tables(report):
        _table(pdf, table)
    pdf.heading(_("How the likely demand is worked out"), keep=20)
    pdf.paragraph(tables.method_note(report))
    return bytes(pdf.output())
