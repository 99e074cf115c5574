"""Cross-sell white space of a group: who in the group buys which product line, and the gaps.

A group is the top account of a hierarchy and everything below it. Only the members the user may
see take part: rows, columns, totals and every opportunity's size are computed over them alone, so
no figure ever includes a company the user cannot see.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from accounts.models import Account, User
from common.calendar import add_months, last_day_of_previous_month, month_floor

from .models import MonthlySales, ProductLine

WINDOW_MONTHS = 12
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Opportunity:
    """A product line a member does not buy while sister companies do; `prize` is the median 12 months'
    revenue in that line of the sisters that buy it."""

    account: Account
    product_line: ProductLine
    prize: Decimal
    buyers: int  # the sisters the median is taken over


@dataclass
class Member:
    account: Account
    depth: int
    cells: dict[int, Decimal] = field(default_factory=dict)  # product line id -> revenue
    opportunities: dict[int, Opportunity] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum(self.cells.values(), Decimal(0))

    @property
    def buys_anything(self) -> bool:
        return any(value > 0 for value in self.cells.values())


@dataclass
class WhiteSpace:
    top: Account | None  # None when the user cannot see the group's top account
    members: list[Member]
    product_lines: list[ProductLine]
    first_month: dt.date
    last_month: dt.date  # the first day of the window's last (complete) month

    @property
    def as_of(self) -> dt.date:
        return add_months(self.last_month, 1) - dt.timedelta(days=1)

    def line_total(self, line_id: int) -> Decimal:
        return sum((m.cells.get(line_id, Decimal(0)) for m in self.members), Decimal(0))

    @property
    def line_totals(self) -> list[Decimal]:
        return [self.line_total(line.pk) for line in self.product_lines]

    @property
    def total(self) -> Decimal:
        return sum((m.total for m in self.members), Decimal(0))

    @property
    def opportunities(self) -> list[Opportunity]:
        found = [o for m in self.members for o in m.opportunities.values()]
        return sorted(found, key=lambda o: (-o.prize, o.account.name, o.product_line.code))

    def opportunity(self, account_id: int, line_id: int) -> Opportunity | None:
        member = next((m for m in self.members if m.account.pk == account_id), None)
        return member.opportunities.get(line_id) if member else None


def window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The 12 complete calendar months up to the end of last month: (first month, last month)."""
    last = month_floor(last_day_of_previous_month(today or timezone.localdate()))
    return add_months(last, 1 - WINDOW_MONTHS), last


def group_members(*, user: User, account: Account) -> list[Account]:
    """The visible members of the account's whole group (from its top), in hierarchy order."""
    top_id = account.path.strip("/").split("/")[0] if account.path else str(account.pk)
    members = Account.objects.visible_to(user).filter(path__startswith=f"/{top_id}/")
    return list(members.select_related("owner").order_by("path"))


def revenue_by_line(
    account_ids: Iterable[int], first: dt.date, last: dt.date
) -> dict[tuple[int, int], Decimal]:
    """Net revenue per (account, product line) over the months first..last; lines without a product
    line are left out (they cannot be offered to a sister)."""
    rows = (
        MonthlySales.objects.filter(
            account_id__in=list(account_ids), month__gte=first, month__lte=last, product_line__isnull=False
        )
        .values("account_id", "product_line_id")
        .annotate(revenue=Sum("revenue"))
        .order_by()
    )
    return {(r["account_id"], r["product_line_id"]): r["revenue"] for r in rows}


def _opportunities(member: Member, members: list[Member], lines: list[ProductLine]) -> None:
    """Each line the member does not buy (no positive revenue) while it buys others, sized by the median
    of the sisters that do buy it."""
    if not member.buys_anything:
        return
    for line in lines:
        if member.cells.get(line.pk, Decimal(0)) > 0:
            continue
        sisters = [
            m.cells[line.pk] for m in members if m is not member and m.cells.get(line.pk, Decimal(0)) > 0
        ]
        if sisters:
            prize = Decimal(statistics.median(sisters)).quantize(CENT)
            member.opportunities[line.pk] = Opportunity(member.account, line, prize, len(sisters))


def white_space(*, user: User, account: Account, today: dt.date | None = None) -> WhiteSpace:
    """The group's matrix of members x product lines as the user sees it, with its opportunities.

    Three queries: the members, their revenue per line, the product lines bought.
    """
    first, last = window(today)
    accounts = group_members(user=user, account=account)
    top_depth = min((a.path.count("/") for a in accounts), default=0)
    members = [Member(a, a.path.count("/") - top_depth) for a in accounts]
    revenue = revenue_by_line((a.pk for a in accounts), first, last)
    # A column per line someone in the (visible) group buys; a line only returned nets to no column.
    bought = {line_id for (_account, line_id), value in revenue.items() if value > 0}
    by_pk = {m.account.pk: m for m in members}
    for (account_id, line_id), value in revenue.items():
        if line_id in bought:
            by_pk[account_id].cells[line_id] = value
    lines = list(ProductLine.objects.filter(pk__in=bought).order_by("code")) if bought else []
    for member in members:
        _opportunities(member, members, lines)
    top = accounts[0] if accounts and accounts[0].parent_id is None else None
    return WhiteSpace(top, members, lines, first, last)


def revenue_last_12_months(*, user: User, accounts: Iterable[Account]) -> dict[int, Decimal]:
    """Each given account's own revenue over the 12 complete months (all product lines); accounts the
    user cannot see are dropped first, so no figure of theirs is read."""
    first, last = window()
    visible = Account.objects.visible_to(user).filter(pk__in=[a.pk for a in accounts]).values("pk")
    rows = (
        MonthlySales.objects.filter(account_id__in=visible, month__gte=first, month__lte=last)
        .values("account_id")
        .annotate(revenue=Sum("revenue"))
        .order_by()
    )
    return {r["account_id"]: r["revenue"] for r in rows}
