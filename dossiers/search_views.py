"""The search page behind the navbar's search box."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import User

from .search import LIMIT, search


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    """Accounts, contacts, interactions and tenders matching `?q=`, grouped by kind."""
    user: User = request.user  # type: ignore[assignment]
    results = search(user=user, query=request.GET.get("q", ""))
    return render(request, "dossiers/search.html", {"results": results, "limit": LIMIT})
