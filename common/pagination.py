"""Paging and query-string helpers every list page shares."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginate(request: HttpRequest, rows: Any, per_page: int | None = None) -> Page:
    paginator = Paginator(rows, per_page or settings.KAM_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def querystring_without(request: HttpRequest, *keys: str) -> str:
    """The current query string minus `keys`, to build sort and page links that keep filters."""
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()
