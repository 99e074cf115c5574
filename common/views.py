"""Page helpers for everything that belongs to an account: the account or row, read or written."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.models import Account, User
from accounts.permissions import can_edit_account
from accounts.selectors import account_queryset
from accounts.tabs import account_page_context

from .forms import ServiceForm


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a `@login_required` page: its user is a signed-in `User`, never anonymous."""

    user: User


def visible_account(request: AuthenticatedHttpRequest, pk: int, *, joins: tuple[str, ...] = ()) -> Account:
    """An account the user may see, with `joins` selected (404 otherwise)."""
    queryset = account_queryset(user=request.user)
    return get_object_or_404(queryset.select_related(*joins) if joins else queryset, pk=pk)


def writable_account(request: AuthenticatedHttpRequest, pk: int, *, joins: tuple[str, ...] = ()) -> Account:
    """An account the user may see and edit (404 when invisible, then 403)."""
    account = visible_account(request, pk, joins=joins)
    if not can_edit_account(request.user, account):
        raise PermissionDenied
    return account


def writable(request: AuthenticatedHttpRequest, queryset: QuerySet[Any], pk: int) -> Any:
    """A visible row of an account-scoped queryset that the user may also edit (404, then 403)."""
    row = get_object_or_404(queryset.select_related("account"), pk=pk)
    if not can_edit_account(request.user, row.account):
        raise PermissionDenied
    return row


def form_page(
    request: AuthenticatedHttpRequest,
    form: ServiceForm,
    *,
    title: str,
    cancel: str,
    account: Account | None = None,
    tab: str = "dossier",
    **extra: Any,
) -> HttpResponse:
    """One form on its own page, under the account header when it belongs to an account."""
    context = account_page_context(user=request.user, account=account, tab=tab) if account else {}
    context.update(form=form, title=title, cancel=cancel, **extra)
    return render(request, "form_page.html", context, status=400 if form.is_bound else 200)
