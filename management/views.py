"""The management pages: KAM scorecards and the management policy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.filters import refused
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest

from . import kam_lists, scorecards, services
from .filters import KamFilter
from .forms import ManagementPolicyForm
from .models import ManagementPolicy
from .permissions import can_manage_policy
from .selectors import policy_current


@login_required
def kam_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One row per KAM the user may see; every figure links to the list behind it."""
    kam_filter = KamFilter(
        request.GET, queryset=scorecards.visible_kams(user=request.user), user=request.user
    )
    status = refused(request, kam_filter)
    cards = scorecards.sorted_cards(
        scorecards.kam_cards(
            user=request.user, kams=kam_filter.rows, period=kam_filter.cleaned.get("period")
        ),
        kam_filter.cleaned.get("sort") or "name",
    )
    context = {
        "filter": kam_filter,
        "page": paginate(request, cards),
        "policy": policy_current(),
        "query": querystring_without(request, "page"),
    }
    return render(request, "management/kam_list.html", context, status=status)


@login_required
def kam_card(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One KAM's scorecard with the lists behind its figures."""
    kam = scorecards.visible_kams(user=request.user).filter(pk=pk).first()
    if kam is None:
        raise Http404
    [card] = scorecards.kam_cards(user=request.user, kams=[kam])
    context = {
        "card": card,
        "kam": kam,
        "lists": kam_lists.kam_listings(user=request.user, kam=kam),
        "policy": policy_current(),
    }
    return render(request, "management/kam_card.html", context)


@login_required
def policy(request: AuthenticatedHttpRequest) -> HttpResponse:
    can_manage = can_manage_policy(request.user)
    posted = request.method == "POST"
    if posted and not can_manage:
        raise PermissionDenied
    current = policy_current()
    form = ManagementPolicyForm(
        request.POST if posted else None, instance=ManagementPolicy() if posted else current
    )
    if posted and form.is_valid():
        try:
            services.policy_update(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The management policy is changed."))
            return redirect("management:policy")
    context = {
        "current": current,
        "form": form,
        "can_manage": can_manage,
        "page": paginate(request, ManagementPolicy.objects.select_related("created_by")),
    }
    return render(request, "management/policy.html", context, status=400 if form.errors else 200)
