"""The loss analysis page: lost accounts and refusals broken down by reason, direction, KAM and class.

Every breakdown is counted in the database (a handful of grouped rows), so the page costs the same
few queries and about the same time however many accounts, losses and refusals the user sees.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, Exists, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import TruncQuarter
from django.utils.translation import gettext as _

from accounts.models import User, of_visible_accounts
from analysis.models import AccountSegment, AnalysisRun

from .models import ChurnStatus, LossRecord, Refusal
from .selectors import refusal_table_of

BY = ("reason", "product_line__name", "account__owner_id", "account__owner__first_name",
      "account__owner__last_name", "account__owner__username", "abc")  # fmt: skip


def _breakdown(items: Iterable[tuple[str, int]]) -> list[dict[str, Any]]:
    """Counts per key, most first, with each one's share of the whole."""
    counts: Counter[str] = Counter()
    for key, n in items:
        counts[key] += n
    total = sum(counts.values()) or 1
    return [
        {"key": key, "count": n, "share": n / total, "value": Decimal(0)}
        for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _or(name: str | None, missing: str) -> str:
    """A product line's name, or what stands for no product line."""
    return missing if name is None else name


def _owner(row: dict[str, Any]) -> str:
    """The owner as `str(user)` shows them: the full name, else the username."""
    if not row["account__owner_id"]:
        return _("(no owner)")
    full = f"{row['account__owner__first_name']} {row['account__owner__last_name']}".strip()
    return full or row["account__owner__username"]


def _with_class(rows: QuerySet[Any], run: AnalysisRun | None) -> QuerySet[Any]:
    """Each row with its account's ABC class in the run ("—" when it is not in it)."""
    if run is None:
        return rows.annotate(abc=Value("—", output_field=CharField()))
    # No ORDER BY: the segments' default one would join the run table for every row.
    of_run = AccountSegment.objects.filter(run=run, account=OuterRef("account")).order_by()
    return rows.annotate(abc=Subquery(of_run.values("abc_class")[:1], output_field=CharField()))


Grouped = list[dict[str, Any]]


def _grouped(rows: QuerySet[Any], run: AnalysisRun | None, *by: str) -> Grouped:
    """The rows counted per reason, direction, owner and class (and `by`): one grouped query."""
    return list(_with_class(rows, run).values(*BY, *by).annotate(n=Count("pk")).order_by())


def _breakdowns(grouped: Grouped, model: type[Model]) -> tuple[int, dict[str, list[dict[str, Any]]]]:
    """How many rows, and their breakdowns by reason, direction, KAM and class."""
    reasons = dict(getattr(model._meta.get_field("reason"), "choices", None) or ())
    none = _("(none)")
    return sum(g["n"] for g in grouped), {
        "reason": _breakdown((str(reasons.get(g["reason"], g["reason"])), g["n"]) for g in grouped),
        "direction": _breakdown((_or(g["product_line__name"], none), g["n"]) for g in grouped),
        "kam": _breakdown((_owner(g), g["n"]) for g in grouped),
        "segment": _breakdown((g["abc"] or "—", g["n"]) for g in grouped),
    }


def _refusal_counts(grouped: Grouped) -> dict[str, Counter[str]]:
    """Refusals per direction and quarter label, from the grouped rows."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in grouped:
        quarter: dt.date = row["quarter"]
        label = f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}"
        counts[_or(row["product_line__name"], _("(no product line)"))][label] += row["n"]
    return counts


def loss_analysis(*, user: User, run: AnalysisRun | None) -> dict[str, Any]:
    """Lost accounts by recorded reason, direction, KAM and segment; refusals the same way and over time."""
    visible = of_visible_accounts(user)
    lost_now = (
        AccountSegment.objects.filter(visible, run=run, churn_status=ChurnStatus.LOST)
        .annotate(recorded=Exists(LossRecord.objects.filter(account=OuterRef("account"))))
        .filter(recorded=False)
        .count()
        if run
        else 0
    )
    losses, loss_breakdowns = _breakdowns(_grouped(LossRecord.objects.filter(visible), run), LossRecord)
    # The breakdowns and the table over time from one pass over the refusals.
    refusals = Refusal.objects.filter(visible).annotate(quarter=TruncQuarter("on"))
    by_quarter = _grouped(refusals, run, "quarter")
    refused, refusal_breakdowns = _breakdowns(by_quarter, Refusal)
    return {
        "losses": losses,
        "lost_without_reason": lost_now,
        "loss_breakdowns": loss_breakdowns,
        "refusals": refused,
        "refusal_breakdowns": refusal_breakdowns,
        "refusal_table": refusal_table_of(_refusal_counts(by_quarter)),
    }
