"""Commercial proposals: the proposal and its lines, arguments, references, workflow and follow-up."""

from .policy import ProposalPolicy
from .proposal import (
    FollowUpStep,
    Proposal,
    ProposalArgument,
    ProposalLine,
    ProposalSequence,
    ProposalTransition,
)
from .references import SuccessStory

__all__ = [
    "FollowUpStep",
    "Proposal",
    "ProposalArgument",
    "ProposalLine",
    "ProposalPolicy",
    "ProposalSequence",
    "ProposalTransition",
    "SuccessStory",
]
