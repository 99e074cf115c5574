"""The strategic accounts page: each visible strategic account's service plan against what was
logged, with the share of strategic accounts against the policy's cap; exported as XLSX."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account
from common.exports import Sheet, workbook_response
from common.filters import refused
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest

from .strategic import privileges_of, row_lines, strategic_accounts, strategic_share, strategic_year


@login_required
def strategic_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    this_year = timezone.localdate().year
    year = strategic_year(request.GET, this_year)
    strategic = strategic_accounts(user=request.user, year=year, filters=request.GET)
    status = refused(request, strategic)
    if request.GET.get("format") == "xlsx" and status == 200:
        return workbook_response(
            f"strategic-accounts-{year}.xlsx", [_sheet(strategic.rows, strategic.elapsed)]
        )
    page = paginate(request, strategic.rows)
    context: dict[str, Any] = {
        "filter": strategic,
        "page": page,
        "rows": [(a, row_lines(a, strategic.elapsed), privileges_of(a)) for a in page.object_list],
        "share": strategic_share(user=request.user),
        "year": year,
        "years": [this_year - 1, this_year, this_year + 1],
        "elapsed_percent": round(strategic.elapsed * 100),
        "sort": request.GET.get("ordering", ""),
        "query": querystring_without(request, "page"),
        "sort_query": querystring_without(request, "page", "ordering"),
        "year_query": querystring_without(request, "page", "year"),
        "export_query": querystring_without(request, "page", "format"),
    }
    return render(request, "management/strategic.html", context, status=status)


EXPORT_HEADER = (
    gettext_lazy("Account"), gettext_lazy("External id"), gettext_lazy("Owner"), gettext_lazy("Department"),
    gettext_lazy("Privileges"), gettext_lazy("Visits planned"), gettext_lazy("Visits logged"),
    gettext_lazy("Calls planned"), gettext_lazy("Calls logged"), gettext_lazy("Reviews planned"),
    gettext_lazy("Reviews logged"), gettext_lazy("Budget"), gettext_lazy("Spent"),
)  # fmt: skip


def _sheet(rows: QuerySet[Account], elapsed: Any) -> Sheet:
    def cells(account: Account) -> list[Any]:
        lines = {line.key: line for line in row_lines(account, elapsed)}
        figures: list[Any] = []
        for key in ("visits", "calls", "reviews", "spend"):
            line = lines.get(key)
            figures += [line.planned, line.logged] if line else [None, getattr(account, f"logged_{key}")]
        return [
            account.name, account.external_id, str(account.owner or ""), str(account.department or ""),
            ", ".join(privileges_of(account)), *figures,
        ]  # fmt: skip

    return (
        _("Strategic accounts"),
        [str(h) for h in EXPORT_HEADER],
        (cells(a) for a in rows.iterator(chunk_size=500)),
    )
