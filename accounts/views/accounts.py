"""Account pages: list, page with tabs, create/edit, hierarchy, team."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.filters import refused
from common.forms import add_service_errors
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest

from .. import permissions, selectors, services
from ..forms import AccountForm, TeamMemberForm
from ..models import AccountTeamMember
from ..tabs import account_page_context


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            "status_counts": selectors.count_accounts_by_status(user=request.user),
            "my_accounts": selectors.own_accounts(user=request.user)[:12],
        },
    )


@login_required
def account_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    account_filter = selectors.account_list(user=request.user, filters=request.GET)
    status = refused(request, account_filter)
    page = paginate(request, account_filter.rows, capped=True)
    context = {
        "filter": account_filter,
        "page": page,
        "sort": request.GET.get("ordering", ""),
        "query_without_page": querystring_without(request, "page"),
        "query_without_sort": querystring_without(request, "page", "ordering"),
        "can_create": permissions.can_create_account(request.user),
    }
    template = "accounts/_account_rows.html" if request.headers.get("HX-Request") else "accounts/list.html"
    return render(request, template, context, status=status)


# How many accounts a picker's search answers with.
CHOICES_FOUND = 20


@login_required
def account_choices(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The first accounts (by name) matching `q` among those the user sees, for the account pickers
    of long lists (`common.widgets.SearchedSelect`): {"results": [{"id", "text"}]}."""
    found = selectors.account_list(user=request.user, filters={"q": request.GET.get("q", "")[:200]}).qs
    rows = found.order_by("name", "pk").values_list("pk", "name")[:CHOICES_FOUND]
    return JsonResponse({"results": [{"id": pk, "text": name} for pk, name in rows]})


@login_required
def account_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    context = account_page_context(user=request.user, account=account, tab="overview")
    context["team"] = account.team_members.select_related("user")
    context["subsidiaries"] = selectors.subsidiaries(user=request.user, account=account)
    context["team_form"] = TeamMemberForm(candidates=selectors.team_candidates(account=account))
    return render(request, "accounts/detail.html", context)


@login_required
def account_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_create_account(request.user):
        raise PermissionDenied
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(by=request.user, **form.data_for_service())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": account.name})
            return redirect(account)
    return render(request, "accounts/form.html", {"form": form})


@login_required
def account_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    if not permissions.can_edit_account(request.user, account):
        raise PermissionDenied
    form = AccountForm(request.POST or None, instance=account, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(
                account=account,
                by=request.user,
                **form.data_for_service(),
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(account)
    return render(request, "accounts/form.html", {"form": form, "account": account})


@login_required
@require_POST
def account_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    if not permissions.can_delete_account(request.user, account):
        raise PermissionDenied
    try:
        services.account_delete(account=account)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(account)
    messages.success(request, _("Account %(name)s deleted.") % {"name": account.name})
    return redirect("accounts:list")


@login_required
def account_hierarchy(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    context = account_page_context(user=request.user, account=account, tab="group")
    context["tree"] = selectors.account_tree(user=request.user, account=account)
    return render(request, "accounts/hierarchy.html", context)


@login_required
@require_POST
def team_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    if not permissions.can_edit_account(request.user, account):
        raise PermissionDenied
    form = TeamMemberForm(request.POST, candidates=selectors.team_candidates(account=account))
    if form.is_valid():
        try:
            services.team_member_add(account=account, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Team member added."))
    else:
        messages.error(request, _("Choose a user and a team role."))
    return redirect(account)


@login_required
@require_POST
def team_remove(request: AuthenticatedHttpRequest, pk: int, member_pk: int) -> HttpResponse:
    account = selectors.account_get(user=request.user, pk=pk)
    if not permissions.can_edit_account(request.user, account):
        raise PermissionDenied
    member = get_object_or_404(AccountTeamMember, pk=member_pk, account=account)
    services.team_member_remove(member=member)
    messages.success(request, _("%(user)s left the account team.") % {"user": member.user})
    return redirect(account)
