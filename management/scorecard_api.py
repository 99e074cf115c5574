"""GET /api/v1/management/kams/: the KAM scorecards over the accounts the caller sees."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request

from accounts.models import User
from common.api import AuthenticatedRequest, Pagination

from . import scorecards
from .filters import KamFilter


class KamCardSerializer(serializers.Serializer):
    kam = serializers.IntegerField(source="kam.pk", help_text="The KAM's user id")
    name = serializers.CharField(source="kam.__str__")
    accounts = serializers.IntegerField(help_text="Accounts the KAM owns, among those the caller sees")
    key_accounts = serializers.IntegerField(
        help_text="Of which run as key accounts (a key-client type or strategic)"
    )
    load_target = serializers.IntegerField(help_text="The management policy's key accounts per KAM")
    over_load = serializers.BooleanField()
    live = serializers.IntegerField(help_text="Active or at risk")
    interactions_per_key_account_month = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text="Last 3 months"
    )
    overdue_tasks = serializers.IntegerField()
    overdue_follow_ups = serializers.IntegerField(help_text="Open proposal follow-up steps past due")
    complaints_past_sla = serializers.IntegerField(
        help_text="Complaint cases the KAM owns, open or in progress past their due date"
    )
    overdue_commitments = serializers.IntegerField(
        help_text="Promises to clients still open past their due date"
    )
    neglected = serializers.IntegerField(
        help_text="Live accounts without contact for longer than the policy allows"
    )
    no_decision_maker = serializers.IntegerField(help_text="Live accounts")
    no_financial_approver = serializers.IntegerField(help_text="Live accounts")
    single_contact = serializers.IntegerField(help_text="Live accounts with one contact at most")
    reviews_overdue = serializers.IntegerField(help_text="Strategic accounts' profile reviews past due")
    at_risk = serializers.IntegerField()
    at_risk_without_action = serializers.IntegerField()
    lost = serializers.IntegerField()
    lost_without_action = serializers.IntegerField()
    proposals_won = serializers.IntegerField(help_text="Decided in the last 12 months")
    proposals_lost = serializers.IntegerField(help_text="Decided in the last 12 months")
    win_rate = serializers.IntegerField(allow_null=True, help_text="% won of those decided")
    needs_attention = serializers.BooleanField()
    plan_period = serializers.CharField(source="plan.period", allow_null=True, default=None)
    plan = serializers.DecimalField(
        source="plan.plan",
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        default=None,
        help_text="The KAM's sales plan for the period (none: no plan)",
    )
    actual = serializers.DecimalField(
        source="plan.actual",
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        default=None,
        help_text="Revenue so far in the period of the accounts the KAM owns (those the caller sees)",
    )
    attainment_pct = serializers.DecimalField(
        source="plan.attainment_pct", max_digits=8, decimal_places=1, allow_null=True, default=None
    )
    forecast = serializers.DecimalField(
        source="plan.forecast.value",
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        default=None,
        help_text="To the period's end",
    )
    forecast_method = serializers.CharField(source="plan.method", allow_null=True, default=None)


class KamScorecardsView(generics.ListAPIView):
    """One scorecard per KAM the caller may see (a KAM: their own), over the accounts the caller sees."""

    request: AuthenticatedRequest
    serializer_class = KamCardSerializer
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return User.objects.none()
        return scorecards.visible_kams(user=self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter("department", int, description="A department's id"),
            OpenApiParameter("sort", str, description=", ".join(scorecards.SORT_KEYS)),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        user = self.request.user
        kam_filter = KamFilter(request.query_params, queryset=self.get_queryset(), user=user)
        if not kam_filter.is_valid():
            raise serializers.ValidationError(kam_filter.errors)
        cards = scorecards.sorted_cards(
            scorecards.kam_cards(user=user, kams=kam_filter.qs, period=kam_filter.cleaned.get("period")),
            kam_filter.cleaned.get("sort") or "name",
        )
        page = self.paginate_queryset(cards)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
