"""Where a proposal's page is, for links stored away from a request (notifications, timeline entries)."""

from __future__ import annotations

PROPOSALS_PATH = "/proposals/"


def proposal_url(pk: int) -> str:
    """The proposal's page (the URL named "proposals:detail"). Built from the pk rather than reversed
    so that services and tasks need no URL configuration loaded; a test keeps the two the same."""
    return f"{PROPOSALS_PATH}{pk}/"


def expiring_url() -> str:
    """The list of open proposals expiring soon."""
    return f"{PROPOSALS_PATH}?expiring=true"


def approvals_url() -> str:
    """The queue of proposals waiting for a department head's approval."""
    return f"{PROPOSALS_PATH}approvals/"
