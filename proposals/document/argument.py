"""The second half of the printed proposal: why the client gains, for each of its people, who
vouches for us, and on what terms. A part left empty in the proposal is left out of the page."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Proposal, SuccessStory
from .canvas import ACCENT, FONT, HEADING_STYLE, MUTED, TINT, ProposalCanvas
from .content import ProposalContent
from .formats import money, plain

FIGURE_HEIGHT = 17


def _figures(proposal: Proposal) -> list[tuple[str, str]]:
    figures = []
    if proposal.annual_savings is not None:
        figures.append((_("Your savings per year"), money(proposal.annual_savings, proposal.currency)))
    if proposal.annual_extra_margin is not None:
        figures.append(
            (_("Your extra margin per year"), money(proposal.annual_extra_margin, proposal.currency))
        )
    if proposal.payback_months is not None:
        months = ngettext("%(months)s month", "%(months)s months", 1 if proposal.payback_months == 1 else 2)
        figures.append((_("Pays back in"), months % {"months": plain(proposal.payback_months)}))
    return figures


def _figure_boxes(pdf: ProposalCanvas, figures: list[tuple[str, str]]) -> None:
    """The numbers side by side in tinted boxes, the way a finance reader looks for them."""
    if pdf.will_page_break(FIGURE_HEIGHT + 4):
        pdf.add_page()
    gap, top = 4, pdf.y + 1
    width = (pdf.epw - gap * (len(figures) - 1)) / len(figures)
    for index, (label, value) in enumerate(figures):
        x = pdf.l_margin + index * (width + gap)
        pdf.set_fill_color(*TINT)
        pdf.rect(x, top, width, FIGURE_HEIGHT, style="F")
        pdf.set_fill_color(*ACCENT)
        pdf.rect(x, top, 1.2, FIGURE_HEIGHT, style="F")
        pdf.set_xy(x + 4, top + 2.5)
        pdf.set_font(FONT, "B", 7)
        pdf.set_text_color(*MUTED)
        pdf.cell(width - 6, 4, pdf.fit(label.upper(), width - 6))
        pdf.set_xy(x + 4, top + 7.5)
        pdf.set_font(FONT, "B", 13)
        pdf.set_text_color(*ACCENT)
        pdf.cell(width - 6, 7, pdf.fit(value, width - 6))
    pdf.set_y(top + FIGURE_HEIGHT + 2)
    pdf.plain_style()


def value_argument(pdf: ProposalCanvas, content: ProposalContent) -> None:
    """The client's gain in numbers (savings or extra margin a year, payback), then in words."""
    proposal = content.proposal
    words = [
        (_("Benefits"), proposal.benefits),
        (_("What is unique"), proposal.uniqueness),
        (_("Exclusivity"), proposal.exclusivity),
    ]
    words = [(label, text) for label, text in words if text.strip()]
    figures = _figures(proposal)
    if not words and not figures:
        return
    pdf.heading(_("The value for %(client)s") % {"client": proposal.account.name})
    if figures:
        _figure_boxes(pdf, figures)
    for label, text in words:
        pdf.labelled(label, text)


def arguments(pdf: ProposalCanvas, content: ProposalContent) -> None:
    """The arguments under the buying-centre role they speak to, each with the people it is for."""
    if not content.argument_groups:
        return
    pdf.heading(_("What it means for you"))
    for group in content.argument_groups:
        pdf.subheading(group.audience)
        for argument in group.arguments:
            pdf.bullet(argument.text)
            names = ", ".join(contact.full_name for contact in argument.contacts.all())
            if names:
                pdf.paragraph(_("For %(names)s") % {"names": names}, muted=True, size=8, indent=5)
            pdf.ln(1)


REFERENCE_COLUMNS = (34, 56, 48, 36)


def _reference_cells(story: SuccessStory) -> list[str]:
    project = f"{story.title} ({story.year})" if story.year else story.title
    if story.project:
        project += "\n" + story.project
    client = "\n".join(filter(None, (story.client_name, story.industry)))
    recommends = "\n".join(
        filter(None, (story.recommender_name, story.recommender_position, story.recommender_phone))
    )
    return [client, project, story.result, recommends]


def references(pdf: ProposalCanvas, content: ProposalContent) -> None:
    """Similar projects at named clients, their result, and who will recommend us."""
    if not content.references:
        return
    pdf.heading(_("References"), keep=50)
    pdf.plain_style(size=8)
    with pdf.table(
        col_widths=REFERENCE_COLUMNS,
        text_align="LEFT",
        borders_layout="HORIZONTAL_LINES",
        headings_style=HEADING_STYLE,
        line_height=4,
        padding=(1.6, 1.2),
        v_align="TOP",
    ) as table:
        table.row([_("Client"), _("Project"), _("Result"), _("Recommends us")])
        for story in content.references:
            table.row(_reference_cells(story))


def terms(pdf: ProposalCanvas, content: ProposalContent) -> None:
    proposal = content.proposal
    pdf.heading(_("Terms"))
    if proposal.payment_terms.strip():
        pdf.labelled(_("Payment"), proposal.payment_terms)
    if proposal.delivery_terms.strip():
        pdf.labelled(_("Delivery"), proposal.delivery_terms)
    validity = _("This proposal is valid until %(date)s.") % {"date": date_format(proposal.valid_until)}
    pdf.labelled(_("Validity"), validity)
