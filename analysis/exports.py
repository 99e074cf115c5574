"""XLSX sheets of the segmentation tables: the same rows the pages show, for the same user
(written by `common.exports`)."""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from common.exports import Sheet

from .models import AccountSegment, AnalysisRun


def matrix_sheet(matrix: dict[str, Any]) -> Sheet:
    rows = [
        (row["abc_class"], cell["xyz_class"], cell["count"], cell["value"], round(cell["share"], 6))
        for row in matrix["rows"]
        for cell in row["cells"]
    ]
    return "Matrix", ("abc_class", "xyz_class", "accounts", "value", "share"), rows


SEGMENT_COLUMNS = ("rank", "account.external_id", "account.name", "abc_class", "xyz_class", "value",
                   "share", "cum_share", "cv", "months", "orders", "last_purchase",
                   "days_since_last_purchase", "churn_status", "churn_score")  # fmt: skip


def segments_sheet(segments: Iterable[AccountSegment]) -> Sheet:
    header = [c.replace(".", "_") for c in SEGMENT_COLUMNS]
    row = attrgetter(*SEGMENT_COLUMNS)
    return "Segments", header, (row(s) for s in segments)


def migration_sheets(migration: dict[str, Any]) -> list[Sheet]:
    classes = migration["classes"]
    matrix = [(row["from"], *row["cells"]) for row in migration["rows"]]
    fell = [(f["account_id"], f["name"], f["from"], f["to"], f["value"]) for f in migration["fell"]]
    return [
        ("Migration", ("from \\ to", *classes), matrix),
        ("Fell a class", ("account_id", "account_name", "from", "to", "value"), fell),
    ]


def runs_sheet(runs: Iterable[AnalysisRun], visible: dict[int, int]) -> Sheet:
    header = (
        "run",
        "status",
        "as_of",
        "window_first",
        "trigger",
        "started_at",
        "finished_at",
        "duration_seconds",
        "accounts",
        "accounts_visible",
        "result_hash",
        "policy",
    )
    rows = (
        (
            r.pk,
            r.status,
            r.as_of,
            r.window_first,
            r.trigger,
            _naive(r.started_at),
            _naive(r.finished_at),
            r.duration_seconds,
            r.account_count,
            visible.get(r.pk, 0),
            r.result_hash,
            ", ".join(f"{k}={v}" for k, v in sorted(r.policy_values.items())),
        )
        for r in runs
    )
    return "Runs", header, rows


def _naive(moment):
    """Excel has no time zones: the UTC moment without its zone."""
    return moment.replace(tzinfo=None) if moment else None
