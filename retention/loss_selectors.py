"""The loss analysis page: lost accounts and refusals broken down by reason, direction, KAM and class.

Every breakdown is counted in the database (a handful of grouped rows), and the counts are kept in the
shared cache (`accounts.kept`) under the user's visibility, the run and a token that every saved or
deleted loss record or refusal renews (`RECORDS_KEY`, connected in retention/apps.py). The counts hold
ids, not names: the names of the product lines and owners in them are read on each view, so a renamed
one shows at once. A steady view then reads no loss, refusal or segment row, and costs the same
however many the user sees.
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

from accounts.kept import kept
from accounts.models import User, of_visible_accounts
from accounts.visibility import current_token
from analysis.models import AccountSegment, AnalysisRun
from sales.models import ProductLine

from .models import ChurnStatus, LossRecord, Refusal
from .selectors import refusal_table_of

RECORDS_KEY = "retention:records-generation"  # renewed by every saved or deleted loss or refusal
BY = ("reason", "product_line_id", "account__owner_id", "abc")
Grouped = list[dict[str, Any]]
Breakdowns = dict[str, list[dict[str, Any]]]


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


def _with_class(rows: QuerySet[Any], run: AnalysisRun | None) -> QuerySet[Any]:
    """Each row with its account's ABC class in the run ("—" when it is not in it)."""
    if run is None:
        return rows.annotate(abc=Value("—", output_field=CharField()))
    # No ORDER BY: the segments' default one would join the run table for every row.
    of_run = AccountSegment.objects.filter(run=run, account=OuterRef("account")).order_by()
    return rows.annotate(abc=Subquery(of_run.values("abc_class")[:1], output_field=CharField()))


def _grouped(rows: QuerySet[Any], run: AnalysisRun | None, *by: str) -> Grouped:
    """The rows counted per reason, product line, owner and class (and `by`): one grouped query."""
    return list(_with_class(rows, run).values(*BY, *by).annotate(n=Count("pk")).order_by())


def _counted(*, user: User, run: AnalysisRun | None) -> dict[str, Any]:
    """What the page counts, by ids: lost accounts without a recorded loss, losses and refusals."""
    visible = of_visible_accounts(user)
    lost_now = (
        AccountSegment.objects.filter(visible, run=run, churn_status=ChurnStatus.LOST)
        .annotate(recorded=Exists(LossRecord.objects.filter(account=OuterRef("account"))))
        .filter(recorded=False)
        .count()
        if run
        else 0
    )
    # The refusals' breakdowns and their table over time from one pass.
    refusals = Refusal.objects.filter(visible).annotate(quarter=TruncQuarter("on"))
    return {
        "lost_now": lost_now,
        "losses": _grouped(LossRecord.objects.filter(visible), run),
        "refusals": _grouped(refusals, run, "quarter"),
    }


class _Names:
    """The names of the product lines and owners the counts name, read in two small queries."""

    def __init__(self, *groups: Grouped) -> None:
        rows = [row for grouped in groups for row in grouped]
        lines = {row["product_line_id"] for row in rows} - {None}
        owners = {row["account__owner_id"] for row in rows} - {None}
        self.lines = dict(ProductLine.objects.filter(pk__in=lines).values_list("pk", "name")) if lines else {}
        self.owners = {u.pk: str(u) for u in User.objects.filter(pk__in=owners)} if owners else {}

    def line(self, row: dict[str, Any], missing: str) -> str:
        return self.lines.get(row["product_line_id"], missing)

    def owner(self, row: dict[str, Any]) -> str:
        return self.owners.get(row["account__owner_id"], _("(no owner)"))


def _breakdowns(grouped: Grouped, model: type[Model], names: _Names) -> tuple[int, Breakdowns]:
    """How many rows, and their breakdowns by reason, direction, KAM and class."""
    reasons = dict(getattr(model._meta.get_field("reason"), "choices", None) or ())
    none = _("(none)")
    return sum(g["n"] for g in grouped), {
        "reason": _breakdown((str(reasons.get(g["reason"], g["reason"])), g["n"]) for g in grouped),
        "direction": _breakdown((names.line(g, none), g["n"]) for g in grouped),
        "kam": _breakdown((names.owner(g), g["n"]) for g in grouped),
        "segment": _breakdown((g["abc"] or "—", g["n"]) for g in grouped),
    }


def _refusal_counts(grouped: Grouped, names: _Names) -> dict[str, Counter[str]]:
    """Refusals per direction and quarter label, from the grouped rows."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in grouped:
        quarter: dt.date = row["quarter"]
        label = f"{quarter.year} Q{(quarter.month - 1) // 3 + 1}"
        counts[names.line(row, _("(no product line)"))][label] += row["n"]
    return counts


def loss_analysis(*, user: User, run: AnalysisRun | None) -> dict[str, Any]:
    """Lost accounts by recorded reason, direction, KAM and segment; refusals the same way and over time."""
    run_key = run.cache_key if run else "none"
    counted = kept(
        "loss-analysis", user, lambda: _counted(user=user, run=run), run_key, current_token(RECORDS_KEY)
    )
    names = _Names(counted["losses"], counted["refusals"])
    losses, loss_breakdowns = _breakdowns(counted["losses"], LossRecord, names)
    refused, refusal_breakdowns = _breakdowns(counted["refusals"], Refusal, names)
    return {
        "losses": losses,
        "lost_without_reason": counted["lost_now"],
        "loss_breakdowns": loss_breakdowns,
        "refusals": refused,
        "refusal_breakdowns": refusal_breakdowns,
        "refusal_table": refusal_table_of(_refusal_counts(counted["refusals"], names)),
    }
