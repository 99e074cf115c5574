"""The dossier's other pages: the timeline, the assessment and 3P, competitors, account plans and tenders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Account, User
from accounts.permissions import can_edit_account
from accounts.tabs import account_page_context
from common.calendar import add_months
from common.filters import form_refused, refused
from common.forms import saved
from common.numbers import whole_number
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest, form_page, writable
from sales.plan_scope import can_edit_plans
from sales.plan_selectors import account_sales_plans

from . import selectors, services
from .filters import CalendarForm, TenderFilter, TimelineForm
from .forms import (
    AssessmentForm,
    CompetitorForm,
    PlanActionForm,
    PlanForm,
    PresenceForm,
    TenderEditForm,
)
from .models import (
    AccountPlan,
    Competitor,
    CompetitorPresence,
    PlanAction,
    StrategicAssessment,
)
from .service_plan_selectors import service_progress
from .standing import assessment_warnings
from .tender_calendar import tender_calendar as calendar_of
from .timeline import account_timeline, timeline_types
from .views import _account, _writable_account

TIMELINE_PAGE = 40


def _refuse_analysts(request: AuthenticatedHttpRequest) -> None:
    if request.user.is_analyst:
        raise PermissionDenied


def _dossier(account: Account, anchor: str = "") -> str:
    return reverse("dossiers:account-tab", args=[account.pk]) + (f"#{anchor}" if anchor else "")


# --- the merged timeline ------------------------------------------------------------------------


@login_required
def timeline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Interactions, imports, tenders, status and profile changes in one list, filtered by type."""
    account = _account(request, pk)
    offered = timeline_types()
    form = TimelineForm(request.GET, types=offered)
    status = form_refused(request, form)
    chosen: list[str] = form.cleaned_data.get("type", []) if status == 200 else []
    page: int = (form.cleaned_data.get("page") if status == 200 else None) or 1
    entries = account_timeline(account=account, types=chosen or None, limit=page * TIMELINE_PAGE + 1)
    shown = entries[(page - 1) * TIMELINE_PAGE : page * TIMELINE_PAGE]
    user: User = request.user
    context = account_page_context(user=user, account=account, tab="timeline")
    context.update(
        entries=shown,
        offered=offered,
        chosen=set(chosen),
        page_number=page,
        has_next=len(entries) > page * TIMELINE_PAGE,
        query=querystring_without(request, "page"),
    )
    return render(request, "dossiers/timeline.html", context, status=status)


# --- strategic assessment and 3P ----------------------------------------------------------------


@login_required
def assessment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = _writable_account(request, pk)
    instance = getattr(account, "strategic_assessment", None) or StrategicAssessment(account=account)
    form = AssessmentForm(request.POST or None, instance=instance)
    if saved(
        request,
        form,
        lambda data: services.assessment_update(account=account, by=request.user, **data),
        message=_("Assessment saved."),
    ):
        assessment = StrategicAssessment.objects.get(account=account)
        for warning in assessment_warnings(user=request.user, assessment=assessment):
            messages.warning(request, warning)
        return redirect(_dossier(account, "assessment"))
    return form_page(
        request,
        form,
        title=_("Strategic-client assessment"),
        cancel=_dossier(account, "assessment"),
        account=account,
        help=_("Three or more criteria make a strategic account (a profile review every six months)."),
    )


