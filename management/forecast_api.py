"""GET /api/v1/management/forecast/: plan vs actual and the forecast to the period's end."""

from __future__ import annotations

from typing import cast

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from common.api import Pagination
from sales.plan_selectors import PlanRow, plan_rows

from .forms import PlanVsActualForm

FORECAST_LEVELS = ["account", "kam", "department", "product_line"]


class ForecastRowSerializer(serializers.Serializer):
    level = serializers.CharField()
    target_id = serializers.IntegerField()
    name = serializers.CharField(source="label")
    plan = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    actual_to_date = serializers.DecimalField(source="actual", max_digits=16, decimal_places=2)
    attainment_pct = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    forecast = serializers.DecimalField(
        source="forecast.value", max_digits=16, decimal_places=2, allow_null=True
    )
    forecast_method = serializers.CharField(source="forecast.method")
    forecast_note = serializers.CharField(source="method")
    share_reached_last_year = serializers.DecimalField(
        source="forecast.share_reached_last_year", max_digits=8, decimal_places=4, allow_null=True
    )
    product_line = serializers.CharField()
    url = serializers.CharField()


class ForecastSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    level = serializers.CharField()
    period = serializers.CharField()
    today = serializers.DateField()
    results = ForecastRowSerializer(many=True)


class ForecastView(APIView):
    """Plan, actual to date, attainment and the forecast to the period's end per target the caller
    sees (a KAM gets no department rows: nothing computed over accounts they cannot see)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("level", str, enum=FORECAST_LEVELS, description="Default: account"),
            OpenApiParameter("period", str, description="2026, 2026Q4 or 2026-11 (default: this quarter)"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="1 to 500 (default 50)"),
        ],
        responses={200: ForecastSerializer},
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        user = cast(User, request.user)  # IsAuthenticated lets only signed-in users through
        form = PlanVsActualForm(request.query_params, today=today, user=user)
        if not form.is_valid():
            errors = {name: [str(text) for text in texts] for name, texts in form.errors.items()}
            raise serializers.ValidationError(errors)
        level, period = form.chosen("account")
        rows: list[PlanRow] = plan_rows(user=user, level=level, period=period, today=today)
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        response = paginator.get_paginated_response(ForecastRowSerializer(page, many=True).data)
        response.data = {**response.data, "level": level, "period": period.label, "today": today}
        return response
