"""The account at a glance: our own commercial figures on the account's Overview tab.

Each figure comes from the app that owns it (the ledger, the latest ABC-XYZ run, the health score,
tasks, proposals); the accounts app shows the panel through the `account_glance` tag only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from accounts.models import Account, User
from analysis.models import AccountSegment
from dossiers.models import Task
from proposals.models import Proposal
from proposals.selectors import account_proposals
from retention.health import Health
from retention.selectors import health_for, latest_run
from sales.selectors import account_revenue_trend, last_purchase_date


@dataclass
class AccountGlance:
    revenue_12m: Decimal
    revenue_previous_12m: Decimal
    last_order: dt.date | None
    segment: AccountSegment | None  # the account's classes in the latest complete run
    health: Health
    next_task: Task | None
    open_proposals: int
    today: dt.date  # the day `next_task` is judged overdue on (`overdue_on` in the template)

    @property
    def trend(self) -> float | None:
        """The change of the last twelve months against the twelve before (None: nothing before)."""
        if self.revenue_previous_12m <= 0:
            return None
        return float((self.revenue_12m - self.revenue_previous_12m) / self.revenue_previous_12m)

    @property
    def trend_percent(self) -> int | None:
        return None if self.trend is None else round(self.trend * 100)


def account_glance(*, user: User, account: Account, today: dt.date | None = None) -> AccountGlance:
    """The figures of an account `user` already sees, counting only the tasks and proposals they see."""
    today = today or timezone.localdate()
    last, previous = account_revenue_trend(account=account, today=today)
    run = latest_run()
    segment = AccountSegment.objects.filter(run=run, account=account).first() if run else None
    return AccountGlance(
        revenue_12m=last,
        revenue_previous_12m=previous,
        last_order=last_purchase_date(account=account),
        segment=segment,
        health=health_for(accounts=[account], run=run, segments=[segment] if segment else [])[account.pk],
        next_task=Task.objects.visible_to(user)
        .filter(account=account, done=False)
        .order_by("due_on", "pk")
        .first(),
        open_proposals=account_proposals(user=user, account=account)
        .filter(status__in=Proposal.OPEN_STATUSES)
        .count(),
        today=today,
    )
