"""The proposal rules and their defaults: the one place they are stated (the policy model, its
form, the services and the docs take them from here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# The follow-up sequence after sending (DOMAIN.md): each step falls due the given number of working
# days after the one before it is closed (the first: after sending). "confirm_receipt" is skipped
# when the receipt was already recorded.
FOLLOW_UP_STEPS: tuple[dict[str, object], ...] = (
    {"key": "confirm_receipt", "title": "Confirm receipt of the proposal", "working_days": 1},
    {"key": "next_steps", "title": "Ask about the next steps", "working_days": 2},
    {"key": "urgency", "title": "Ask where the urgency comes from", "working_days": 2},
    {"key": "meeting", "title": "Agree a meeting date", "working_days": 3},
)


@dataclass(frozen=True)
class ProposalRules:
    validity_days: int = 30  # a new proposal is valid this many days
    line_discount_threshold: Decimal = Decimal("20.00")  # % on any line: the head approves
    average_discount_threshold: Decimal = Decimal("12.00")  # % on average (weighted by value)
    approval_total: Decimal = Decimal("250000.00")  # a net total above this: the head approves
    expiring_soon_days: int = 7  # the "expiring soon" list and home card
    follow_up_steps: tuple[dict[str, object], ...] = field(default=FOLLOW_UP_STEPS)


DEFAULTS = ProposalRules()
