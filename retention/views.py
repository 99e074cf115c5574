"""Retention pages: the account tab, at-risk and lost lists, loss analysis, campaigns, notifications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.models import Account, User
from accounts.tabs import account_page_context
from common.exports import Sheet, workbook_response
from common.filters import refused, whole_numbers
from common.forms import saved
from common.pagination import paginate, querystring_without
from common.replica import replica_reads
from common.views import AuthenticatedHttpRequest, form_page, visible_account, writable, writable_account
from management.neglect import is_neglected
from management.selectors import policy_current

from . import churn_selectors, loss_selectors, selectors, services
from .filters import CHURN_DEFAULT_ORDERING
from .forms import CampaignForm, LossForm, RefusalForm, StepForm, TargetForm
from .models import CampaignTarget, ChurnStatus, LossRecord, Refusal, WinBackCampaign
from .permissions import can_manage_campaign, can_work_target
from .survey_selectors import account_survey_summary


def _user(request: AuthenticatedHttpRequest) -> User:
    return request.user


def _neglected_days(account: Account) -> int | None:
    """The neglect limit, when the account has gone without contact for longer (else None)."""
    return (
        policy_current().neglect_days
        if account.status != Account.Status.LOST and is_neglected(account)
        else None
    )


def _tab_url(account: Account, anchor: str = "") -> str:
    return reverse("retention:account-tab", args=[account.pk]) + (f"#{anchor}" if anchor else "")


# --- the account's Retention tab ----------------------------------------------------------------


def _tab(
    request: AuthenticatedHttpRequest,
    account: Account,
    *,
    refusal_form: RefusalForm | None = None,
    loss_form: LossForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    context = account_page_context(user=user, account=account, tab="retention")
    context.update(
        data=selectors.account_retention(user=user, account=account),
        refusal_form=refusal_form or RefusalForm(),
        loss_form=loss_form or LossForm(neglected_days=_neglected_days(account)),
        surveys=account_survey_summary(user=user, account=account),
    )
    return render(request, "retention/account_tab.html", context, status=status)


@login_required
def account_tab(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _tab(request, visible_account(request, pk))


def _record(
    request: AuthenticatedHttpRequest,
    pk: int,
    form_class: type,
    create: Any,
    *,
    message: str,
    anchor: str,
    form_name: str,
) -> HttpResponse:
    """A refusal or a loss recorded from the tab; a bad one re-renders the tab with its field errors."""
    account = writable_account(request, pk)
    form = form_class(request.POST)
    if saved(request, form, lambda data: create(account=account, by=_user(request), **data), message=message):
        return redirect(_tab_url(account, anchor))
    return _tab(request, account, **{form_name: form}, status=400)


def _remove(
    request: AuthenticatedHttpRequest, queryset: Any, pk: int, delete: Any, *, message: str, anchor: str
) -> HttpResponse:
    row = writable(request, queryset.visible_to(request.user), pk)
    delete(row, _user(request))
    messages.success(request, message)
    return redirect(_tab_url(row.account, anchor))


@login_required
@require_POST
def refusal_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _record(request, pk, RefusalForm, services.refusal_create, message=_("Refusal recorded."),
                   anchor="refusals", form_name="refusal_form")  # fmt: skip


@login_required
@require_POST
def refusal_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _remove(request, Refusal.objects, pk, lambda r, by: services.refusal_delete(refusal=r),
                   message=_("Refusal removed."), anchor="refusals")  # fmt: skip


@login_required
@require_POST
def loss_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _record(request, pk, LossForm, services.loss_record_create,
                   message=_("Loss recorded; the account is marked lost."), anchor="losses",
                   form_name="loss_form")  # fmt: skip


@login_required
@require_POST
def loss_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _remove(request, LossRecord.objects, pk, lambda r, by: services.loss_record_delete(loss=r),
                   message=_("Loss record removed."), anchor="losses")  # fmt: skip


# --- at-risk and lost accounts ------------------------------------------------------------------

STATUS_TABS = [
    ("all", gettext_lazy("At risk and lost")),
    ("at_risk", gettext_lazy("At risk")),
    ("lost", gettext_lazy("Lost")),
]


@login_required
@replica_reads
def churn_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """At-risk and lost accounts with the value at stake; filters, sorting, paging and an XLSX export."""
    user = _user(request)
    run = selectors.latest_run()
    churn = churn_selectors.churn_filter(user=user, run=run, filters=request.GET)
    status = refused(request, churn)
    chosen = churn.cleaned
    context: dict[str, Any] = {
        "run": run,
        "filter": churn,
        "status": chosen.get("status") or "all",
        "dormant": chosen.get("dormant"),
        "owner": chosen.get("owner"),
        "abc_class": chosen.get("abc_class") or "",
        "sort": chosen.get("ordering") or CHURN_DEFAULT_ORDERING,
        "dormant_choices": churn_selectors.DORMANT_CHOICES,
        "status_tabs": STATUS_TABS,
        "owners": churn_selectors.churn_owners(user),
    }
    if run is None:
        return render(request, "retention/churn_list.html", context, status=status)
    rows = churn.rows
    if request.GET.get("format") == "xlsx" and status == 200:
        return workbook_response(f"churn-{context['status']}-{run.as_of}.xlsx", [_churn_sheet(rows)])
    counts = churn_selectors.churn_counts(user=user, run=run)
    page = paginate(request, rows, count=_listed(counts, chosen) if status == 200 else None)
    context.update(
        page=page,
        counts=counts,
        query=querystring_without(request, "page"),
        sort_query=querystring_without(request, "page", "ordering"),
        tab_query=querystring_without(request, "page", "status"),
        health=selectors.health_for(
            accounts=[s.account for s in page.object_list], run=run, segments=list(page.object_list)
        ),
    )
    return render(request, "retention/churn_list.html", context, status=status)


def _listed(counts: dict[str, int], chosen: dict[str, Any]) -> int | None:
    """The list's length from the status counts the tabs show, when only the status narrows it."""
    if any(chosen.get(name) for name in ("dormant", "owner", "abc_class")):
        return None
    status = chosen.get("status") or "all"
    statuses = (ChurnStatus.AT_RISK, ChurnStatus.LOST) if status == "all" else (status,)
    return sum(counts.get(s, 0) for s in statuses)


