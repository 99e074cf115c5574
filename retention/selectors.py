"""Reads of the retention app, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db.models import Count, DecimalField, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account, User, of_visible_accounts
from analysis.models import AccountSegment, AnalysisRun
from common.calendar import month_floor, months_back
from dossiers.models import ComplaintCase, Interaction
from management.selectors import policy_current
from sales.models import DailySales, MonthlySales

from .filters import CampaignFilter, NotificationFilter
from .health import Health, HealthInputs, health_score, usual_interval_days
from .models import (
    CampaignTarget,
    LossRecord,
    Notification,
    Refusal,
    StatusTransition,
    SurveyInvitation,
    WinBackCampaign,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Recovered(TypedDict):
    recovered: Decimal


# A target with the revenue recovered since its campaign started (`with_recovered`).
RecoveredTarget: TypeAlias = "WithAnnotations[CampaignTarget, _Recovered]"

COMPLAINT_DAYS = 90  # "recent" contact, without which no open complaint is no evidence
REFUSAL_DAYS = 180
QUARTERS_SHOWN = 8

# How the churn model's features read on the page (analysis/engine/churn_ledger.py, FEATURES).
DRIVER_LABELS = {
    "recency_days": gettext_lazy("Days since the last purchase"),
    "purchase_dates": gettext_lazy("Purchase dates so far"),
    "tenure_days": gettext_lazy("Days since the first purchase"),
    "median_interval_days": gettext_lazy("Median gap between purchases in the model's look-back (days)"),
    "recency_ratio": gettext_lazy("Days since the last purchase ÷ median gap in the look-back"),
    "single_purchase": gettext_lazy("Only one purchase"),
    "value_12m": gettext_lazy("Value of the last 12 months"),
    "value_trend": gettext_lazy("Value trend (last 6 vs previous 6 months)"),
    "purchases_90d": gettext_lazy("Purchases in the last 90 days"),
    "purchases_180d": gettext_lazy("Purchases in the last 180 days"),
    "mean_interval_days": gettext_lazy("Mean interval (days)"),
    "recency_mean_ratio": gettext_lazy("Days since the last purchase ÷ mean interval"),
    "expected_purchases": gettext_lazy("Purchases expected since the last one"),
}


def latest_run() -> AnalysisRun | None:
    return (
        AnalysisRun.objects.filter(status=AnalysisRun.Status.COMPLETE)
        .order_by("-as_of", "-finished_at", "-pk")
        .first()
    )


def _months_back(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` before day's month (months=0: day's own month)."""
    return months_back(month_floor(day), months)


