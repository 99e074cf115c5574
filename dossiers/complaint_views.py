"""Complaint-case pages: the list (with the heads' past-SLA view and the resolution times), an
account's cases with the form to log one, and a case with its edit and transition forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Account, User
from accounts.permissions import can_edit_account
from accounts.tabs import account_page_context
from common.errors import StaleEditError
from common.filters import refused
from common.forms import add_service_errors, saved
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest, visible_account

from . import complaint_selectors as selectors
from . import services
from .complaint_filters import COMPLAINT_ORDERINGS
from .complaint_forms import ComplaintForm, TransitionForm
from .models import ComplaintCase
from .services.complaints import TRANSITIONS


@login_required
def complaint_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The visible cases: filters, sorting, pages; with `?past_sla=true` the heads' view of the
    cases past their SLA; beside them the median resolution times."""
    user: User = request.user
    cases = selectors.complaint_filter(user=user, filters=request.GET)
    status = refused(request, cases)
    context: dict[str, Any] = {
        "filter": cases,
        "page": paginate(request, cases.rows),
        "query": querystring_without(request, "page"),
        "sort_query": querystring_without(request, "page", "ordering"),
        "sort": cases.cleaned.get("ordering") or "opened",
        "orderings": list(COMPLAINT_ORDERINGS),
        "past_sla": cases.cleaned.get("past_sla") is True,
        "times": selectors.resolution_times(user=user),
        "today": timezone.localdate(),
    }
    return render(request, "dossiers/complaints.html", context, status=status)


def _account_page(
    request: AuthenticatedHttpRequest, account: Account, form: ComplaintForm, status: int = 200
) -> HttpResponse:
    user: User = request.user
    context = account_page_context(user=user, account=account, tab="dossier")
    context.update(
        cases=selectors.account_complaints(user=user, account=account),
        form=form,
        can_edit=can_edit_account(user, account),
        today=timezone.localdate(),
    )
    return render(request, "dossiers/account_complaints.html", context, status=status)


@login_required
def account_complaints(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The cases of one account, and (POST) a new one logged by the user."""
    account = visible_account(request, pk)
    if request.method == "POST" and not can_edit_account(request.user, account):
        raise PermissionDenied
    form = ComplaintForm(request.POST or None, account=account)

    def save(data: dict[str, Any]) -> ComplaintCase:
        return services.complaint_create(account=account, by=request.user, **data)

    if saved(request, form, save, message=_("Complaint logged.")):
        return redirect("dossiers:account-complaints", pk=account.pk)
    return _account_page(request, account, form, status=400 if form.is_bound else 200)


def _detail(
    request: AuthenticatedHttpRequest,
    case: ComplaintCase,
    *,
    form: ComplaintForm | None = None,
    transition: TransitionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: User = request.user
    context = account_page_context(user=user, account=case.account, tab="dossier")
    context.update(
        case=case,
        form=form or ComplaintForm(instance=case, account=case.account),
        transition=transition or TransitionForm(case=case, next_statuses=TRANSITIONS[case.status]),
        can_edit=can_edit_account(user, case.account),
        today=timezone.localdate(),
    )
    return render(request, "dossiers/complaint_detail.html", context, status=status)


@login_required
def complaint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A case; (POST) its editors change it, with the version they loaded."""
    case = selectors.complaint_get(user=request.user, pk=pk)
    if request.method == "POST" and not can_edit_account(request.user, case.account):
        raise PermissionDenied
    form = ComplaintForm(request.POST or None, instance=case, account=case.account)

    def save(data: dict[str, Any]) -> ComplaintCase:
        data.pop("version", None)
        return services.complaint_update(case=case, version=form.cleaned_data.get("version"), **data)

    if saved(request, form, save, message=_("Complaint saved.")):
        return redirect("dossiers:complaint-detail", pk=case.pk)
    return _detail(request, case, form=form, status=400 if form.is_bound else 200)


@login_required
@require_POST
def complaint_transition(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Move a case on (start, resolve, confirm, reopen); a refusal shows next to the field."""
    case = selectors.complaint_get(user=request.user, pk=pk)
    if not can_edit_account(request.user, case.account):
        raise PermissionDenied
    form = TransitionForm(request.POST, case=case, next_statuses=TRANSITIONS[case.status])
    if form.is_valid():
        try:
            moved = services.complaint_transition(case=case, **form.data_for_service())
        except StaleEditError as error:
            form.add_error(None, error.message_dict["version"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Complaint %(status)s.") % {"status": moved.get_status_display().lower()}
            )
            return redirect("dossiers:complaint-detail", pk=case.pk)
    return _detail(request, case, transition=form, status=400)
