"""GET /api/v1/proposals/stats/: the proposal statistics over the proposals the caller sees."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import AuthenticatedRequest

from .stats import proposal_stats, stats_filter


class StatsRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="The KAM's user id, the ABC class or the product line code (“—”: none)"
    )
    proposals = serializers.IntegerField(help_text="Decided proposals: won + lost")
    won = serializers.IntegerField()
    lost = serializers.IntegerField()
    win_rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="% of the decided proposals won"
    )
    average_discount = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="% of the decided proposals' value before discounts, weighted by value",
    )
    days_to_decision = serializers.DecimalField(
        max_digits=7, decimal_places=1, allow_null=True, help_text="Median days from sent to won or lost"
    )
    expired = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    open = serializers.IntegerField(help_text="Draft to negotiation")
    won_value = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Total of the won ones")
    open_value = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Total of the open ones: the pipeline"
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # `label` is also an attribute of every DRF field, so it is added here, after `key`.
        fields = super().get_fields()
        label = serializers.CharField(help_text="The KAM's name, the class or the product line's name")
        return {"key": fields.pop("key"), "label": label, **fields}


class ProposalStatsSerializer(serializers.Serializer):
    total = StatsRowSerializer()
    by_kam = StatsRowSerializer(many=True, help_text="By author")
    by_abc_class = StatsRowSerializer(
        many=True, help_text="By the account's class in the latest complete analysis run"
    )
    by_product_line = StatsRowSerializer(
        many=True, help_text="A proposal counts under each product line of its lines, with those lines' value"
    )


PERIOD = [
    OpenApiParameter(
        "decided_from", str, description="YYYY-MM-DD: decided on or after (open proposals always count)"
    ),
    OpenApiParameter("decided_until", str, description="YYYY-MM-DD: decided on or before"),
]


class ProposalStatsView(APIView):
    """Win rate, average discount and days to decision per KAM, ABC class and product line."""

    request: AuthenticatedRequest

    @extend_schema(parameters=PERIOD, responses={200: ProposalStatsSerializer})
    def get(self, request: AuthenticatedRequest) -> Response:
        period = stats_filter(user=request.user, filters=request.query_params)
        if period.errors:
            raise serializers.ValidationError(period.errors)
        figures = proposal_stats(user=request.user, proposals=period.rows)
        return Response(ProposalStatsSerializer(figures).data)