@login_required
@require_POST
def qualification_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = _writable_account(request, pk)
    criterion = request.POST.get("criterion", "")
    try:
        qualification = services.qualification_confirm(account=account, criterion=criterion, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if qualification.is_qualified:
            messages.success(request, _("Need, solvency and authority confirmed: a qualified prospect."))
        else:
            messages.success(request, _("%(criterion)s confirmed.") % {"criterion": criterion.capitalize()})
    return redirect(_dossier(account, "assessment"))


# --- competitors --------------------------------------------------------------------------------


@login_required
def presence_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = _writable_account(request, pk)
    form = PresenceForm(request.POST or None)
    if saved(
        request,
        form,
        lambda data: services.presence_create(account=account, **data),
        message=_("Competitor recorded at the account."),
    ):
        return redirect(_dossier(account, "competitors"))
    title = _("A competitor at %(account)s") % {"account": account}
    return form_page(request, form, title=title, cancel=_dossier(account), account=account, registry=True)


def _writable_presence(request: AuthenticatedHttpRequest, pk: int) -> CompetitorPresence:
    return writable(request, selectors.presence_queryset(user=request.user), pk)


@login_required
def presence_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    presence = _writable_presence(request, pk)
    account = presence.account
    form = PresenceForm(request.POST or None, instance=presence)
    if saved(
        request,
        form,
        lambda data: services.presence_update(presence=presence, **data),
        message=_("Competitor presence saved."),
    ):
        return redirect(_dossier(account, "competitors"))
    return form_page(
        request, form, title=_("%(competitor)s at %(account)s") % {"competitor": presence.competitor,
        "account": account}, cancel=_dossier(account), account=account,
        delete_url=reverse("dossiers:presence-delete", args=[presence.pk]),
    )  # fmt: skip


@login_required
@require_POST
def presence_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    presence = _writable_presence(request, pk)
    services.presence_delete(presence=presence)
    messages.success(
        request, _("%(competitor)s removed from the account.") % {"competitor": presence.competitor}
    )
    return redirect(_dossier(presence.account, "competitors"))


@login_required
def competitor_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The shared registry, with how many of the user's visible accounts each competitor works on."""
    user: User = request.user
    competitors = selectors.competitor_list(user=user, filters=request.GET)
    status = refused(request, competitors)
    page = paginate(request, competitors.rows)
    counts = selectors.presence_counts(user=user, competitors=list(page.object_list))
    rows = [(c, counts.get(c.pk, 0)) for c in page.object_list]
    context = {"page": page, "rows": rows, "q": request.GET.get("q", ""), "filter": competitors,
               "query": querystring_without(request, "page")}  # fmt: skip
    return render(request, "dossiers/competitors.html", context, status=status)


@login_required
def competitor_form(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    _refuse_analysts(request)
    competitor = get_object_or_404(Competitor, pk=pk) if pk else None
    form = CompetitorForm(request.POST or None, instance=competitor)

    def save(data: dict[str, Any]) -> Any:
        if competitor is None:
            return services.competitor_create(**data)
        return services.competitor_update(competitor=competitor, **data)

    if saved(request, form, save, message=_("Competitor saved.")):
        return redirect("dossiers:competitors")
    title = _("Edit %(name)s") % {"name": competitor} if competitor else _("New competitor")
    return form_page(request, form, title=title, cancel=reverse("dossiers:competitors"))


# --- account plans ------------------------------------------------------------------------------


@login_required
def plans(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The account's plans by year: goals, joint activities and the actions with their progress."""
    account = _account(request, pk)
    user: User = request.user
    context = account_page_context(user=user, account=account, tab="plan")
    today = timezone.localdate()
    this_year = today.year
    year = _year_asked(request, this_year)
    context.update(
        plans=selectors.account_plans(user=user, account=account),
        sales_plans=account_sales_plans(user=user, account_id=account.pk, today=today),
        can_set_sales_plans=can_edit_plans(user),
        this_year=this_year,
        service=service_progress(user=user, account=account, year=year),
        service_years=[this_year - 1, this_year, this_year + 1],
    )
    return render(request, "dossiers/plans.html", context)


def _year_asked(request: AuthenticatedHttpRequest, default: int) -> int:
    """`?year=` when it is a plausible year, else `default` (the service plan shown)."""
    asked = whole_number(request.GET.get("year", ""), minimum=2000, maximum=2100)
    return default if asked is None else asked


def _plans_url(account: Account, plan: AccountPlan | None = None) -> str:
    return reverse("dossiers:plans", args=[account.pk]) + (f"#plan-{plan.year}" if plan else "")


def _writable_plan(request: AuthenticatedHttpRequest, pk: int) -> AccountPlan:
    return writable(request, selectors.plan_queryset(user=request.user), pk)


@login_required
def plan_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = _writable_account(request, pk)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if saved(
        request,
        form,
        lambda data: services.plan_create(account=account, **data),
        message=_("Account plan created."),
    ):
        return redirect(_plans_url(account))
    return form_page(request, form, title=_("New account plan"), cancel=_plans_url(account), account=account)


@login_required
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = _writable_plan(request, pk)
    form = PlanForm(request.POST or None, instance=plan)
    if saved(
        request,
        form,
        lambda data: services.plan_update(plan=plan, **data),
        message=_("Account plan saved."),
    ):
        return redirect(_plans_url(plan.account, plan))
    title = _("Account plan %(year)s") % {"year": plan.year}
    return form_page(request, form, title=title, cancel=_plans_url(plan.account, plan), account=plan.account)


def _team(account: Account, user: User) -> list[User]:
    people = {m.user for m in account.team_members.select_related("user")} | {user}
    if account.owner is not None:
        people.add(account.owner)
    return sorted(people, key=lambda u: (u.get_full_name() or u.username).lower())


@login_required
def action_form(request: AuthenticatedHttpRequest, pk: int, action_pk: int | None = None) -> HttpResponse:
    """Add an action to a plan (pk: the plan), or change one (action_pk) — its progress, say."""
    plan = _writable_plan(request, pk)
    action = get_object_or_404(PlanAction, pk=action_pk, plan=plan) if action_pk else None
    form = PlanActionForm(
        request.POST or None,
        instance=action,
        initial={} if action else {"owner": request.user.pk},
        people=_team(plan.account, request.user),
    )

    def save(data: dict[str, Any]) -> Any:
        if action is None:
            return services.plan_action_create(plan=plan, **data)
        return services.plan_action_update(action=action, **data)

    if saved(request, form, save, message=_("Plan action saved.")):
        return redirect(_plans_url(plan.account, plan))
    title = _("Action of the %(year)s plan") % {"year": plan.year}
    return form_page(request, form, title=title, cancel=_plans_url(plan.account, plan), account=plan.account)


# --- tenders ------------------------------------------------------------------------------------


@login_required
def tender_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A tender with its preparation plan; its editors change it and record the win or loss here."""
    tender = get_object_or_404(selectors.tender_queryset(user=request.user), pk=pk)
    account = tender.account
    editable = can_edit_account(request.user, account)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    form = TenderEditForm(request.POST or None, instance=tender)

    def save(data: dict[str, Any]) -> Any:
        return services.tender_update(tender=tender, version=form.cleaned_data["version"], **data)

    if saved(request, form, save, message=_("Tender saved.")):
        return redirect("dossiers:tender-detail", pk=tender.pk)
    user: User = request.user
    context = account_page_context(user=user, account=account, tab="dossier")
    context.update(tender=tender, form=form, today=timezone.localdate())
    return render(request, "dossiers/tender_detail.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def milestone_toggle(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    milestone = selectors.milestone_get(user=request.user, pk=pk)
    if not can_edit_account(request.user, milestone.tender.account):
        raise PermissionDenied
    services.milestone_complete(milestone=milestone, done=not milestone.done)
    return redirect(reverse("dossiers:tender-detail", args=[milestone.tender_id]) + "#milestones")


@login_required
def tender_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What is due when: milestones, submissions and decisions of the visible tenders, as a month
    grid or a list of months."""
    user: User = request.user
    today = timezone.localdate()
    window = CalendarForm(request.GET)
    tenders = TenderFilter(request.GET, queryset=selectors.calendar_tenders(user=user), user=user)
    status = max(form_refused(request, window), refused(request, tenders))
    chosen = window.cleaned_data if status == 200 else {}
    first = chosen.get("from") or today.replace(day=1)
    calendar = calendar_of(tenders=tenders.rows, first=first, today=today)
    context = {
        "calendar": calendar,
        "months": calendar.months,
        "overdue": calendar.overdue,
        "today": today,
        "view": "list" if chosen.get("view") == "list" else "grid",
        "mine": bool(tenders.cleaned.get("mine")),
        "previous": add_months(first, -1).strftime("%Y-%m"),
        "next": add_months(first, 1).strftime("%Y-%m"),
        "first": first,
        "last": calendar.last,
        "status_counts": calendar.status_counts,
    }
    return render(request, "dossiers/tender_calendar.html", context, status=status)
