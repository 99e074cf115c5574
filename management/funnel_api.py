"""GET /api/v1/prospect-funnel/: the funnel of the page, with the same filters."""

from __future__ import annotations

from typing import cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User

from .funnel import prospect_funnel


class StageSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    at_stage = serializers.IntegerField(help_text="Accounts standing at this stage now")
    reached = serializers.IntegerField(help_text="Accounts at this stage or past it")
    conversion_percent = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="Reached, over the previous stage's"
    )
    median_days = serializers.FloatField(allow_null=True, help_text="From entering the previous stage")


class FunnelSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    stages = StageSerializer(many=True)


class ProspectFunnelView(APIView):
    """The prospect funnel over the accounts the caller sees (filters: source, owner, period)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("source", int, description="Lead source id"),
            OpenApiParameter("owner", int, description="Owner (KAM) user id"),
            OpenApiParameter("period", str, description="Accounts created in 2026, 2026Q3 or 2026-07"),
        ],
        responses={200: FunnelSerializer},
    )
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)  # IsAuthenticated lets only signed-in users through
        funnel = prospect_funnel(user=user, filters=request.query_params)
        if funnel.filter.is_bound and not funnel.filter.is_valid():
            errors = {name: [str(text) for text in texts] for name, texts in funnel.filter.errors.items()}
            raise serializers.ValidationError(errors)
        return Response(FunnelSerializer(funnel).data)
