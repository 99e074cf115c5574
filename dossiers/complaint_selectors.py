"""Reads of the complaint cases, always scoped to the accounts the user may see."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from accounts.models import Account, User

from .complaint_filters import ComplaintFilter
from .models import ComplaintCase

Severity = ComplaintCase.Severity
# Worst first when sorted by severity.
SEVERITY_RANK = Case(
    When(severity=Severity.CRITICAL, then=Value(0)),
    When(severity=Severity.HIGH, then=Value(1)),
    When(severity=Severity.MEDIUM, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def complaint_queryset(*, user: User) -> QuerySet[ComplaintCase]:
    """The cases on the accounts the user sees, with what a list shows of them."""
    return (
        ComplaintCase.objects.visible_to(user)
        .select_related("account", "contact", "product_line", "owner", "import_batch")
        .annotate(severity_rank=SEVERITY_RANK)
    )


def complaint_get(*, user: User, pk: int) -> ComplaintCase:
    """One case of a visible account; any other is a 404."""
    return get_object_or_404(complaint_queryset(user=user).prefetch_related("sales_lines"), pk=pk)


def complaint_filter(*, user: User, filters: Mapping[str, Any] | None) -> ComplaintFilter:
    """The list's FilterSet over the visible cases; unresolved ones due first unless sorted otherwise."""
    rows = complaint_queryset(user=user).order_by("-opened_at", "-pk")
    return ComplaintFilter(filters or None, queryset=rows, user=user)


def account_complaints(*, user: User, account: Account) -> QuerySet[ComplaintCase]:
    """The cases of one account (already visible to the user), newest first."""
    return complaint_queryset(user=user).filter(account=account).order_by("-opened_at", "-pk")


@dataclass(frozen=True)
class ResolutionTime:
    name: str
    cases: int
    median_days: float


def _medians(rows: dict[str, list[float]]) -> list[ResolutionTime]:
    result = [
        ResolutionTime(name, len(days), round(statistics.median(days), 1)) for name, days in rows.items()
    ]
    return sorted(result, key=lambda r: (-r.median_days, r.name))


def resolution_times(*, user: User) -> dict[str, list[ResolutionTime]]:
    """Median days from opening to resolution of the resolved (or confirmed) cases the user sees, per
    owner and per product line: one query, the medians worked out here."""
    by_owner: dict[str, list[float]] = defaultdict(list)
    by_line: dict[str, list[float]] = defaultdict(list)
    resolved = ComplaintCase.objects.visible_to(user).filter(resolved_at__isnull=False)
    for case in resolved.select_related("owner", "product_line").order_by():
        if case.resolved_at is None:  # excluded by the query
            continue
        days = (case.resolved_at - case.opened_at).total_seconds() / 86400
        by_owner[str(case.owner)].append(days)
        by_line[str(case.product_line) if case.product_line else "—"].append(days)
    return {"owners": _medians(by_owner), "product_lines": _medians(by_line)}
