"""The cross-sell white space page of a group, and its two actions on an opportunity."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import can_edit_account
from accounts.tabs import account_page_context
from common.numbers import whole_number
from common.views import AuthenticatedHttpRequest, visible_account, writable_account
from sales.white_space import Opportunity, white_space

from .white_space import opportunity_proposal_create, opportunity_task_create


@login_required
def white_space_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The whole group's matrix (from its top) as the user sees it; any member's pk opens it."""
    account = visible_account(request, pk)
    context = account_page_context(user=request.user, account=account, tab="")
    context["space"] = white_space(user=request.user, account=account)
    context["can_act"] = can_edit_account(request.user, account)
    return render(request, "management/white_space.html", context)


def _opportunity(request: AuthenticatedHttpRequest, pk: int) -> Opportunity:
    """The posted product line's opportunity for the member (pk), worked out again on the server: 404
    when the member is invisible or the cell is no opportunity (any more)."""
    account = writable_account(request, pk)
    line_id = whole_number(request.POST.get("product_line", ""))
    opportunity = white_space(user=request.user, account=account).opportunity(account.pk, line_id or 0)
    if opportunity is None:
        raise Http404(_("This product line is no cross-sell opportunity for the account."))
    return opportunity


def _back(pk: int) -> str:
    return reverse("management:white-space", args=[pk])


@login_required
@require_POST
def opportunity_task(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk)
    task = opportunity_task_create(opportunity=opportunity, by=request.user)
    messages.success(
        request, _("Task created for %(owner)s: %(title)s") % {"owner": task.owner, "title": task.title}
    )
    return redirect(_back(pk))


@login_required
@require_POST
def opportunity_proposal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    opportunity = _opportunity(request, pk)
    proposal = opportunity_proposal_create(opportunity=opportunity, by=request.user)
    messages.success(
        request,
        _("Draft proposal %(number)s created: set the quantity and price.") % {"number": proposal.number},
    )
    return redirect(reverse("proposals:detail", args=[proposal.pk]))
