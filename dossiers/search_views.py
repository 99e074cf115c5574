"""The search page behind the navbar's search box."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from common.views import AuthenticatedHttpRequest

from .search import LIMIT, search


@login_required
def search_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Accounts, contacts, interactions and tenders matching `?q=`, grouped by kind."""
    results = search(user=request.user, query=request.GET.get("q", ""))
    return render(request, "dossiers/search.html", {"results": results, "limit": LIMIT})
