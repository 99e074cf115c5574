"""Win rate, average discount and days to decision of decided proposals, per KAM, ABC class and
product line, over the proposals the user sees.

Decided means won or lost: expired and withdrawn proposals are counted apart and stay out of the
rates. Every figure is computed over what the user sees ("visibility covers numbers"). Four queries
whatever the number of proposals: the counts and sums per KAM and per ABC class are aggregated by
the database (the total is their exact sum); the days to decision (a median) and the product lines
(whose value before discounts is rounded to the cent line by line, as the proposal's own totals are)
are summed here, in Decimal, from one narrow query each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from analysis.models import AccountSegment
from analysis.selectors import complete_runs

from . import rules
from .filters import ProposalStatsFilter
from .models import Proposal, ProposalLine

S = Proposal.Status
DECIDED = (S.WON, S.LOST)
NO_CLASS = "—"  # accounts outside the latest complete run, and lines without a product line
ZERO = Decimal(0)


@dataclass(frozen=True)
class StatsRow:
    key: str  # the KAM's id, the ABC class or the product line's code
    label: str
    proposals: int  # decided (won + lost)
    won: int
    lost: int
    win_rate: Decimal | None  # % of decided proposals won
    average_discount: Decimal | None  # %, weighted by value
    days_to_decision: Decimal | None  # median days from sent to decided
    expired: int = 0
    withdrawn: int = 0
    open: int = 0  # draft to negotiation
    won_value: Decimal = ZERO  # net total of the won proposals
    open_value: Decimal = ZERO  # net total of the open ones: the pipeline


@dataclass(frozen=True)
class ProposalStats:
    total: StatsRow
    by_kam: list[StatsRow]
    by_abc_class: list[StatsRow]
    by_product_line: list[StatsRow]


@dataclass
class Tally:
    """The additive figures of one group; a row is made from it."""

    won: int = 0
    lost: int = 0
    expired: int = 0
    withdrawn: int = 0
    open: int = 0
    gross: Decimal = ZERO  # decided proposals, before discounts
    net: Decimal = ZERO  # decided proposals, after discounts
    won_value: Decimal = ZERO
    open_value: Decimal = ZERO
    days: list[int] = field(default_factory=list)  # sent → decided, one per decided proposal

    def add(self, other: Tally) -> None:
        for name in FIGURES:  # every figure but the days
            setattr(self, name, getattr(self, name) + getattr(other, name))


def median(values: Iterable[int]) -> Decimal | None:
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return Decimal(ordered[middle - 1] + ordered[middle]) / 2


def make_row(key: str, label: str, tally: Tally) -> StatsRow:
    decided = tally.won + tally.lost
    return StatsRow(
        key=key,
        label=label,
        proposals=decided,
        won=tally.won,
        lost=tally.lost,
        win_rate=rules.percent(Decimal(tally.won), Decimal(decided), "0.1"),
        average_discount=rules.percent(tally.gross - tally.net, tally.gross, "0.01"),
        days_to_decision=median(tally.days),
        expired=tally.expired,
        withdrawn=tally.withdrawn,
        open=tally.open,
        won_value=tally.won_value,
        open_value=tally.open_value,
    )


def days_between(sent_at: dt.datetime, decided_at: dt.datetime) -> int:
    """Calendar days from sending to the decision, in the local time zone."""
    return (timezone.localdate(decided_at) - timezone.localdate(sent_at)).days


# --- per KAM and per ABC class: aggregated by the database ---------------------------------------

FIGURES = {
    "won": Count("pk", filter=Q(status=S.WON)),
    "lost": Count("pk", filter=Q(status=S.LOST)),
    "expired": Count("pk", filter=Q(status=S.EXPIRED)),
    "withdrawn": Count("pk", filter=Q(status=S.WITHDRAWN)),
    "open": Count("pk", filter=Q(status__in=Proposal.OPEN_STATUSES)),
    "gross": Sum("gross_amount", filter=Q(status__in=DECIDED)),
    "net": Sum("total_amount", filter=Q(status__in=DECIDED)),
    "won_value": Sum("total_amount", filter=Q(status=S.WON)),
    "open_value": Sum("total_amount", filter=Q(status__in=Proposal.OPEN_STATUSES)),
}


def tally_of(values: Mapping[str, Any]) -> Tally:
    """A group's figures; a sum over no rows is None in SQL, zero here. The sums come back to the
    cent: SQLite adds decimals as floats, whose error at these sizes is far below a cent."""
    counts = (values[name] for name in ("won", "lost", "expired", "withdrawn", "open"))
    sums = (rules.money(values[name] or ZERO) for name in ("gross", "net", "won_value", "open_value"))
    return Tally(*counts, *sums)


def with_abc_class(proposals: QuerySet[Proposal]) -> QuerySet[Any]:
    """Each proposal's account class in the latest complete analysis run (None outside it)."""
    latest = complete_runs().values("pk")[:1]
    segment = AccountSegment.objects.filter(run=Subquery(latest), account=OuterRef("account_id"))
    return proposals.annotate(abc_class=Subquery(segment.values("abc_class")[:1]))


