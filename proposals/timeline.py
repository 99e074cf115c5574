"""Proposals on the account timeline: each one created, and each move of its workflow."""

from __future__ import annotations

from collections.abc import Collection

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account
from dossiers.timeline import Entry, register

from .links import proposal_url
from .models import Proposal, ProposalTransition

LABEL = gettext_lazy("Proposal")


def _label(status: str) -> str:
    return str(Proposal.Status(status).label)


def moves(account: Account, limit: int) -> list[Entry]:
    """One query: the newest moves of the account's proposals, with the proposal and who moved it."""
    transitions = (
        ProposalTransition.objects.filter(proposal__account=account)
        .select_related("proposal", "by")
        .order_by("-at", "-pk")[:limit]
    )
    return [
        Entry(
            at=t.at,
            type="proposal",
            label=str(LABEL),
            title=_("%(number)s %(title)s: %(old)s → %(new)s")
            % {
                "number": t.proposal.number,
                "title": t.proposal.title,
                "old": _label(t.from_status),
                "new": _label(t.to_status),
            },
            detail=t.comment,
            by=str(t.by or ""),  # none: the nightly expiry
            url=proposal_url(t.proposal_id),
        )
        for t in transitions
    ]


def creations(account: Account, limit: int) -> list[Entry]:
    """One query: the account's newest proposals, with their author and the one copied, if any."""
    proposals = (
        Proposal.objects.filter(account=account)
        .select_related("author", "copied_from")
        .order_by("-created_at", "-pk")[:limit]
    )
    return [
        Entry(
            at=p.created_at,
            type="proposal",
            label=str(LABEL),
            title=_("%(number)s %(title)s: drafted") % {"number": p.number, "title": p.title},
            detail=_("A copy of %(number)s") % {"number": p.copied_from.number} if p.copied_from else "",
            by=str(p.author),
            url=proposal_url(p.pk),
        )
        for p in proposals
    ]


def proposals(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    """Two queries whatever the number of proposals: the moves and the creations, merged."""
    entries = moves(account, limit) + creations(account, limit)
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]


def register_sources() -> None:
    register([("proposal", gettext_lazy("Proposals"))], proposals)
