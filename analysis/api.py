"""API v1 for the segmentation: runs (list, detail, start), segments, the ABC-XYZ matrix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Account, User
from common.api import AuthenticatedRequest, VisibleToUserMixin
from common.calendar import last_day_of_previous_month
from sales.selectors import ledger_first_date

from . import scopes, selectors, services
from .engine import Policy
from .engine.policy import BASES, KEY_ACCOUNT_RULES, XYZ_METHODS
from .filters import RunFilter, SegmentFilter
from .models import AccountSegment, AnalysisRun
from .tasks import execute_run


class AnalysisRunSerializer(serializers.ModelSerializer):
    duration_seconds = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = AnalysisRun
        fields = [
            "id",
            "as_of",
            "window_first",
            "status",
            "trigger",
            "policy_values",
            "created_at",
            "started_at",
            "finished_at",
            "duration_seconds",
            "attempts",
            "input_hash",
            "result_hash",
            "account_count",
            "churn_model",
            "error",
        ]
        read_only_fields = fields


class StartRunSerializer(serializers.Serializer):
    as_of = serializers.DateField(
        required=False, help_text=gettext_lazy("Default: the last day of the previous month.")
    )
    window_months = serializers.IntegerField(required=False, min_value=1, max_value=120)
    basis = serializers.ChoiceField(choices=BASES, required=False)
    abc_a = serializers.DecimalField(max_digits=5, decimal_places=4, required=False)
    abc_b = serializers.DecimalField(max_digits=5, decimal_places=4, required=False)
    xyz_method = serializers.ChoiceField(choices=XYZ_METHODS, required=False)
    xyz_x = serializers.DecimalField(max_digits=6, decimal_places=4, required=False)
    xyz_y = serializers.DecimalField(max_digits=6, decimal_places=4, required=False)
    min_months = serializers.IntegerField(required=False, min_value=1)
    key_accounts = serializers.ChoiceField(choices=KEY_ACCOUNT_RULES, required=False)

    def validate_as_of(self, value: dt.date) -> dt.date:
        if value > dt.date.today():
            raise serializers.ValidationError(_("The as-of date cannot be in the future."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """A run needs at least one sales line dated on or before its as-of date."""
        as_of = attrs.get("as_of") or last_day_of_previous_month(timezone.localdate())
        first = ledger_first_date()
        if first is None:
            raise serializers.ValidationError({"as_of": [_("The ledger is empty: import sales first.")]})
        if as_of < first:
            raise serializers.ValidationError(
                {
                    "as_of": [
                        _("No sales on or before %(as_of)s: the ledger starts on %(first)s.")
                        % {"as_of": as_of.isoformat(), "first": first.isoformat()}  # the API speaks ISO dates
                    ]
                }
            )
        return attrs


class RunsPermission(permissions.BasePermission):
    message = gettext_lazy("Department heads and admins start analysis runs.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or user.is_head or user.is_admin_role


class AnalysisRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Segmentation runs. POST starts one (asynchronously) and returns it; poll its status."""

    serializer_class = AnalysisRunSerializer
    permission_classes = [RunsPermission]
    filterset_class = RunFilter
    queryset = AnalysisRun.objects.none()

    def get_queryset(self):
        return selectors.run_queryset().order_by("-created_at", "-pk")

    @extend_schema(request=StartRunSerializer, responses={202: AnalysisRunSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not isinstance(request.user, User):  # RunsPermission lets only signed-in users through
            raise NotAuthenticated
        start = StartRunSerializer(data=request.data)
        start.is_valid(raise_exception=True)
        overrides = dict(start.validated_data)
        as_of = overrides.pop("as_of", None)
        if overrides.get("xyz_method") == "frequency":
            defaults = Policy.for_method("frequency")
            overrides.setdefault("xyz_x", defaults.xyz_x)
            overrides.setdefault("xyz_y", defaults.xyz_y)
        try:
            run = services.run_create(by=request.user, as_of=as_of, overrides=overrides, trigger="api")
        except ValidationError as error:
            return Response({"policy": error.messages}, status=status.HTTP_400_BAD_REQUEST)
        transaction.on_commit(lambda: execute_run.delay(run.pk))
        run.refresh_from_db()  # eager Celery (no broker configured) has already run it
        return Response(AnalysisRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class SegmentSerializer(serializers.ModelSerializer):
    account_external_id = serializers.CharField(source="account.external_id", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    buying_status = serializers.ChoiceField(
        source="account.status",
        choices=Account.Status.choices,
        read_only=True,
        help_text="The account's buying status now (churn_status is this run's rhythm status).",
    )

    class Meta:
        model = AccountSegment
        fields = [
            "run",
            "account",
            "account_external_id",
            "account_name",
            "rank",
            "abc_class",
            "xyz_class",
            "value",
            "share",
            "cum_share",
            "cv",
            "months",
            "monthly_mean",
            "monthly_std",
            "months_with_purchase",
            "orders",
            "purchase_dates",
            "months_active",
            "first_purchase",
            "last_purchase",
            "days_since_last_purchase",
            "median_interval_days",
            "churn_status",
            "buying_status",
            "churn_score",
            "churn_drivers",
        ]
        read_only_fields = fields


RUN_PARAMETER = OpenApiParameter("run", str, description="A complete run's id, or 'latest' (the default).")


@extend_schema(parameters=[RUN_PARAMETER])
class SegmentViewSet(VisibleToUserMixin, viewsets.ReadOnlyModelViewSet):
    """The segments of one complete run (`?run=ID|latest`), for the accounts the caller may see."""

    serializer_class = SegmentSerializer
    filterset_class = SegmentFilter
    queryset = AccountSegment.objects.none()
    lookup_field = "account"

    def visible_queryset(self, user):
        self.run = selectors.run_get(ref=self.request.query_params.get("run"))
        return selectors.segment_queryset(user=user, run=self.run).order_by("rank")

    # rank, share and cum_share over what the caller sees, never the company's figures: read from
    # the ranks kept for the run and the caller's scope, as the segment list page reads them
    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else self._visible_figures(page)

    def get_object(self):
        return self._visible_figures([super().get_object()])[0]

    def _visible_figures(self, segments: list[AccountSegment]) -> list[AccountSegment]:
        return scopes.with_visible_figures(user=self.request.user, run=self.run, segments=segments)


class MatrixCellSerializer(serializers.Serializer):
    xyz_class = serializers.CharField()
    count = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    share = serializers.FloatField(help_text=gettext_lazy("Of the visible accounts' total value"))


class MatrixRowSerializer(serializers.Serializer):
    abc_class = serializers.CharField()
    count = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    cells = MatrixCellSerializer(many=True)


class ConcentrationSerializer(serializers.Serializer):
    key_share = serializers.FloatField(help_text=gettext_lazy("Share of sales held by the key accounts"))
    band = serializers.CharField()
    mono_dependency = serializers.BooleanField()
    top1_share = serializers.FloatField()
    top5_share = serializers.FloatField()
    hhi = serializers.FloatField(help_text="Herfindahl-Hirschman index, 0 to 10,000")
    key_accounts = serializers.IntegerField()
    accounts = serializers.IntegerField()


class MatrixSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    as_of = serializers.DateField()
    accounts = serializers.IntegerField(help_text=gettext_lazy("Visible accounts in the run"))
    total_value = serializers.DecimalField(max_digits=16, decimal_places=2)
    rows = MatrixRowSerializer(many=True)
    concentration = ConcentrationSerializer()


class MatrixView(APIView):
    """The ABC x XYZ matrix of a complete run over the accounts the caller may see."""

    @extend_schema(parameters=[RUN_PARAMETER], responses={200: MatrixSerializer})
    def get(self, request: AuthenticatedRequest) -> Response:
        run = selectors.run_get(ref=request.query_params.get("run"))
        rows = selectors.segment_rows(user=request.user, run=run)
        data = selectors.matrix(user=request.user, run=run, rows=rows)
        return Response(
            {
                "run": run.pk,
                "as_of": run.as_of,
                "accounts": data["accounts"],
                "total_value": f"{data['total']:.2f}",
                "rows": [
                    {
                        "abc_class": row["abc_class"],
                        "count": row["count"],
                        "value": f"{row['value']:.2f}",
                        "cells": [
                            {
                                "xyz_class": c["xyz_class"],
                                "count": c["count"],
                                "value": f"{c['value']:.2f}",
                                "share": round(c["share"], 6),
                            }
                            for c in row["cells"]
                        ],
                    }
                    for row in data["rows"]
                ],
                "concentration": selectors.concentration(user=request.user, run=run, rows=rows),
            }
        )