def _churn_sheet(rows: Any) -> Sheet:
    header = [
        _("Account"), _("External ID"), _("Status"), _("Risk of churn"), _("Value in the last 12 months"),
        _("Days since last purchase"), _("Usual interval (days)"), _("Last purchase"), _("ABC class"),
        _("XYZ class"), _("Owner"),
    ]  # fmt: skip
    body = [
        [
            s.account.name,
            s.account.external_id,
            s.account.get_status_display(),
            s.churn_score,
            s.value_12m,
            s.days_since_last_purchase,
            s.median_interval_days,
            s.last_purchase,
            s.abc_class,
            s.xyz_class,
            str(s.account.owner or ""),
        ]
        for s in rows.iterator(chunk_size=2000)
    ]
    return (_("At risk and lost"), header, body)


@login_required
def loss_analysis(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = _user(request)
    run = selectors.latest_run()
    titles = [
        ("reason", _("By reason")),
        ("direction", _("By direction")),
        ("kam", _("By KAM")),
        ("segment", _("By ABC class")),
    ]
    return render(
        request,
        "retention/losses.html",
        {"run": run, "data": loss_selectors.loss_analysis(user=user, run=run), "breakdown_titles": titles},
    )


# --- win-back campaigns -------------------------------------------------------------------------


CANDIDATES_SHOWN = 40


def _campaign(request: AuthenticatedHttpRequest, pk: int) -> WinBackCampaign:
    return get_object_or_404(selectors.campaign_queryset(user=_user(request)), pk=pk)


@login_required
def campaigns(request: AuthenticatedHttpRequest) -> HttpResponse:
    campaigns = selectors.campaign_list(user=_user(request), filters=request.GET)
    status = refused(request, campaigns)
    rows = selectors.campaign_rows(user=_user(request), campaigns=campaigns.rows)
    return render(request, "retention/campaigns.html", {"rows": rows, "filter": campaigns}, status=status)


def _chosen_accounts(request: AuthenticatedHttpRequest) -> list[Account]:
    """The accounts picked in a list (ids in `account`) among those the user may see; a value that
    is not an id is a ValidationError."""
    values = request.POST.getlist("account") or request.GET.getlist("account")
    return selectors.chosen_accounts(user=_user(request), ids=whole_numbers(values, name="account"))


@login_required
def campaign_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start a campaign for the accounts picked on the at-risk and lost list."""
    user = _user(request)
    if user.is_analyst:
        raise PermissionDenied
    try:
        accounts = _chosen_accounts(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("retention:churn-list")
    form = CampaignForm(request.POST or None)
    result: dict[str, WinBackCampaign] = {}

    def save(data: dict[str, Any]) -> WinBackCampaign:
        result["campaign"] = services.campaign_create(by=user, accounts=accounts, **data)
        return result["campaign"]

    if saved(
        request,
        form,
        save,
        message=ngettext(
            "Campaign started with %(n)s account.", "Campaign started with %(n)s accounts.", len(accounts)
        )
        % {"n": len(accounts)},
    ):
        return redirect("retention:campaign-detail", pk=result["campaign"].pk)
    return form_page(
        request, form, title=_("New win-back campaign"), cancel=reverse("retention:churn-list"),
        targets=accounts,
    )  # fmt: skip


@login_required
def campaign_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    user = _user(request)
    if not can_manage_campaign(user, campaign):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, instance=campaign)
    if saved(request, form, lambda data: services.campaign_update(campaign=campaign, **data,
             version=form.cleaned_data.get("version")), message=_("Campaign saved.")):  # fmt: skip
        return redirect("retention:campaign-detail", pk=campaign.pk)
    return form_page(
        request, form, title=campaign.name, cancel=reverse("retention:campaign-detail", args=[pk])
    )


@login_required
def campaign_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The campaign's results: per target the steps, the outcome and the revenue since the start."""
    campaign = _campaign(request, pk)
    user = _user(request)
    results = selectors.campaign_results(user=user, campaign=campaign)
    for target in results.targets:
        target.editable = can_work_target(user, target)
        target.form = TargetForm(instance=target, prefix=f"t{target.pk}")
    can_manage = can_manage_campaign(user, campaign)
    candidates = (
        churn_selectors.campaign_candidates(user=user, campaign=campaign, limit=CANDIDATES_SHOWN)
        if can_manage
        else []
    )
    return render(
        request,
        "retention/campaign_detail.html",
        {"results": results, "campaign": campaign, "can_manage": can_manage, "candidates": candidates},
    )


@login_required
@require_POST
def campaign_targets_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    user = _user(request)
    if not can_manage_campaign(user, campaign):
        raise PermissionDenied
    try:
        accounts = _chosen_accounts(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("retention:campaign-detail", pk=campaign.pk)
    added = services.campaign_targets_add(campaign=campaign, accounts=accounts)
    messages.success(
        request, ngettext("%(n)s account added.", "%(n)s accounts added.", len(added)) % {"n": len(added)}
    )
    return redirect("retention:campaign-detail", pk=campaign.pk)


def _writable_target(request: AuthenticatedHttpRequest, pk: int) -> CampaignTarget:
    user = _user(request)
    target = get_object_or_404(
        CampaignTarget.objects.visible_to(user).select_related("campaign", "account"),
        pk=pk,
        campaign__in=selectors.campaign_queryset(user=user),
    )
    if not can_work_target(user, target):
        raise PermissionDenied
    return target


@login_required
@require_POST
def target_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = _writable_target(request, pk)
    form = TargetForm(request.POST, instance=target, prefix=f"t{target.pk}")
    if saved(request, form, lambda data: services.target_update(target=target, **data,
             version=form.cleaned_data.get("version")), message=_("Outcome recorded.")):  # fmt: skip
        return redirect(
            reverse("retention:campaign-detail", args=[target.campaign_id]) + f"#target-{target.pk}"
        )
    for errors in form.errors.values():
        messages.error(
            request,
            _("%(account)s: %(errors)s")
            % {"account": target.account.name, "errors": " ".join(map(str, errors))},
        )
    return redirect(reverse("retention:campaign-detail", args=[target.campaign_id]) + f"#target-{target.pk}")


@login_required
@require_POST
def step_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = _writable_target(request, pk)
    form = StepForm(request.POST)

    def save(data: dict[str, Any]) -> Any:
        return services.target_step_add(target=target, by=_user(request), **data)

    if not saved(request, form, save, message=_("Step recorded.")):
        for errors in form.errors.values():
            messages.error(
                request,
                _("%(account)s: %(errors)s")
                % {"account": target.account.name, "errors": " ".join(map(str, errors))},
            )
    return redirect(reverse("retention:campaign-detail", args=[target.campaign_id]) + f"#target-{target.pk}")


# --- notifications ------------------------------------------------------------------------------


@login_required
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications = selectors.notification_list(user=_user(request), filters=request.GET)
    status = refused(request, notifications)
    context = {"page": paginate(request, notifications.rows), "filter": notifications,
               "query": querystring_without(request, "page")}  # fmt: skip
    return render(request, "retention/notifications.html", context, status=status)


@login_required
def notifications_badge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The navbar's unread count, loaded after the page so that no page pays a query for it."""
    return render(request, "retention/_badge.html", {"unread": selectors.unread_count(user=_user(request))})


@login_required
@require_POST
def notifications_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        ids = whole_numbers(request.POST.getlist("id"), name="id")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        services.notifications_mark_read(user=_user(request), ids=ids or None)
    return redirect("retention:notifications")
