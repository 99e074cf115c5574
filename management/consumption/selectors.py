"""Reads of the consumption report, always scoped to the accounts the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, User
from accounts.selectors import account_get
from sales.models import MonthlySales
from sales.periods import Period, containing, parse

from .figures import ConsumptionFigures, MonthRow, consumption_figures, report_span

UNASSIGNED = "Unassigned"
CHOICES = 8  # half-years offered in the pickers, the running one first


@dataclass(frozen=True)
class ConsumptionReport:
    """What the client reads: who it is for, by whom, and the figures."""

    account_name: str
    company: str
    currency: str
    prepared_on: dt.date
    figures: ConsumptionFigures


def last_closed_half(today: dt.date | None = None) -> Period:
    """The half-year that ended most recently: the default of every report."""
    return containing(today or timezone.localdate(), "half").shifted(-1)


def half_choices(today: dt.date | None = None) -> list[Period]:
    """The half-years a picker offers, newest first: the running one, then the closed ones."""
    running = containing(today or timezone.localdate(), "half")
    return [running.shifted(-back) for back in range(CHOICES)]


def half_of(text: str | None, today: dt.date | None = None) -> Period:
    """The half-year `text` names ("2026H1"); the last closed one when empty. ValueError with a
    message for the user otherwise (not a half-year, or one that has not begun)."""
    if not text:
        return last_closed_half(today)
    try:
        period = parse(text)
    except ValueError:
        period = None
    if period is None or period.kind != "half":
        raise ValueError(_("%(text)r is not a half-year: write it like 2026H1 or 2026H2.") % {"text": text})
    if period.start > (today or timezone.localdate()):
        raise ValueError(_("%(half)s has not begun yet.") % {"half": period})
    return period


def _rows(account: Account, half: Period) -> list[MonthRow]:
    first, last = report_span(half)
    rows = MonthlySales.objects.filter(account=account, month__range=(first, last)).values_list(
        "month", "product_line__name", "product_line__code", "revenue", "quantity"
    )
    return [
        MonthRow(month, name or code or UNASSIGNED, revenue, quantity)
        for month, name, code, revenue, quantity in rows
    ]


def report_of(account: Account, half: Period, today: dt.date | None = None) -> ConsumptionReport:
    """The report of an account already checked visible (or of every account, for the bulk runs)."""
    today = today or timezone.localdate()
    return ConsumptionReport(
        account_name=account.name,
        company=settings.KAM_COMPANY_NAME,
        currency=settings.KAM_CURRENCY,
        prepared_on=today,
        figures=consumption_figures(
            _rows(account, half), half=half, to_date=today if half.end >= today else None
        ),
    )


def report_account(*, user: User, pk: int) -> Account:
    """The account whose report is asked for, if the user may see it (404 otherwise)."""
    return account_get(user=user, pk=pk)


def accounts_with_sales(*, user: User | None, half: Period) -> QuerySet[Account]:
    """The accounts a bulk run of `half` writes reports for: every account with sales in the span the
    report covers that `user` may see (every such account for a scheduled run, `user` None)."""
    first, last = report_span(half)
    accounts = Account.objects.all() if user is None else Account.objects.visible_to(user)
    sold = MonthlySales.objects.filter(account=OuterRef("pk"), month__range=(first, last))
    return accounts.filter(Exists(sold)).order_by("name", "pk")
