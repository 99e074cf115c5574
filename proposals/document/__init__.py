"""The printable proposal as a PDF, drawn with fpdf2 and fonts from pip packages (embedded as subsets).

The same proposal gives the same bytes: the PDF's creation date is the proposal's last change.
"""

from __future__ import annotations

from django.utils import translation

from ..models import Proposal
from . import argument, offer
from .canvas import ProposalCanvas
from .content import ProposalContent, checked_audience, proposal_content

__all__ = ["checked_audience", "proposal_pdf"]

SECTIONS = (
    offer.masthead,
    offer.title_block,
    offer.parties,
    offer.lines_table,
    offer.totals,
    argument.value_argument,
    argument.arguments,
    argument.references,
    argument.terms,
)


def _canvas(content: ProposalContent) -> ProposalCanvas:
    proposal = content.proposal
    pdf = ProposalCanvas(
        running_title=f"{proposal.number} · {proposal.title}",
        footer_note=f"{content.company} · {proposal.number}",
        stamp=content.mark,
    )
    pdf.set_title(f"{proposal.number} {proposal.title}")
    pdf.set_subject(proposal.account.name)
    pdf.set_author(content.company)
    pdf.set_creator(content.company)
    pdf.set_lang(translation.get_language() or "en")
    pdf.set_creation_date(proposal.updated_at)
    return pdf


def proposal_pdf(proposal: Proposal, *, audience: str | None = None) -> bytes:
    """The proposal as PDF bytes. `audience` (a buying-centre role) keeps only the arguments for
    that role; none or empty keeps them all, grouped by role. An unknown role is a ValueError."""
    content = proposal_content(proposal, audience)
    pdf = _canvas(content)
    pdf.add_page()
    for section in SECTIONS:
        section(pdf, content)
    return bytes(pdf.output())
