"""The first half of the printed proposal: who writes to whom, and what is offered at what price."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf.enums import CellBordersLayout
from fpdf.fonts import FontFace

from ..models import ProposalLine
from .canvas import ACCENT, BOLD, FONT, HEADING_STYLE, INK, MUTED, MUTED_STYLE, ProposalCanvas
from .content import ProposalContent
from .formats import amount, money, plain

NAME_STYLE = FontFace(family=FONT, emphasis="BOLD", color=INK, size_pt=11)
TOTAL_STYLE = FontFace(family=FONT, emphasis="BOLD", color=ACCENT, size_pt=10.5)


def masthead(pdf: ProposalCanvas, content: ProposalContent) -> None:
    """Our name on the left; what the document is and its number on the right."""
    pdf.masthead(content.company, _("COMMERCIAL PROPOSAL"), content.proposal.number)


def title_block(pdf: ProposalCanvas, content: ProposalContent) -> None:
    """The title, then the dates and the currency the figures are in."""
    proposal = content.proposal
    pdf.set_font(FONT, "B", 18)
    pdf.set_text_color(*INK)
    pdf.multi_cell(pdf.epw, 8.5, proposal.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)
    facts = [
        (_("Date"), date_format(content.issued)),
        (_("Valid until"), date_format(proposal.valid_until)),
        (_("Currency"), proposal.currency),
    ]
    for label, value in facts:
        pdf.set_font(FONT, size=8.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(pdf.get_string_width(label) + 1.5, 5, label)
        pdf.set_font(FONT, "B", 8.5)
        pdf.set_text_color(*INK)
        pdf.cell(pdf.get_string_width(value) + 9, 5, value)
    pdf.ln(9)


def _client_details(content: ProposalContent) -> str:
    account = content.proposal.account
    place = ", ".join(part for part in (account.region, account.country) if part)
    lines = [account.legal_name if account.legal_name != account.name else "", place, account.website]
    return "\n".join(line for line in lines if line)


def parties(pdf: ProposalCanvas, content: ProposalContent) -> None:
    """ "Prepared for" the client and its people, beside "prepared by" us: name, then details."""
    ours = [(member.name, " · ".join(filter(None, (member.role, member.email)))) for member in content.team]
    theirs = [
        (contact.full_name, ", ".join(filter(None, (contact.position, contact.department))))
        for contact in content.contacts
    ]
    theirs += [("", "")] * (len(ours) - len(theirs))
    ours += [("", "")] * (len(theirs) - len(ours))
    pdf.plain_style()
    with pdf.table(
        borders_layout="NONE",
        headings_style=HEADING_STYLE,
        gutter_width=8,
        padding=(1.2, 2),
        line_height=4.4,
        v_align="TOP",
        text_align="LEFT",
    ) as table:
        table.row([_("Prepared for"), _("Prepared by")])
        names = table.row()
        names.cell(content.proposal.account.name, style=NAME_STYLE, padding=(2.5, 2, 0, 2))
        names.cell(content.company, style=NAME_STYLE, padding=(2.5, 2, 0, 2))
        if details := _client_details(content):
            table.row([details, ""], style=MUTED_STYLE)
        for (their_name, their_role), (our_name, our_role) in zip(theirs, ours, strict=True):
            people = table.row(style=BOLD)
            people.cell(their_name, padding=(2.5, 2, 0, 2))
            people.cell(our_name, padding=(2.5, 2, 0, 2))
            table.row([their_role, our_role], style=MUTED_STYLE)


@dataclass(frozen=True)
class Column:
    heading: str
    width: float  # mm; the widths add up to 174, the width between the margins
    align: str
    value: Callable[[int, ProposalLine], str]
    optional: bool = False  # left out when no line fills it; the description takes its width


def _columns(currency: str) -> list[Column]:
    return [
        Column("#", 7, "RIGHT", lambda number, line: str(number)),
        Column(_("Product line"), 22, "LEFT", lambda n, line: str(line.product_line or ""), optional=True),
        Column(_("SKU"), 18, "LEFT", lambda n, line: line.sku, optional=True),
        Column(_("Description"), 40, "LEFT", lambda n, line: line.description),
        Column(_("Qty"), 15, "RIGHT", lambda n, line: plain(line.quantity)),
        Column(
            _("Unit price, %(currency)s") % {"currency": currency},
            27,
            "RIGHT",
            lambda n, line: amount(line.unit_price),
        ),
        Column(
            _("Disc. %"),
            14,
            "RIGHT",
            lambda n, line: plain(line.discount_percent) if line.discount_percent else "",
        ),
        Column(
            _("Total, %(currency)s") % {"currency": currency},
            31,
            "RIGHT",
            lambda n, line: amount(line.line_total),
        ),
    ]


def line_columns(lines: list[ProposalLine], currency: str) -> list[Column]:
    """The columns worth printing for these lines: an empty product line or SKU column is dropped."""
    kept, spare = [], 0.0
    for column in _columns(currency):
        if column.optional and not any(column.value(0, line) for line in lines):
            spare += column.width
        else:
            kept.append(column)
    return [
        replace(column, width=column.width + spare) if column.heading == _("Description") else column
        for column in kept
    ]


def lines_table(pdf: ProposalCanvas, content: ProposalContent) -> None:
    """One row a line; the heading row repeats on every page the table runs onto."""
    pdf.heading(_("What we offer"))
    columns = line_columns(content.lines, content.proposal.currency)
    pdf.plain_style(size=8)
    with pdf.table(
        col_widths=[column.width for column in columns],
        text_align=[column.align for column in columns],
        borders_layout="HORIZONTAL_LINES",
        headings_style=HEADING_STYLE,
        line_height=4,
        padding=(1.4, 1.2),
        v_align="TOP",
        repeat_headings=1,
    ) as table:
        table.row([column.heading for column in columns])
        for number, line in enumerate(content.lines, start=1):
            table.row([column.value(number, line) for column in columns])
    pdf.ln(2)


def totals(pdf: ProposalCanvas, content: ProposalContent) -> None:
    """The sums under the table, right-aligned: before discounts, the discount, the total."""
    proposal, currency = content.proposal, content.proposal.currency
    rows = [(_("Before discounts"), money(proposal.gross_amount, currency))]
    if proposal.discount_amount:
        rows += [
            (_("Discount"), "\N{MINUS SIGN} " + money(proposal.discount_amount, currency)),
            (_("Average discount"), f"{plain(proposal.average_discount)} %"),
        ]
    if pdf.will_page_break(8 * len(rows) + 10):
        pdf.add_page()
    pdf.plain_style()
    with pdf.table(
        width=92,
        col_widths=(50, 42),
        align="RIGHT",
        text_align=("LEFT", "RIGHT"),
        borders_layout="NONE",
        first_row_as_headings=False,
        line_height=5,
        padding=(0.8, 1.2),
    ) as table:
        for label, value in rows:
            table.row([label, value], style=MUTED_STYLE)
        total = table.row(style=TOTAL_STYLE)
        for text in (_("Total"), money(proposal.total_amount, currency)):
            total.cell(text, padding=(2.5, 1.2, 1.5, 1.2), border=CellBordersLayout.TOP)
