"""Paging and query-string helpers every list page shares."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .filters import NOT_A_NUMBER, whole_number

# Rows counted past the page shown: "1-25 of 1,000+" rather than an exact COUNT over every row.
COUNT_AHEAD = 1000


class KeysFirstPaginator(Paginator):
    """Reads a page's keys first, then those rows alone: the sort carries narrow rows (only the
    joins the filters and the order need), and the rows' per-row figures (counts, sums) and related
    rows are worked out for the page's rows only, not for every row sorted or skipped (OFFSET)."""

    def page(self, number: Any) -> Page:
        page = super().page(number)  # its rows: the list's slice, not read yet
        rows, source = page.object_list, self.object_list
        if not isinstance(rows, QuerySet) or not isinstance(source, QuerySet):
            return page
        if source.query.combinator or source.query.values_select:
            return page  # a union or a values() query: read as it is
        keys = list(rows.values_list("pk", flat=True))
        found = source.order_by().in_bulk(keys)
        page.object_list = [found[key] for key in keys if key in found]
        return page


class CappedPaginator(KeysFirstPaginator):
    """Counts the rows only up to `COUNT_AHEAD` past the start of the page asked for, so that the
    first page of a long list costs the same whatever its length; `more` says that rows were left
    uncounted (the page links then go on a page at a time)."""

    def __init__(self, object_list: Any, per_page: int, *, number: int) -> None:
        super().__init__(object_list, per_page)
        self.limit = max(number - 1, 0) * per_page + COUNT_AHEAD
        self.more = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows)
        # Only the keys, unordered: the row's annotations and the sort do not change how many.
        counted = rows.order_by().values("pk")[: self.limit + 1].count()
        self.more = counted > self.limit
        return min(counted, self.limit)


def paginate(
    request: HttpRequest,
    rows: Any,
    per_page: int | None = None,
    *,
    count: int | None = None,
    capped: bool = False,
) -> Page:
    """The page `?page=` names (past the end: the last one); a page that is not a whole number
    shows the first page with a message saying why. `count`: the number of rows when the caller
    knows it already (no COUNT query). `capped`: count no further than COUNT_AHEAD rows past the
    page (for lists that may hold every account)."""
    raw = request.GET.get("page")
    number = whole_number(raw) if raw else 1
    if number is None:
        message = _("page: %(rule)s Got %(raw)s; showing the first page.")
        messages.error(request, message % {"rule": NOT_A_NUMBER, "raw": repr(raw)})
    size = per_page or settings.KAM_PAGE_SIZE
    paginator = CappedPaginator(rows, size, number=number or 1) if capped else Paginator(rows, size)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    return paginator.get_page(number or 1)


def querystring_without(request: HttpRequest, *keys: str) -> str:
    """The current query string minus `keys`, to build sort and page links that keep filters."""
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()
