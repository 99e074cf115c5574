"""The strategic client's service plan on the account's Plan tab: its edit page (one per year)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from common.forms import saved
from common.views import AuthenticatedHttpRequest, form_page, writable_account

from . import services
from .forms import ServicePlanForm
from .models import ServicePlan

YEARS = range(2000, 2101)


@login_required
def service_plan_edit(request: AuthenticatedHttpRequest, pk: int, year: int) -> HttpResponse:
    """Set the account's contact plan for `year`: created on the first save, then edited under
    the optimistic lock (a copy changed meanwhile is refused with a message, nothing is saved)."""
    if year not in YEARS:
        raise Http404
    account = writable_account(request, pk)
    plan = ServicePlan.objects.filter(account=account, year=year).first()
    form = ServicePlanForm(request.POST or None, instance=plan or ServicePlan(account=account, year=year))

    def save(data: dict[str, Any]) -> ServicePlan:
        if plan is None:
            return services.service_plan_create(account=account, year=year, by=request.user, **data)
        version = form.cleaned_data["version"]
        return services.service_plan_update(plan=plan, by=request.user, version=version, **data)

    back = reverse("dossiers:plans", args=[account.pk]) + f"?year={year}#service-plan"
    if saved(request, form, save, message=_("Service plan saved.")):
        return redirect(back)
    return form_page(
        request,
        form,
        title=_("Service plan %(year)s") % {"year": year},
        cancel=back,
        account=account,
        tab="plan",
        help=_(
            "The contact a strategic client gets this year. Logged visits and meetings, calls, "
            "business reviews and the value of gifts and hospitality are set against it."
        ),
    )