def _revenue_between(first: dt.date, last: dt.date) -> Subquery:
    """The account's revenue in whole months first..last, as a subquery on OuterRef('account')."""
    return Subquery(
        MonthlySales.objects.filter(account=OuterRef("account"), month__gte=first, month__lte=last)
        .values("account")
        .annotate(total=Sum("revenue"))
        .values("total"),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


# --- health -------------------------------------------------------------------------------------


def _recent_interactions(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per account, in one query: interactions recorded in the last 180 and 90 days (the contact that
    makes "no refusal" and "no complaint" evidence rather than silence) and the newest interaction."""
    now = timezone.now()
    last_180 = Q(occurred_at__gte=now - dt.timedelta(days=REFUSAL_DAYS))
    last_90 = Q(occurred_at__gte=now - dt.timedelta(days=COMPLAINT_DAYS))
    rows = (
        Interaction.objects.filter(account_id__in=ids)
        .values("account_id")
        .annotate(
            n180=Count("pk", filter=last_180),
            n90=Count("pk", filter=last_90),
            last=Max("occurred_at"),
        )
    )
    counts: dict[int, dict[str, Any]] = defaultdict(lambda: {"180": 0, "90": 0, "last": None})
    for row in rows:
        counts[row["account_id"]] = {
            "180": row["n180"],
            "90": row["n90"],
            "last": row["last"],
        }
    return counts


def _days_since(moment: dt.datetime | None, today: dt.date) -> int | None:
    return None if moment is None else max(0, (today - timezone.localtime(moment).date()).days)


def health_for(
    *,
    accounts: list[Account],
    run: AnalysisRun | None,
    today: dt.date | None = None,
    segments: list[AccountSegment] | None = None,
) -> dict[int, Health]:
    """The health score of each account (already visible to the caller), in a fixed number of queries.
    `segments`: the accounts' segments of `run` when the caller has them already."""
    today = today or timezone.localdate()
    ids = [a.pk for a in accounts]
    if segments is None:
        segments = list(AccountSegment.objects.filter(run=run, account_id__in=ids)) if run else []
    by_account = {s.account_id: s for s in segments}
    as_of = run.as_of if run else today
    last6_first, prev6_first = _months_back(as_of, 5), _months_back(as_of, 11)
    values: dict[int, dict[str, Decimal]] = defaultdict(lambda: {"last": Decimal(0), "prev": Decimal(0)})
    monthly = (
        MonthlySales.objects.filter(account_id__in=ids, month__gte=prev6_first, month__lte=as_of)
        .values_list("account_id", "month")
        .annotate(total=Sum("revenue"))
    )
    for account_id, month, total in monthly:
        values[account_id]["last" if month >= last6_first else "prev"] += Decimal(str(total))
    refusals = Counter(
        Refusal.objects.filter(
            account_id__in=ids, on__gt=today - dt.timedelta(days=REFUSAL_DAYS)
        ).values_list("account_id", flat=True)
    )
    satisfaction: dict[int, list[Decimal]] = defaultdict(list)
    for account_id, score in SurveyInvitation.objects.filter(
        account_id__in=ids,
        answered_at__gte=timezone.now() - dt.timedelta(days=365),
        average_score__isnull=False,
    ).values_list("account_id", "average_score"):
        if score is not None:
            satisfaction[account_id].append(score)
    contacts = _recent_interactions(ids)
    # Open complaint cases (open or in progress, whatever their age): the company still owes an answer.
    complaints = Counter(
        ComplaintCase.objects.filter(account_id__in=ids).unresolved().values_list("account_id", flat=True)
    )
    neglect_days = policy_current().neglect_days
    result = {}
    for account in accounts:
        segment = by_account.get(account.pk)
        scores = satisfaction.get(account.pk)
        result[account.pk] = health_score(
            HealthInputs(
                days_since_last_purchase=segment.days_since_last_purchase if segment else None,
                median_interval_days=segment.median_interval_days if segment else None,
                value_last_6=values[account.pk]["last"],
                value_previous_6=values[account.pk]["prev"],
                refusals_180=refusals.get(account.pk, 0),
                satisfaction=float(sum(scores) / len(scores)) if scores else None,
                open_complaints=complaints.get(account.pk, 0),
                interactions_180=contacts[account.pk]["180"],
                interactions_90=contacts[account.pk]["90"],
                lost=account.status == Account.Status.LOST,
                days_since_last_contact=_days_since(contacts[account.pk]["last"], today),
                neglect_days=neglect_days,
            )
        )
    return result


# --- the account's Retention tab ----------------------------------------------------------------


@dataclass
class AccountRetention:
    run: AnalysisRun | None
    segment: AccountSegment | None
    health: Health
    transitions: list[StatusTransition]
    refusals: list[Refusal]
    refusal_table: dict[str, Any]
    losses: list[LossRecord]
    targets: list[CampaignTarget]
    usual_interval: int | None = None  # days, as the health score states it
    open_loss: LossRecord | None = None  # a loss recorded by hand that keeps the account lost
    drivers: list[dict[str, Any]] = field(default_factory=list)


def account_retention(*, user: User, account: Account) -> AccountRetention:
    """What the Retention tab shows for an account the caller may already see."""
    run = latest_run()
    segment = AccountSegment.objects.filter(run=run, account=account).first() if run else None
    refusals = list(Refusal.objects.filter(account=account).select_related("product_line", "recorded_by"))
    targets = list(
        CampaignTarget.objects.filter(account=account)
        .filter(campaign__in=WinBackCampaign.objects.visible_to(user))
        .select_related("campaign")
        .prefetch_related("steps")
    )
    losses = list(LossRecord.objects.filter(account=account).select_related("product_line", "competitor"))
    return AccountRetention(
        run=run,
        segment=segment,
        health=health_for(accounts=[account], run=run, segments=[segment] if segment else [])[account.pk],
        transitions=list(StatusTransition.objects.filter(account=account)[:24]),
        refusals=refusals,
        refusal_table=refusal_table(refusals),
        losses=losses,
        open_loss=next((loss for loss in losses if loss.is_open), None),
        targets=targets,
        usual_interval=usual_interval_days(segment.median_interval_days) if segment else None,
        drivers=[
            {**d, "label": DRIVER_LABELS.get(d.get("feature", ""), d.get("feature"))}
            for d in (segment.churn_drivers or [] if segment else [])
        ],
    )


def _quarter(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def _quarters(today: dt.date, count: int) -> list[str]:
    quarters = []
    year, quarter = today.year, (today.month - 1) // 3
    for _n in range(count):
        quarters.append(f"{year} Q{quarter + 1}")
        quarter -= 1
        if quarter < 0:
            year, quarter = year - 1, 3
    return list(reversed(quarters))


def refusal_table(refusals: Iterable[Refusal], *, today: dt.date | None = None) -> dict[str, Any]:
    """Refusals per quarter (the last eight) and per direction: the rows, the totals and the trend."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for refusal in refusals:
        direction = refusal.product_line.name if refusal.product_line else _("(no product line)")
        counts[direction][_quarter(refusal.on)] += 1
    return refusal_table_of(counts, today=today)


def refusal_table_of(counts: dict[str, Counter[str]], *, today: dt.date | None = None) -> dict[str, Any]:
    """The refusal table from the number of refusals per direction and quarter label ("2026 Q3")."""
    quarters = _quarters(today or timezone.localdate(), QUARTERS_SHOWN)
    rows = [
        {
            "direction": d,
            "cells": [c.get(q, 0) for q in quarters],
            "total": sum(c.get(q, 0) for q in quarters),
        }
        for d, c in sorted(counts.items(), key=lambda item: -sum(item[1].values()))
    ]
    totals = [sum(c.get(q, 0) for c in counts.values()) for q in quarters]
    recent, earlier = sum(totals[-2:]), sum(totals[-4:-2])
    trend = "up" if recent > earlier else "down" if recent < earlier else "flat"
    return {"quarters": quarters, "rows": rows, "totals": totals, "trend": trend}


# --- campaigns ----------------------------------------------------------------------------------


def chosen_accounts(*, user: User, ids: list[int]) -> list[Account]:
    """The accounts among `ids` that the user may see, by name."""
    return list(Account.objects.visible_to(user).filter(pk__in=ids).order_by("name"))


def campaign_queryset(*, user: User) -> QuerySet[WinBackCampaign]:
    return WinBackCampaign.objects.visible_to(user).select_related("created_by", "department")


def with_recovered(targets: QuerySet[CampaignTarget]) -> list[RecoveredTarget]:
    """The targets, each with `recovered`: its account's revenue from its campaign's start on, read
    from the daily rollup (new imports count at once) in the same query."""
    revenue = Subquery(
        DailySales.objects.filter(account=OuterRef("account"), date__gte=OuterRef("campaign__starts_on"))
        .values("account")
        .annotate(total=Sum("revenue"))
        .values("total"),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    rows: list[RecoveredTarget] = list(targets.annotate(recovered=Coalesce(revenue, Value(Decimal(0)))))
    for target in rows:
        target.recovered = Decimal(str(target.recovered)).quantize(Decimal("0.01"))
    return rows


@dataclass
class CampaignResults:
    campaign: WinBackCampaign
    targets: list[RecoveredTarget]
    hidden_targets: int
    recovered: Decimal
    value_before: Decimal
    outcomes: dict[str, int]

    @property
    def return_on_budget(self) -> float | None:
        return float(self.recovered / self.campaign.budget) if self.campaign.budget else None

    @property
    def net(self) -> Decimal:
        return self.recovered - self.campaign.budget


def campaign_results(*, user: User, campaign: WinBackCampaign) -> CampaignResults:
    """Targets the user may see with their steps, outcome and revenue recovered since the start."""
    everything = CampaignTarget.objects.filter(campaign=campaign)
    targets = with_recovered(
        everything.filter(of_visible_accounts(user))
        .select_related("account__owner")
        .prefetch_related("steps__by")
        .order_by("account__name")
    )
    outcomes = Counter(t.outcome for t in targets)
    return CampaignResults(
        campaign=campaign,
        targets=targets,
        hidden_targets=everything.count() - len(targets),
        recovered=sum((t.recovered for t in targets), Decimal(0)),
        value_before=sum((t.value_before for t in targets), Decimal(0)),
        outcomes={value: outcomes.get(value, 0) for value, _label in CampaignTarget.Outcome.choices},
    )


def campaign_list(*, user: User, filters: Any = None) -> CampaignFilter:
    """The visible campaigns, filtered; `.rows`, `.form`."""
    return CampaignFilter(filters or None, queryset=campaign_queryset(user=user), user=user)


def campaign_rows(*, user: User, campaigns: Iterable[WinBackCampaign] | None = None) -> list[dict[str, Any]]:
    """The visible campaigns (all, or those given) with their counts and recovered revenue, over the
    targets the user sees: two queries however many campaigns."""
    campaigns = list(campaign_queryset(user=user) if campaigns is None else campaigns)
    targets = with_recovered(CampaignTarget.objects.filter(of_visible_accounts(user), campaign__in=campaigns))
    by_campaign: dict[int, list[RecoveredTarget]] = defaultdict(list)
    for target in targets:
        by_campaign[target.campaign_id].append(target)
    return [
        {
            "campaign": campaign,
            "targets": len(mine := by_campaign[campaign.pk]),
            "won_back": sum(t.outcome == CampaignTarget.Outcome.WON_BACK for t in mine),
            "recovered": sum((t.recovered for t in mine), Decimal(0)),
        }
        for campaign in campaigns
    ]


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("account")


def notification_list(*, user: User, filters: Any = None) -> NotificationFilter:
    """The user's own notifications, filtered; `.rows`, `.form`."""
    return NotificationFilter(filters or None, queryset=notifications(user=user), user=user)
