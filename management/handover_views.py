"""The handover brief of an account: for its (new) owner, printable."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from accounts.tabs import account_page_context
from common.views import AuthenticatedHttpRequest, visible_account

from .handover import handover_brief


@login_required
def handover(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What a KAM taking over the account must know; a foreign account answers 404."""
    account = visible_account(request, pk)
    context = account_page_context(user=request.user, account=account, tab="")
    context["brief"] = handover_brief(user=request.user, account=account)
    return render(request, "management/handover.html", context)
