"""The department head's weekly digest: the quarter's plan, the accounts lost or at risk, approvals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from accounts.models import User
from proposals.models import Proposal
from proposals.selectors import approval_queue
from retention.models import ChurnStatus, StatusTransition
from sales.periods import Period, containing
from sales.plan_selectors import PlanRow, plan_rows

RECENT_DAYS = 7


@dataclass
class WeeklyDigest:
    user: User
    today: dt.date
    quarter: Period
    plan: list[PlanRow] = field(default_factory=list)
    at_risk: list[StatusTransition] = field(default_factory=list)
    lost: list[StatusTransition] = field(default_factory=list)
    approvals: list[Proposal] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        # The plan alone is no news: it is there every week.
        return not any((self.at_risk, self.lost, self.approvals))


def new_churn(*, user: User, today: dt.date, status: str) -> QuerySet[StatusTransition]:
    """Visible accounts that moved into `status` in the last seven days, newest first."""
    return (
        StatusTransition.objects.visible_to(user)
        .filter(new_status=status, on__gt=today - dt.timedelta(days=RECENT_DAYS), on__lte=today)
        .select_related("account__owner")
        .order_by("-on", "account__name", "pk")
    )


def department_plan(*, user: User, today: dt.date, quarter: Period) -> list[PlanRow]:
    """Plan, actual, attainment and forecast of the head's departments for the quarter."""
    ids = list(user.departments.values_list("pk", flat=True))
    if not ids:
        return []
    return plan_rows(user=user, level="department", period=quarter, today=today, department_ids=ids)


def weekly_digest(*, user: User, today: dt.date) -> WeeklyDigest:
    """Everything the head's weekly digest says, over what the head may see."""
    quarter = containing(today, "quarter")
    return WeeklyDigest(
        user=user,
        today=today,
        quarter=quarter,
        plan=department_plan(user=user, today=today, quarter=quarter),
        at_risk=list(new_churn(user=user, today=today, status=ChurnStatus.AT_RISK)),
        lost=list(new_churn(user=user, today=today, status=ChurnStatus.LOST)),
        approvals=list(approval_queue(user=user)),
    )
