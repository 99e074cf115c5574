"""API tokens: issue (the secret is shown once), list and revoke one's own tokens."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from knox.models import AuthToken

from common.numbers import whole_number
from common.views import AuthenticatedHttpRequest

from ..services import MAX_TOKEN_EXPIRY_DAYS as MAX_EXPIRY_DAYS
from ..services import api_token_issue


@login_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        raw = request.POST.get("expiry_days") or ""
        days = whole_number(raw, minimum=1, maximum=MAX_EXPIRY_DAYS)
        if raw and days is None:
            messages.error(
                request,
                _("Expiry must be a whole number from 1 to %(max)s days; got %(raw)s.")
                % {"max": MAX_EXPIRY_DAYS, "raw": raw},
            )
        else:
            expiry = timedelta(days=days) if days else None
            read_only = request.POST.get("read_only") == "on"
            new_token = api_token_issue(user=request.user, expiry=expiry, read_only=read_only)
    tokens = AuthToken.objects.filter(user=request.user).select_related("profile").order_by("-created")
    return render(request, "accounts/tokens.html", {"tokens": tokens, "new_token": new_token})


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, digest: str) -> HttpResponse:
    token = get_object_or_404(AuthToken, digest=digest, user=request.user)
    token.delete()
    messages.success(request, _("Token revoked."))
    return redirect("tokens")