def grouped(proposals: QuerySet[Proposal], *keys: str) -> list[dict[str, Any]]:
    return list(proposals.values(*keys).annotate(**FIGURES).order_by())


def unclassed_last(key: str) -> tuple[bool, str]:
    return key == NO_CLASS, key


def kam_label(row: Mapping[str, Any]) -> str:
    name = f"{row['author__first_name']} {row['author__last_name']}".strip()
    return name or row["author__username"]


# --- per product line: from the lines ------------------------------------------------------------


@dataclass
class LineShare:
    """What one proposal holds of one product line."""

    status: str
    days: int | None
    gross: Decimal = ZERO
    net: Decimal = ZERO


def product_line_tally(shares: Iterable[LineShare]) -> Tally:
    tally = Tally()
    for share in shares:
        if share.status in Proposal.OPEN_STATUSES:
            tally.open += 1
            tally.open_value += share.net
            continue
        setattr(tally, share.status, getattr(tally, share.status) + 1)  # won, lost, expired, withdrawn
        if share.status in DECIDED:
            tally.gross += share.gross
            tally.net += share.net
            if share.status == S.WON:
                tally.won_value += share.net
            if share.days is not None:
                tally.days.append(share.days)
    return tally


def by_product_line(proposals: QuerySet[Proposal]) -> list[StatsRow]:
    lines = ProposalLine.objects.filter(proposal__in=proposals.values("pk")).values_list(
        "product_line__code", "product_line__name", "proposal_id", "proposal__status",
        "proposal__sent_at", "proposal__decided_at", "quantity", "unit_price", "line_total",
    )  # fmt: skip
    labels: dict[str, str] = {}
    shares: dict[str, dict[int, LineShare]] = defaultdict(dict)
    for code, name, proposal, status, sent_at, decided_at, quantity, unit_price, total in lines:
        key = code or NO_CLASS
        labels[key] = name or code or NO_CLASS
        decided = status in DECIDED and sent_at is not None and decided_at is not None
        share = shares[key].setdefault(
            proposal, LineShare(status, days_between(sent_at, decided_at) if decided else None)
        )
        share.gross += rules.money(quantity * unit_price)
        share.net += total
    order = sorted(labels, key=lambda key: (key == NO_CLASS, labels[key].lower(), key))
    return [make_row(key, labels[key], product_line_tally(shares[key].values())) for key in order]


# --- the whole -------------------------------------------------------------------------------------


def stats_filter(*, user: User, filters: Any = None) -> ProposalStatsFilter:
    """The period chosen in the query string, over the proposals `user` sees."""
    return ProposalStatsFilter(filters or None, queryset=Proposal.objects.visible_to(user), user=user)


def proposal_stats(*, user: User, proposals: QuerySet[Proposal] | None = None) -> ProposalStats:
    """The figures over the proposals `user` sees; `proposals` narrows them (the rows of
    `stats_filter`), and whatever it holds, only those the user sees count."""
    scope = Proposal.objects.visible_to(user)
    if proposals is not None:
        scope = scope & proposals
    scope = scope.order_by()
    classed = with_abc_class(scope)

    kams = grouped(scope, "author", "author__first_name", "author__last_name", "author__username")
    by_kam = {row["author"]: tally_of(row) for row in kams}
    classes = {row["abc_class"] or NO_CLASS: tally_of(row) for row in grouped(classed, "abc_class")}
    decided = classed.filter(status__in=DECIDED, sent_at__isnull=False, decided_at__isnull=False)
    total = Tally()
    for author, abc_class, sent_at, decided_at in decided.values_list(
        "author", "abc_class", "sent_at", "decided_at"
    ):
        days = days_between(sent_at, decided_at)
        for tally in (by_kam[author], classes[abc_class or NO_CLASS], total):
            tally.days.append(days)
    for tally in by_kam.values():
        total.add(tally)

    labels = {row["author"]: kam_label(row) for row in kams}
    kam_order = sorted(by_kam, key=lambda pk: (labels[pk].lower(), pk))
    return ProposalStats(
        total=make_row("total", gettext("Total"), total),
        by_kam=[make_row(str(pk), labels[pk], by_kam[pk]) for pk in kam_order],
        by_abc_class=[make_row(key, key, classes[key]) for key in sorted(classes, key=unclassed_last)],
        by_product_line=by_product_line(scope),
    )
