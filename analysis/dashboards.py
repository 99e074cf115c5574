"""Reads the segmentation pages need beyond analysis/selectors.py; scoped to the user like those."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.formats import date_format

from accounts.models import Account, User, of_visible_accounts
from common.calendar import month_starts
from sales.models import MonthlySales

from .engine.xyz import NEW
from .filters import RunFilter, SegmentFilter
from .models import AccountSegment, AnalysisPolicy, AnalysisRun
from .selectors import run_queryset, segment_queryset

# ABC-XYZ cells by how plannable and valuable they are: the usual traffic-light reading.
TONES = {"AX": "core", "AY": "core", "BX": "core", "AZ": "watch", "BY": "watch", "CX": "watch"}


def tone(abc_class: str, xyz_class: str) -> str:
    """core (green), watch (amber), low (red), or new (blue: too little history to judge)."""
    return "new" if xyz_class == NEW else TONES.get(abc_class + xyz_class, "low")


def segment_list(*, user: User, run: AnalysisRun, filters: Any = None) -> SegmentFilter:
    """The visible segments of a run in rank order, narrowed (`.rows`) to a cell, row or column of
    the matrix by the same parameters as the API's."""
    segments = segment_queryset(user=user, run=run).order_by("rank")
    return SegmentFilter(filters or None, queryset=segments, user=user)


def run_history(*, user: User, filters: Any = None) -> RunFilter:
    """Every run, newest first (all statuses: the history is also where failures show), filtered."""
    return RunFilter(filters or None, queryset=run_queryset().order_by("-created_at", "-pk"), user=user)


def visible_counts(*, user: User, runs: list[AnalysisRun]) -> dict[int, int]:
    """How many of each run's accounts the user sees: one grouped query for a page of runs."""
    return dict(
        AccountSegment.objects.filter(of_visible_accounts(user), run__in=[r.pk for r in runs])
        .values("run")
        .annotate(n=Count("pk"))
        .values_list("run", "n")
    )


def policy_history() -> QuerySet[AnalysisPolicy]:
    return AnalysisPolicy.objects.select_related("created_by").order_by("-created_at", "-pk")


def account_monthly_series(*, account: Account, run: AnalysisRun) -> dict[str, Any]:
    """The account's monthly value (the run's basis) over the run's window, zero-filled."""
    first = run.window_first or run.as_of.replace(day=1)
    field = "margin" if run.policy_values.get("basis") == "margin" else "revenue"
    totals = dict(
        MonthlySales.objects.filter(account=account, month__gte=first.replace(day=1), month__lte=run.as_of)
        .values("month")
        .annotate(total=Sum(field))
        .values_list("month", "total")
    )
    months = month_starts(first, run.as_of)
    return {
        "labels": [m.strftime("%Y-%m") for m in months],
        "display": [date_format(m, "YEAR_MONTH_FORMAT") for m in months],  # what the chart shows
        "values": [float(totals.get(m) or Decimal(0)) for m in months],
        "basis": field,
    }
