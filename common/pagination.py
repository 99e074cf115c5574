"""Paging and query-string helpers every list page shares."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from .filters import NOT_A_NUMBER, whole_number


def paginate(request: HttpRequest, rows: Any, per_page: int | None = None, count: int | None = None) -> Page:
    """The page `?page=` names (past the end: the last one); a page that is not a whole number
    shows the first page with a message saying why. `count`: the number of rows when the caller
    knows it already (no COUNT query)."""
    paginator = Paginator(rows, per_page or settings.KAM_PAGE_SIZE)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never computed
    raw = request.GET.get("page")
    number = whole_number(raw) if raw else 1
    if number is None:
        messages.error(request, f"page: {NOT_A_NUMBER} Got {raw!r}; showing the first page.")
    return paginator.get_page(number or 1)


def querystring_without(request: HttpRequest, *keys: str) -> str:
    """The current query string minus `keys`, to build sort and page links that keep filters."""
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()
