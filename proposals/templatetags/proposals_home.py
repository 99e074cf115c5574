"""The proposal cards of the home page; accounts renders the page but must not import proposals."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.models import User
from proposals import links, selectors
from proposals.links import approvals_url, expiring_url

register = template.Library()
SHOWN = 5


@register.inclusion_tag("proposals/_home_expiring.html", takes_context=True)
def proposals_expiring(context: template.Context) -> dict[str, Any]:
    """Open proposals expiring soon: a head's among those they see, anyone else's own as author.
    Three queries whatever the number: the policy in force, the first few, their count (none when
    there are no rows)."""
    user: User = context["request"].user
    proposals = selectors.expiring_proposals(user=user)
    url = expiring_url()
    if not user.is_head:
        proposals, url = proposals.filter(author=user), f"{url}&author={user.pk}"
    rows = list(proposals[:SHOWN])
    return {"rows": rows, "count": proposals.count() if rows else 0, "url": url}


@register.inclusion_tag("proposals/_home_approvals.html", takes_context=True)
def approvals_waiting(context: template.Context) -> dict[str, Any]:
    """For heads and administrators, the proposals waiting for approval, oldest first. Two queries
    whatever the number (the first few, their count); none for anyone else."""
    user: User = context["request"].user
    if not (user.is_head or user.is_admin_role):
        return {"rows": []}
    queue = selectors.approval_queue(user=user)
    rows = list(queue[:SHOWN])
    return {"rows": rows, "count": queue.count() if rows else 0, "url": approvals_url()}


@register.filter
def proposal_url(pk: int) -> str:
    return links.proposal_url(pk)
