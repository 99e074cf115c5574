"""What follows a move of the workflow: the follow-up sequence, notifications, refusals."""

from __future__ import annotations

from .models import Proposal, ProposalTransition


def after_transition(*, proposal: Proposal, transition: ProposalTransition) -> None:
    """Called inside the transition's transaction, after the move is recorded."""
