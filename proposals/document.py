"""The printable proposal as a PDF (fonts from pip packages, embedded)."""

from __future__ import annotations

from .models import Proposal


def proposal_pdf(proposal: Proposal, *, audience: str | None = None) -> bytes:
    """The proposal as PDF bytes; `audience` narrows the arguments to one DMU role."""
    raise NotImplementedError
