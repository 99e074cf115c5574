"""The sales plan pages: the list, create/edit/delete, and the file import."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common.errors import StaleEditError
from common.filters import refused
from common.forms import add_service_errors
from common.numbers import whole_number
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest

from . import plan_import, plan_selectors, plan_services
from .plan_forms import PlanUploadForm, SalesPlanForm
from .plan_scope import can_edit_plans


def _editor(request: AuthenticatedHttpRequest) -> None:
    if not can_edit_plans(request.user):
        raise PermissionDenied


@login_required
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    plans = plan_selectors.plan_list(user=request.user, filters=request.GET)
    status = refused(request, plans)
    context = {"page": paginate(request, plans.rows), "filter": plans,
               "query": querystring_without(request, "page"), "can_edit": can_edit_plans(request.user),
               "this_year": dt.date.today().year}  # fmt: skip
    return render(request, "sales/plan_list.html", context, status=status)


def _save_form(request: AuthenticatedHttpRequest, form: SalesPlanForm, plan=None) -> bool:
    if request.method != "POST" or not form.is_valid():
        return False
    data = form.data_for_service()
    try:
        if plan is None:
            plan_services.plan_create(by=request.user, **data)
        else:
            version = form.cleaned_data.get("version")
            plan_services.plan_update(plan=plan, by=request.user, data=data, version=version)
    except StaleEditError as error:
        form.add_error(None, error.message_dict["version"])
        return False
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, _("Plan saved."))
    return True


@login_required
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _editor(request)
    form = SalesPlanForm(request.POST or None, user=request.user, initial=request.GET.dict())
    if _save_form(request, form):
        return redirect("sales:plans")
    context = {"form": form, "title": _("New sales plan"), "cancel": reverse("sales:plans")}
    return render(request, "sales/plan_form.html", context, status=400 if form.errors else 200)


@login_required
def plan_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = plan_selectors.plan_get(user=request.user, pk=pk)
    _editor(request)
    form = SalesPlanForm(request.POST or None, user=request.user, plan=plan)
    if _save_form(request, form, plan):
        return redirect("sales:plans")
    context = {"form": form, "title": _("Edit sales plan: %(plan)s") % {"plan": plan}, "plan": plan,
               "cancel": reverse("sales:plans"),
               "delete_url": reverse("sales:plan-delete", args=[plan.pk])}  # fmt: skip
    return render(request, "sales/plan_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def plan_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = plan_selectors.plan_get(user=request.user, pk=pk)
    _editor(request)
    # The edit page sends the version it showed; one that is missing or not a number removes nothing.
    version = whole_number(request.POST.get("version") or "")
    try:
        if version is None:
            raise ValidationError(_("The plan was not removed: reload the page and try again."))
        plan_services.plan_delete(plan=plan, by=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("sales:plan-edit", pk=plan.pk)
    messages.success(request, _("Plan removed."))
    return redirect("sales:plans")


@login_required
def plan_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    _editor(request)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        options = {"encoding": form.cleaned_data.get("encoding") or "utf-8"}
        report = plan_import.plans_import(by=request.user, upload=form.cleaned_data["file"], options=options)
        if not report.refused:
            figures = report.as_dict()
            read = ngettext("%(rows)s row read.", "%(rows)s rows read.", figures["rows"]) % figures
            done = _("Plans created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s.") % figures
            messages.success(request, f"{read} {done}")
            return redirect("sales:plans")
    status = 400 if form.errors or (report and report.refused) else 200
    return render(request, "sales/plan_upload.html", {"form": form, "report": report}, status=status)
