"""A key-client type suggested from the data (DOMAIN.md, "Key clients"), with its reason.

Only two of the four types can be read from the data: a *revenue contributor* holds more than 10 %
of the company's profit (its margin when the ledger carries margins, else its revenue) over the latest
complete analysis run's window; a *prospect* is young (no sale before the last 12 months) with signs
of large potential (a big headcount or annual revenue, or part of a group). Image-makers and experts
are a person's judgement. The share is computed here over the whole company, but only the label and
the reason (never the share or a total) leave this module: a KAM learns no hidden total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account
from analysis.models import AnalysisRun
from analysis.selectors import complete_runs
from common.calendar import add_months, month_floor
from sales.models import MonthlySales

CONTRIBUTOR_SHARE = Decimal("0.10")
PROSPECT_HEADCOUNT = 1000
PROSPECT_ANNUAL_REVENUE = Decimal("50000000")
YOUNG_MONTHS = 12
TOTALS_SECONDS = 24 * 3600  # a run's figures never change; a new run has a new key

Type = Account.KeyClientType


@dataclass(frozen=True)
class Suggestion:
    key_client_type: str
    reason: str

    @property
    def label(self) -> str:
        return str(Type(self.key_client_type).label)


def _company_totals(run: AnalysisRun, first: dt.date) -> dict[str, Any]:
    """The company's margin and revenue over the run's window: the same for every reader and every
    account, so worked out once per run and kept in the cache (an aggregate over the whole ledger)."""

    def work_out() -> dict[str, Any]:
        return MonthlySales.objects.filter(month__gte=first, month__lte=run.as_of).aggregate(
            all_margin=Sum("margin"), all_margin_lines=Sum("margin_lines"), all_revenue=Sum("revenue")
        )

    key = f"management:company-totals:{run.cache_key}"
    totals: dict[str, Any] = cache.get_or_set(key, work_out, TOTALS_SECONDS) or work_out()
    return totals


def _profit_share(account: Account, run: AnalysisRun) -> tuple[Decimal | None, str]:
    """The account's share of the company's margin (revenue when no line carries a margin) over the
    run's window, and which basis that was; None when the company sold nothing."""
    first = month_floor(run.window_first or add_months(run.as_of, -11))
    sums = {
        **_company_totals(run, first),
        **MonthlySales.objects.filter(
            account_id=account.pk, month__gte=first, month__lte=run.as_of
        ).aggregate(own_margin=Sum("margin"), own_revenue=Sum("revenue")),
    }
    if sums["all_margin_lines"] and sums["all_margin"] and sums["all_margin"] > 0:
        return (sums["own_margin"] or Decimal(0)) / sums["all_margin"], "margin"
    if sums["all_revenue"] and sums["all_revenue"] > 0:
        return (sums["own_revenue"] or Decimal(0)) / sums["all_revenue"], "revenue"
    return None, "revenue"


def _contributor(account: Account) -> Suggestion | None:
    run = complete_runs().first()
    if run is None:
        return None
    share, basis = _profit_share(account, run)
    if share is None or share <= CONTRIBUTOR_SHARE:
        return None
    what = _("margin") if basis == "margin" else _("revenue (the ledger carries no margins)")
    reason = _("Holds more than 10 %% of the company's %(what)s in the latest analysis (to %(as_of)s).") % {
        "what": what,
        "as_of": run.as_of.isoformat(),
    }
    return Suggestion(Type.REVENUE_CONTRIBUTOR, reason)


def _prospect(account: Account, today: dt.date) -> Suggestion | None:
    first_sale = MonthlySales.objects.filter(account_id=account.pk).aggregate(first=Min("month"))["first"]
    if first_sale is not None and first_sale < add_months(month_floor(today), -YOUNG_MONTHS):
        return None
    signals = []
    if (account.headcount or 0) >= PROSPECT_HEADCOUNT:
        signals.append(_("a headcount of %(n)s") % {"n": f"{account.headcount:,}"})
    if (account.annual_revenue or 0) >= PROSPECT_ANNUAL_REVENUE:
        signals.append(
            _("an annual revenue of %(n)s %(currency)s")
            % {"n": f"{account.annual_revenue:,.0f}", "currency": settings.KAM_CURRENCY}
        )
    if account.parent_id is not None or Account.objects.filter(parent_id=account.pk).exists():
        signals.append(_("being part of a group"))
    if not signals:
        return None
    young = _("first sale less than a year ago") if first_sale else _("no sale yet")
    return Suggestion(
        Type.PROSPECT,
        _("Young account (%(young)s) with %(signals)s.") % {"young": young, "signals": ", ".join(signals)},
    )


def key_client_suggestion(*, account: Account, today: dt.date | None = None) -> Suggestion | None:
    """The type the data suggest for a visible account, or None; a revenue contributor comes first."""
    return _contributor(account) or _prospect(account, today or timezone.localdate())
