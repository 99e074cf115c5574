"""History pages: one object's audit entries for whoever may see the object (foreign → 404), and
every entry, filtered, for the administrators."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions as account_permissions
from accounts import selectors as account_selectors
from accounts.models import Account, AccountTeamMember, Contact, PersonalDataAccess
from accounts.services import personal_data_access_log
from accounts.tabs import account_page_context
from common.filters import refused
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest
from dossiers import selectors as dossier_selectors
from dossiers.models import PlanAction
from proposals.models import ProposalLine
from proposals.selectors import proposal_get
from sales import permissions as sales_permissions
from sales import selectors as sales_selectors
from sales.plan_selectors import plan_get

from . import selectors
from .wording import entry_rows, personal_values_shown


def _history_page(
    request: AuthenticatedHttpRequest,
    *,
    obj: Model,
    title: str,
    back: str,
    account: Account | None,
    tab: str,
    parts: tuple = (),
    personal: bool = False,
) -> HttpResponse:
    page: Page = paginate(
        request, selectors.object_history(obj=obj, parts=parts), settings.KAM_AUDIT_PAGE_SIZE
    )
    detailed = request.user.is_admin_role
    context: dict[str, Any] = {"title": title, "back": back}
    if account is not None:
        context.update(account_page_context(user=request.user, account=account, tab=tab))
    rows = entry_rows(page, user=request.user, personal=personal, detailed=detailed)
    if personal:
        _log_personal_values(request, page)
    for row in rows:
        row.part = row.entry.object_pk != str(obj.pk) or row.entry.content_type.model_class() is not type(obj)
    context.update(page=page, rows=rows, detailed=detailed, query=querystring_without(request, "page"))
    return render(request, "audit/history.html", context)


def _log_personal_values(request: AuthenticatedHttpRequest, entries: Page) -> None:
    """A history page that shows contacts' personal values is a showing like the contact card: one
    access row for the view, listing those contacts."""
    shown = Contact.objects.filter(pk__in=personal_values_shown(entries))
    personal_data_access_log(user=request.user, contacts=shown, channel=PersonalDataAccess.Channel.PAGE)


@login_required
def account_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = account_selectors.account_get(user=request.user, pk=pk)
    team = AccountTeamMember.objects.filter(account=account)
    title = _("History of the account %(name)s") % {"name": account.name}
    return _history_page(
        request,
        obj=account,
        title=title,
        back=account.get_absolute_url(),
        account=account,
        tab="history",
        parts=((AccountTeamMember, "account", team),),
    )


@login_required
def contact_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = account_selectors.contact_get(user=request.user, pk=pk)
    account = account_selectors.account_get(user=request.user, pk=contact.account_id)
    personal = account_permissions.may_show_personal_data(request.user, contact)
    title = _("History of the contact %(name)s") % {"name": contact}
    return _history_page(
        request,
        obj=contact,
        title=title,
        back=contact.get_absolute_url(),
        account=account,
        tab="contacts",
        personal=personal,
    )


@login_required
def proposal_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    proposal = proposal_get(user=request.user, pk=pk)
    account = account_selectors.account_get(user=request.user, pk=proposal.account_id)
    lines = ProposalLine.objects.filter(proposal=proposal)
    title = _("History of the proposal %(number)s") % {"number": proposal.number}
    back = reverse("proposals:detail", args=[proposal.pk])
    return _history_page(
        request,
        obj=proposal,
        title=title,
        back=back,
        account=account,
        tab="proposals",
        parts=((ProposalLine, "proposal", lines),),
    )


@login_required
def account_plan_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(dossier_selectors.plan_queryset(user=request.user), pk=pk)
    account = account_selectors.account_get(user=request.user, pk=plan.account_id)
    actions = PlanAction.objects.filter(plan=plan)
    title = _("History of the account plan %(year)s") % {"year": plan.year}
    back = reverse("dossiers:plans", args=[account.pk]) + f"#plan-{plan.year}"
    return _history_page(
        request,
        obj=plan,
        title=title,
        back=back,
        account=account,
        tab="plan",
        parts=((PlanAction, "plan", actions),),
    )


@login_required
def import_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An import batch's life (waiting, running, imported or refused, rolled back) for those who see
    imports, as on its page."""
    if not sales_permissions.can_view_imports(request.user):
        raise PermissionDenied
    batch = sales_selectors.batch_get(user=request.user, pk=pk)
    title = _("History of import #%(number)s") % {"number": batch.pk}
    return _history_page(request, obj=batch, title=title, back=batch.get_absolute_url(), account=None, tab="")


@login_required
def sales_plan_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    title = _("History of the sales plan %(plan)s") % {"plan": plan}
    back = reverse("sales:plans")
    return _history_page(request, obj=plan, title=title, back=back, account=None, tab="")


@login_required
def entry_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every audit entry, filtered by who, what, which object and when (administrators)."""
    entries = selectors.entry_list(user=request.user, filters=request.GET)
    status = refused(request, entries)
    page = paginate(request, entries.rows, settings.KAM_AUDIT_PAGE_SIZE, capped=True)
    context = {
        "filter": entries,
        "page": page,
        "query": querystring_without(request, "page"),
        "rows": entry_rows(page, user=request.user, personal=True, detailed=True),
    }
    _log_personal_values(request, page)
    return render(request, "audit/entry_list.html", context, status=status)
