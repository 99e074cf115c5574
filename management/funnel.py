"""The prospect funnel: prospect → need → solvency → authority confirmed (3P) → first order.

Each account the user sees (created in the period, of the source and owner asked for) stands at one
stage: a converted account (a first purchase in the ledger, or a buying status other than prospect)
at "first order" whatever its qualification, a prospect at the last of the 3P criteria confirmed in
order (need, then solvency, then authority). An account has *reached* its stage and every one
before it: the conversion of a stage is its reached count over the previous stage's. The days of a
stage run from entering the previous stage (the account's creation for the first) to entering it:
the confirmation time (never before the previous stage's), and the first purchase date for the
first order.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, LeadSource, User
from common.filters import FilterSet, IdChoiceFilter
from sales.filters import PeriodFilter
from sales.models import SalesLine
from sales.periods import Period

STAGES = (
    ("prospect", _("Prospect")),
    ("need", _("Need confirmed")),
    ("solvency", _("Solvency confirmed")),
    ("authority", _("Authority confirmed (3P)")),
    ("first_order", _("First order")),
)
CONVERTED = len(STAGES) - 1


class FunnelFilter(FilterSet):
    """The funnel's filters, for the page and `GET /api/v1/prospect-funnel/` alike."""

    source = IdChoiceFilter(
        queryset=LeadSource.objects.all(),
        field_name="lead_source",
        label=_("Lead source"),
        empty_label=_("Any source"),
    )
    owner = IdChoiceFilter(
        queryset=User.objects.filter(role__in=[User.Role.KAM, User.Role.HEAD]),
        label=_("KAM"),
        empty_label=_("Any KAM"),
    )
    period = PeriodFilter(label=_("Created in"), method="created_in", help_text=_("2026, 2026Q3 or 2026-07"))

    class Meta:
        model = Account
        fields = ["source", "owner", "period"]

    def created_in(self, queryset: QuerySet[Any], name: str, value: Period) -> QuerySet[Any]:
        return queryset.filter(created_at__date__gte=value.start, created_at__date__lte=value.end)


@dataclass(frozen=True)
class FunnelStage:
    key: str
    label: str
    at_stage: int  # accounts standing at this stage now
    reached: int  # at this stage or past it
    conversion_percent: Decimal | None  # reached over the previous stage's reached
    median_days: float | None  # from entering the previous stage to entering this one


@dataclass(frozen=True)
class Funnel:
    filter: FunnelFilter
    stages: list[FunnelStage]

    @property
    def total(self) -> int:
        return self.stages[0].reached if self.stages else 0


def _date(value: dt.datetime | dt.date | None) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value)
    return value


def entry_dates(
    created: Any, need: Any, solvency: Any, authority: Any, first_order: Any
) -> list[dt.date | None]:
    """When the account entered each stage (None: not entered, or not known)."""
    entries: list[dt.date | None] = [_date(created)]
    for confirmed in (need, solvency, authority):
        previous, day = entries[-1], _date(confirmed)
        # Confirmed out of order: the stage is entered once the one before it is.
        entries.append(max(day, previous) if day and previous and len(entries) > 1 else day)
    entries.append(_date(first_order))
    return entries


def position(entries: Sequence[dt.date | None], status: str) -> int:
    """The stage an account stands at: first order once it bought (or once it is no prospect, its
    ledger older than the records), else the 3P criteria in order."""
    if entries[CONVERTED] is not None or status != Account.Status.PROSPECT:
        return CONVERTED
    stage = 0
    while stage < CONVERTED - 1 and entries[stage + 1] is not None:
        stage += 1
    return stage


def funnel_stages(rows: Sequence[Sequence[Any]]) -> list[FunnelStage]:
    """The stages from rows of (created, need, solvency, authority, first order, buying status)."""
    entries = [entry_dates(*row[:5]) for row in rows]
    positions = [position(e, row[5]) for e, row in zip(entries, rows, strict=True)]
    stages: list[FunnelStage] = []
    for index, (key, label) in enumerate(STAGES):
        reached = sum(1 for p in positions if p >= index)
        before = stages[-1].reached if stages else None
        conversion = None
        if before:
            conversion = (Decimal(100 * reached) / before).quantize(Decimal("0.1"))
        stages.append(
            FunnelStage(
                key=key,
                label=str(label),
                at_stage=sum(1 for p in positions if p == index),
                reached=reached,
                conversion_percent=conversion,
                median_days=_median_days(entries, positions, index) if index else None,
            )
        )
    return stages


def _median_days(entries: list[list[dt.date | None]], positions: list[int], index: int) -> float | None:
    """Median days from the previous stage to `index`, over the accounts that reached it with both
    dates known; an interval that runs backwards (history older than the account's record) is left out."""
    days = []
    for entry, reached in zip(entries, positions, strict=True):
        start, end = entry[index - 1], entry[index]
        if reached >= index and start is not None and end is not None and end >= start:
            days.append((end - start).days)
    return float(statistics.median(days)) if days else None


def first_order_date() -> Subquery:
    """The account's first purchase date in the ledger (a line that is not a return)."""
    lines = SalesLine.objects.filter(account=OuterRef("pk"), amount__gte=0).order_by("date")
    return Subquery(lines.values("date")[:1])


def prospect_funnel(*, user: User, filters: Mapping[str, Any] | None = None) -> Funnel:
    """The funnel over the accounts the user sees (one query once the filters are parsed)."""
    accounts = Account.objects.visible_to(user).order_by()
    funnel_filter = FunnelFilter(filters or None, queryset=accounts, user=user)
    rows = funnel_filter.rows.annotate(first_order=first_order_date()).values_list(
        "created_at",
        "qualification__need_confirmed_at",
        "qualification__solvency_confirmed_at",
        "qualification__authority_confirmed_at",
        "first_order",
        "status",
    )
    return Funnel(filter=funnel_filter, stages=funnel_stages(list(rows)))
