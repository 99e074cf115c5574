"""Win rate, average discount and days to decision of decided proposals, per KAM, ABC class and
product line, over the proposals the user sees."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from accounts.models import User


@dataclass(frozen=True)
class StatsRow:
    key: str  # the KAM's id, the ABC class or the product line's code
    label: str
    proposals: int  # decided (won + lost)
    won: int
    lost: int
    win_rate: Decimal | None  # % of decided proposals won
    average_discount: Decimal | None  # %, weighted by value
    days_to_decision: Decimal | None  # median days from sent to decided


@dataclass(frozen=True)
class ProposalStats:
    total: StatsRow
    by_kam: list[StatsRow]
    by_abc_class: list[StatsRow]
    by_product_line: list[StatsRow]


def proposal_stats(*, user: User) -> ProposalStats:
    raise NotImplementedError
