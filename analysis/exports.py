"""XLSX sheets of the segmentation tables: the same rows the pages show, for the same user
(written by `common.exports`), under headers in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from common.exports import Sheet

from .labels import band_label, policy_summary, xyz_label
from .models import AccountSegment, AnalysisRun


def matrix_sheet(matrix: dict[str, Any]) -> Sheet:
    rows = [
        (
            row["abc_class"],
            xyz_label(cell["xyz_class"]),
            cell["count"],
            cell["value"],
            round(cell["share"], 6),
        )
        for row in matrix["rows"]
        for cell in row["cells"]
    ]
    header = (_("ABC class"), _("XYZ class"), _("Accounts"), _("Value"), _("Share of value"))
    return _("ABC-XYZ matrix"), header, rows


def segments_sheet(segments: Iterable[AccountSegment]) -> Sheet:
    header = (_("Rank"), _("External id"), _("Account"), _("ABC class"), _("XYZ class"), _("Value"),
              _("Share of value"), _("Cumulative share"), _("CV of monthly value"), _("Months measured"),
              _("Orders in the window"), _("Last purchase"), _("Days since last purchase"),
              _("Buying status in the run"), _("Churn risk score"))  # fmt: skip
    return _("Segments"), header, _segment_rows(segments)


def _segment_rows(segments: Iterable[AccountSegment]) -> Iterator[tuple[Any, ...]]:
    for s in segments:
        yield (s.rank, s.account.external_id, s.account.name, s.abc_class, xyz_label(s.xyz_class), s.value,
               s.share, s.cum_share, s.cv, s.months, s.orders, s.last_purchase, s.days_since_last_purchase,
               s.get_churn_status_display(), s.churn_score)  # fmt: skip


def pareto_sheet(points: list[tuple[float, float]]) -> Sheet:
    header = (_("Share of accounts (ranked by value)"), _("Cumulative share of value"))
    return _("Pareto curve"), header, [(round(x, 6), round(y, 6)) for x, y in points]


def concentration_sheet(concentration: dict[str, Any], key_rule: str) -> Sheet:
    c = concentration
    rows = [
        (_("Key accounts' share of sales"), c["key_share"]),
        (_("Key accounts"), c["key_accounts"]),
        (_("Key accounts are"), key_rule),
        (_("Band"), band_label(c["band"])),
        (_("Largest account's share (top-1)"), c["top1_share"]),
        (_("Five largest accounts' share (top-5)"), c["top5_share"]),
        (_("HHI (0 to 10,000)"), round(c["hhi"], 2)),
        (_("Accounts"), c["accounts"]),
    ]
    return _("Concentration"), (_("Figure"), _("Value")), rows


def migration_sheets(migration: dict[str, Any]) -> list[Sheet]:
    classes = migration["classes"]
    matrix = [(row["from"], *row["cells"]) for row in migration["rows"]]
    header = (_("Account id"), _("Account"), _("Class before"), _("Class after"), _("Value now"))
    return [
        (_("Migration"), (_("Class before \\ after"), *classes), matrix),
        (_("Fell a class"), header, _moves(migration["fell"])),
        (_("Rose a class"), header, _moves(migration["rose"])),
    ]


def _moves(moves: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(m["account_id"], m["name"], m["from"], m["to"], m["value"]) for m in moves]


def no_migration_sheet() -> Sheet:
    return _("Migration"), (_("Migration"),), [(_("No earlier complete run to compare with."),)]


def runs_sheet(runs: Iterable[AnalysisRun], visible: dict[int, int]) -> Sheet:
    header = (_("Run"), _("Status"), _("As of"), _("Window from"), _("Trigger"), _("Started"), _("Finished"),
              _("Duration (seconds)"), _("Accounts"), _("Accounts you see"),
              _("Result fingerprint"), _("Policy"))  # fmt: skip
    rows = (
        (
            r.pk,
            r.get_status_display(),
            r.as_of,
            r.window_first,
            r.get_trigger_display(),
            _naive(r.started_at),
            _naive(r.finished_at),
            r.duration_seconds,
            r.account_count,
            visible.get(r.pk, 0),
            r.result_hash,
            policy_summary(r.policy_values),
        )
        for r in runs
    )
    return _("Runs"), header, rows


def _naive(moment):
    """Excel has no time zones: the UTC moment without its zone."""
    return moment.replace(tzinfo=None) if moment else None
