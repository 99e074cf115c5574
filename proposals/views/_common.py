"""What the proposal pages share: reading a proposal as the user may, and where to go back."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import User
from accounts.permissions import can_edit_account
from common.numbers import whole_number
from common.views import AuthenticatedHttpRequest

from .. import selectors
from ..models import Proposal
from ..services._common import check_editable


def user_of(request: AuthenticatedHttpRequest) -> User:
    return request.user


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def refuse_analysts(request: AuthenticatedHttpRequest) -> None:
    """Analysts read proposals; every write answers 403 (after the 404 of what they cannot see)."""
    if request.user.is_analyst:
        raise PermissionDenied


def writable_row(request: AuthenticatedHttpRequest, queryset: QuerySet[Any], pk: int) -> Any:
    """A row of a proposal the user sees (404 otherwise) and may change (403 otherwise)."""
    row = get_object_or_404(queryset.select_related("proposal__account"), pk=pk)
    if not can_edit_account(request.user, row.proposal.account):
        raise PermissionDenied
    return row


def writable_proposal(request: AuthenticatedHttpRequest, pk: int) -> Proposal:
    """A proposal the user sees (404 otherwise) and may change (403 otherwise), without the page's reads."""
    proposal = get_object_or_404(selectors.proposal_queryset(user=request.user), pk=pk)
    if not can_edit_account(request.user, proposal.account):
        raise PermissionDenied
    return proposal


def refuse_unless_draft(request: AuthenticatedHttpRequest, proposal: Proposal) -> HttpResponse | None:
    """Back to the proposal with the reason when it is no longer a draft (its content is frozen)."""
    try:
        check_editable(proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(detail_url(proposal))
    return None


def posted_version(request: HttpRequest) -> int | None:
    """The `version` a form was loaded with (the optimistic lock); None when absent."""
    return whole_number(request.POST.get("version", ""))


def detail_url(proposal: Proposal | int, anchor: str = "") -> str:
    pk = proposal if isinstance(proposal, int) else proposal.pk
    return reverse("proposals:detail", args=[pk]) + (f"#{anchor}" if anchor else "")


def back_to(request: HttpRequest, default: str) -> str:
    """The page a form came from (`next`, on this site only), else `default`."""
    back = request.POST.get("next", "") or request.GET.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return default
