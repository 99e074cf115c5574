"""The nightly expiry: open proposals past their validity date become expired."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Proposal
from .workflow import TransitionRefused, proposal_transition

logger = logging.getLogger(__name__)


def proposals_expire_overdue(*, today: dt.date | None = None) -> int:
    """Move every open proposal valid until before `today` to "expired", each in its own transaction
    and through the workflow (its author is told, its follow-up stopped). Returns how many moved; one
    moved meanwhile by someone else is left as it is, so a second run finds nothing to do."""
    today = today or timezone.localdate()
    overdue = Proposal.objects.open().filter(valid_until__lt=today).order_by("valid_until", "pk")
    moved = 0
    for proposal in list(overdue):
        try:
            proposal_transition(
                proposal=proposal, to=Proposal.Status.EXPIRED, by=None, comment=_("Past its validity date")
            )
        except TransitionRefused as refusal:
            logger.info("Proposal %s not expired: %s", proposal.number, refusal.message)
            continue
        moved += 1
    return moved
