"""API v1 for the strategic clients' service plans: `/api/v1/service-plans/`, with what was logged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from accounts.models import User
from common.account_api import VERSION_HELP, AccountScopedSerializer, AccountScopedViewSet

from . import services
from .filters import ServicePlanFilter
from .models import ServicePlan
from .service_plan_selectors import elapsed_share, service_plan_queryset

SHARE = Decimal("0.0001")
LOGGED_HELP = "Logged in the plan's year: visits count visits and meetings, reviews business reviews."


class ServicePlanSerializer(AccountScopedSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    logged_visits = serializers.IntegerField(read_only=True, help_text=LOGGED_HELP)
    logged_calls = serializers.IntegerField(read_only=True)
    logged_reviews = serializers.IntegerField(read_only=True)
    logged_spend = serializers.DecimalField(
        max_digits=14, decimal_places=2, read_only=True, help_text="Value of gifts, cards and hospitality."
    )
    elapsed_share = serializers.SerializerMethodField(
        help_text="Share of the plan's year gone by today (0-1): the pace expected is the plan times this."
    )

    class Meta:
        model = ServicePlan
        fields = [
            "id",
            "account",
            "year",
            "visits",
            "calls",
            "reviews",
            "budget",
            "note",
            "logged_visits",
            "logged_calls",
            "logged_reviews",
            "logged_spend",
            "elapsed_share",
            "version",
            "updated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["updated_by", "created_at", "updated_at"]
        validators: list[Any] = []  # one plan per account and year: checked by the service

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["year"].read_only = True  # a plan stays the plan of its year

    def get_elapsed_share(self, plan: ServicePlan) -> str:
        return str(elapsed_share(plan.year, timezone.localdate()).quantize(SHARE))


class ServicePlanViewSet(AccountScopedViewSet):
    """Yearly contact plans of the visible accounts, set against the interactions logged that year.
    A stale `version` on update is refused (409)."""

    serializer_class = ServicePlanSerializer
    filterset_class = ServicePlanFilter
    queryset = ServicePlan.objects.none()
    entity = "plan"
    create_service = services.service_plan_create
    update_service = services.service_plan_update
    delete_service = services.service_plan_delete

    def visible_queryset(self, user: User):
        return service_plan_queryset(user=user).order_by("account_id", "-year", "pk")

    def _update_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"version": data.pop("version", None)}
