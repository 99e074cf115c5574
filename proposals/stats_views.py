"""The proposal statistics page: win rate, discount and days to decision per KAM, ABC class and
product line, over the proposals the user sees (a KAM: those of their accounts)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from common.filters import refused
from common.replica import replica_reads
from common.views import AuthenticatedHttpRequest

from .stats import proposal_stats, stats_filter

TABLES = (
    ("by_kam", _("KAM"), _("By KAM")),
    ("by_abc_class", _("ABC class"), _("By ABC class")),
    ("by_product_line", _("Product line"), _("By product line")),
)


@login_required
@replica_reads
def stats(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everyone signed in sees it; the figures cover only the proposals they may see."""
    period = stats_filter(user=request.user, filters=request.GET)
    status = refused(request, period)
    figures = proposal_stats(user=request.user, proposals=period.rows)
    tables = [(title, heading, getattr(figures, name)) for name, title, heading in TABLES]
    context = {"filter": period, "stats": figures, "tables": tables}
    return render(request, "proposals/stats.html", context, status=status)
