"""Reads of runs and segments; only complete runs, and only what the user may see."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .models import AccountSegment, AnalysisRun


def _number(value: float | None, places: int = 6) -> str:
    return "" if value is None else f"{value:.{places}f}"


def export_rows(*, run: AnalysisRun, segments=None) -> Iterator[dict[str, Any]]:
    """The export columns of a run's segments (all of them unless `segments` narrows them)."""
    rows = (segments if segments is not None else AccountSegment.objects.filter(run=run)).select_related(
        "account"
    )
    for s in rows.order_by("rank").iterator(chunk_size=5000):
        yield {
            "account_external_id": s.account.external_id,
            "account_name": s.account.name,
            "abc_class": s.abc_class,
            "xyz_class": s.xyz_class,
            "value": f"{s.value:.2f}",
            "share": _number(s.share),
            "cum_share": _number(s.cum_share),
            "cv": _number(s.cv),
            "months": s.months,
            "orders": s.orders,
            "last_purchase": s.last_purchase.isoformat(),
            "days_since_last_purchase": s.days_since_last_purchase,
        }
