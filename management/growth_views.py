"""The growth pages: the prospect funnel and the referrals report, over the accounts the user sees."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from common.filters import refused
from common.views import AuthenticatedHttpRequest
from dossiers.referrals import referral_report

from .funnel import prospect_funnel


@login_required
def funnel(request: AuthenticatedHttpRequest) -> HttpResponse:
    result = prospect_funnel(user=request.user, filters=request.GET)
    status = refused(request, result.filter)
    return render(
        request, "management/funnel.html", {"funnel": result, "filter": result.filter}, status=status
    )


@login_required
def referrals(request: AuthenticatedHttpRequest) -> HttpResponse:
    report = referral_report(user=request.user, filters=request.GET)
    status = refused(request, report.filter)
    return render(
        request, "management/referrals.html", {"report": report, "filter": report.filter}, status=status
    )
