"""GET /api/v1/accounts/{id}/white-space/: the group's cross-sell matrix, the same figures as the page."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Account, User
from sales.white_space import WhiteSpace, white_space


class WhiteSpaceLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()


class WhiteSpaceOpportunitySerializer(serializers.Serializer):
    product_line = serializers.IntegerField(source="product_line.pk")
    prize = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text="Median of the sisters that buy it"
    )
    buyers = serializers.IntegerField(help_text="The sister companies the median is taken over")


class WhiteSpaceMemberSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account.pk")
    name = serializers.CharField(source="account.name")
    parent_account = serializers.IntegerField(source="account.parent_id", allow_null=True)
    depth = serializers.IntegerField()
    revenue = serializers.DictField(
        source="cells",
        child=serializers.DecimalField(max_digits=16, decimal_places=2),
        help_text="Product line id -> revenue over the window (absent: none)",
    )
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    opportunities = serializers.SerializerMethodField()

    def get_opportunities(self, member: Any) -> list[dict[str, Any]]:
        return WhiteSpaceOpportunitySerializer(list(member.opportunities.values()), many=True).data  # type: ignore[return-value]


class WhiteSpaceSerializer(serializers.Serializer):
    top = serializers.IntegerField(
        source="top.pk", allow_null=True, default=None, help_text="Null when not visible"
    )
    first_month = serializers.DateField()
    last_month = serializers.DateField()
    opportunity_rule = serializers.SerializerMethodField()
    product_lines = WhiteSpaceLineSerializer(many=True)
    members = WhiteSpaceMemberSerializer(many=True)
    line_totals = serializers.SerializerMethodField()
    total = serializers.DecimalField(max_digits=16, decimal_places=2)

    def get_opportunity_rule(self, space: WhiteSpace) -> str:
        return "median 12 months' revenue in the line of the visible sister companies that buy it"

    def get_line_totals(self, space: WhiteSpace) -> dict[str, str]:
        return {str(line.pk): f"{space.line_total(line.pk):.2f}" for line in space.product_lines}


class WhiteSpaceView(APIView):
    """The account's whole group (from its top) as the user sees it: revenue per member and product line
    over the 12 complete months to the end of last month, and the cross-sell opportunities."""

    @extend_schema(responses={200: WhiteSpaceSerializer})
    def get(self, request: Request, pk: int) -> Response:
        user: User = request.user  # type: ignore[assignment]
        account = get_object_or_404(Account.objects.visible_to(user), pk=pk)
        return Response(WhiteSpaceSerializer(white_space(user=user, account=account)).data)
