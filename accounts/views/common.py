"""Small helpers the account pages share."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest

# The tabs of the account page, in order; the later ones are filled by the other apps.
ACCOUNT_TABS = (
    ("overview", "Overview"),
    ("contacts", "Contacts"),
    ("dossier", "Dossier"),
    ("sales", "Sales"),
    ("analysis", "Analysis"),
    ("retention", "Retention"),
    ("proposals", "Proposals"),
)


def paginate(request: HttpRequest, rows: Any, per_page: int | None = None) -> Page:
    paginator = Paginator(rows, per_page or settings.KAM_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def querystring_without(request: HttpRequest, *keys: str) -> str:
    """The current query string minus `keys`, to build sort and page links that keep filters."""
    params = request.GET.copy()
    for key in keys:
        params.pop(key, None)
    return params.urlencode()
