"""The at-risk and lost list: the latest run's accounts drifting away that the user may see.

Page (`/retention/`) and API (`retention/churn/`) read it through `churn_filter`, with the same
parameters (retention/filters.py, ChurnFilter).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import Coalesce

from accounts.kept import kept
from accounts.models import Account, User, of_visible_accounts
from analysis.models import AccountSegment, AnalysisRun

from .filters import CHURN_DEFAULT_ORDERING, CHURN_ORDERINGS, ChurnFilter, churn_owners
from .models import ChurnStatus, WinBackCampaign
from .selectors import _months_back, _revenue_between, latest_run

DORMANT_CHOICES = (30, 60, 90)

__all__ = [
    "DORMANT_CHOICES",
    "campaign_candidates",
    "churn_counts",
    "churn_filter",
    "churn_list",
    "churn_owners",
]


def churn_list(
    *,
    user: User,
    run: AnalysisRun,
    statuses: Iterable[str] = (ChurnStatus.AT_RISK, ChurnStatus.LOST),
) -> QuerySet[AccountSegment]:
    """The visible accounts whose buying status is at risk or lost, with their segment of the run and
    the last 12 months' value at stake, most value first."""
    last_month = run.as_of.replace(day=1)
    # The kept value as it is (indexed in this order), so that a page of the list reads its rows first.
    value_12m: F | Coalesce = F("revenue_last_12_months")
    if AccountSegment.objects.filter(run=run, revenue_last_12_months__isnull=True).exists():
        # A run made before the value was kept: summed from the rollups. Never in the same expression
        # as the kept value: its estimated cost alone makes PostgreSQL compile the query (JIT, seconds).
        summed = _revenue_between(_months_back(run.as_of, 11), last_month)
        value_12m = Coalesce(summed, Value(Decimal(0)))
    rows = (
        AccountSegment.objects.filter(run=run, account__status__in=list(statuses))
        .filter(of_visible_accounts(user))
        .select_related("account__owner")
        .annotate(value_12m=value_12m)
    )
    return rows.order_by(*CHURN_ORDERINGS[CHURN_DEFAULT_ORDERING])


def churn_filter(*, user: User, run: AnalysisRun | None, filters: Any = None) -> ChurnFilter:
    """The churn list narrowed by the parameters (`.rows`; no rows while one is refused). Without a
    run the parameters are still checked, over no rows."""
    rows = churn_list(user=user, run=run) if run is not None else AccountSegment.objects.none()
    return ChurnFilter(filters or None, queryset=rows, user=user)


def campaign_candidates(*, user: User, campaign: WinBackCampaign, limit: int) -> list[AccountSegment]:
    """The latest run's at-risk and lost accounts that are not targets of the campaign yet."""
    run = latest_run()
    if run is None:
        return []
    rows = churn_list(user=user, run=run).exclude(account__in=campaign.targets.values("account"))
    return list(rows[:limit])


def churn_counts(*, user: User, run: AnalysisRun) -> dict[str, int]:
    """How many of the visible accounts of the run have each buying status."""

    def work_out() -> dict[str, int]:
        rows = (
            Account.objects.visible_to(user)
            .filter(segments__run=run)
            .values_list("status")
            .annotate(n=Count("id"))
        )
        return dict(rows)

    return kept("churn-counts", user, work_out, run.cache_key)
