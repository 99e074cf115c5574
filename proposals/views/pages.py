"""The proposal pages: the list, the account's tab, creating and editing the header, the page
itself, copying it to a new draft, and its PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Contact
from accounts.tabs import account_page_context
from common.filters import refused
from common.forms import saved
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest, form_page, visible_account, writable_account

from .. import selectors, services
from ..document import proposal_pdf
from ..forms import ProposalForm
from ..models import Proposal
from ..rules import current_rules
from ._common import detail_url, is_htmx, refuse_unless_draft, user_of, writable_proposal
from .parts import render_page


@login_required
def proposal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every proposal the user sees: filters, sortable columns, pages; htmx refreshes only the rows."""
    user = user_of(request)
    proposals = selectors.proposal_list(user=user, filters=request.GET)
    status = refused(request, proposals)
    context = {
        "filter": proposals,
        "chosen": proposals.cleaned,
        "page": paginate(request, proposals.rows),
        "sort": request.GET.get("ordering", ""),
        "query_without_page": querystring_without(request, "page"),
        "query_without_sort": querystring_without(request, "page", "ordering"),
        "statuses": Proposal.Status.choices,
        "expiring_days": current_rules().expiring_soon_days,
    }
    template = "proposals/_rows.html" if is_htmx(request) else "proposals/list.html"
    return render(request, template, context, status=status)


@login_required
def account_tab(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The account page's Proposals tab: its proposals, newest first."""
    user = user_of(request)
    account = visible_account(request, pk)
    context = account_page_context(user=user, account=account, tab="proposals")
    context["proposals"] = selectors.account_proposals(user=user, account=account)
    return render(request, "proposals/account_tab.html", context)


@login_required
def proposal_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new draft for the account (pk): addressees from its buying centre, validity from the policy."""
    user = user_of(request)
    account = writable_account(request, pk)
    form = ProposalForm(request.POST or None, contacts=list(account.contacts.all()))
    created: dict[str, Proposal] = {}

    def save(data: dict[str, Any]) -> Proposal:
        created["proposal"] = services.proposal_create(account=account, by=user, **data)
        return created["proposal"]

    if saved(request, form, save, message=_("Draft proposal created: now add what you offer.")):
        return redirect(detail_url(created["proposal"], "lines"))
    cancel = reverse("proposals:account-tab", args=[account.pk])
    return form_page(request, form, title=_("New proposal"), cancel=cancel, account=account, tab="proposals")


@login_required
def proposal_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The header of a draft: addressees, team, validity, terms, the value argument and references."""
    proposal = writable_proposal(request, pk)
    if refused_edit := refuse_unless_draft(request, proposal):
        return refused_edit
    form = ProposalForm(
        request.POST or None, instance=proposal, contacts=list(proposal.account.contacts.all())
    )

    def save(data: dict[str, Any]) -> Proposal:
        version = form.cleaned_data.get("version")
        return services.proposal_update(proposal=proposal, expected_version=version, **data)

    if saved(request, form, save, message=_("Proposal saved.")):
        return redirect(detail_url(proposal))
    title = _("Edit %(number)s") % {"number": proposal.number}
    return form_page(request, form, title=title, cancel=detail_url(proposal))


@login_required
def proposal_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return render_page(request, selectors.proposal_get(user=user_of(request), pk=pk))


@login_required
@require_POST
def proposal_copy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new draft with the same content: how an expired, lost or approved proposal is offered again."""
    source = writable_proposal(request, pk)
    copy = services.proposal_copy(proposal=source, by=user_of(request))
    messages.success(
        request,
        _("%(copy)s is a new draft copied from %(source)s.") % {"copy": copy.number, "source": source.number},
    )
    return redirect(detail_url(copy))


@login_required
def proposal_document(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The printable proposal, shown inline; `?audience=<DMU role>` keeps that audience's arguments."""
    proposal = selectors.proposal_get(user=user_of(request), pk=pk)
    audience = request.GET.get("audience") or None
    if audience is not None and audience not in Contact.DmuRole.values:
        roles = ", ".join(Contact.DmuRole.values)
        return HttpResponseBadRequest(_("audience: use one of %(roles)s.") % {"roles": roles})
    response = HttpResponse(proposal_pdf(proposal, audience=audience), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{proposal.number}.pdf"'  # P-2026-0001: no quoting
    return response
