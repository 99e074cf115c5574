"""API v1 for the sales plans: CRUD over the plans the caller sees, and the file import."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Account, Department, User
from common.api import AuthenticatedRequest, VisibleToUserMixin, limit_choices

from . import plan_import, plan_services
from .filters import SalesPlanFilter
from .models import ProductLine, SalesPlan
from .periods import Period, parse
from .plan_scope import accounts_in_scope, can_edit_plans, departments_in_scope, kams_in_scope, plan_queryset

VERSION_HELP = "The version you read: a write on an older one is refused with 409 (optimistic lock)."


class CanEditPlans(permissions.BasePermission):
    message = gettext_lazy("Sales plans are set by department heads and admins.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(view, "action", None) in ("create", "import_file"):
            return can_edit_plans(request.user)
        return True  # a plan's own page: 404 first for a plan the user cannot see, then 403

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        return request.method in permissions.SAFE_METHODS or can_edit_plans(request.user)


class PeriodSerializerField(serializers.CharField):
    """A period as 2026, 2026Q3 or 2026-07."""

    def to_internal_value(self, data: Any) -> Period:  # type: ignore[override]
        try:
            period = parse(str(super().to_internal_value(data)))
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error
        if period.kind not in SalesPlan.PeriodKind.values:
            raise serializers.ValidationError(_("Plans are per month, quarter or year."))
        return period

    def to_representation(self, value: Any) -> str:
        return value.label


class SalesPlanSerializer(serializers.ModelSerializer):
    period = PeriodSerializerField(help_text="2026, 2026Q3 or 2026-07")
    account = serializers.PrimaryKeyRelatedField(
        queryset=Account.objects.none(), required=False, allow_null=True
    )
    kam = serializers.PrimaryKeyRelatedField(queryset=User.objects.none(), required=False, allow_null=True)
    department = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.none(), required=False, allow_null=True
    )
    product_line: serializers.SlugRelatedField[ProductLine] = serializers.SlugRelatedField(
        slug_field="code", queryset=ProductLine.objects.all(), required=False, allow_null=True
    )
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)

    class Meta:
        model = SalesPlan
        fields = ["id", "period", "period_kind", "period_start", "account", "kam", "department",
                  "product_line", "amount", "note", "version", "updated_at"]  # fmt: skip
        read_only_fields = ["period_kind", "period_start", "updated_at"]
        validators: list[Any] = []  # the service checks the target and uniqueness

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            limit_choices(self, "account", accounts_in_scope(request.user))
            limit_choices(self, "kam", kams_in_scope(request.user))
            limit_choices(self, "department", departments_in_scope(request.user))

    def to_representation(self, instance: SalesPlan) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["period"] = instance.period.label
        return data


class SalesPlanImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV or XLSX: period, account_external_id | kam | department, "
                                 "product_line (optional), amount, note (optional)")  # fmt: skip
    mapping = serializers.DictField(child=serializers.CharField(), required=False, default=dict)
    encoding = serializers.CharField(required=False, default="utf-8")
    delimiter = serializers.ChoiceField(choices=["", ",", ";", "\t"], required=False, default="")


class SalesPlanImportReportSerializer(serializers.Serializer):
    # `errors` would shadow `Serializer.errors`, hence `get_fields`.
    def get_fields(self) -> dict[str, serializers.Field]:
        counts = {name: serializers.IntegerField() for name in ("rows", "created", "updated", "unchanged")}
        return {**counts, "refused": serializers.BooleanField(),
                "errors": serializers.ListField(child=serializers.DictField())}  # fmt: skip


class SalesPlanViewSet(VisibleToUserMixin, viewsets.ModelViewSet):
    """Sales plans of the accounts, KAMs and departments the caller sees; heads and admins write."""

    serializer_class = SalesPlanSerializer
    filterset_class = SalesPlanFilter
    permission_classes = [CanEditPlans]
    queryset = SalesPlan.objects.none()

    def visible_queryset(self, user: User):
        return plan_queryset(user=user).order_by("-period_start", "period_kind", "pk")

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = plan_services.plan_create(by=self.request.user, **data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        serializer.instance = plan_services.plan_update(
            plan=cast(SalesPlan, serializer.instance), by=self.request.user, data=data, version=version
        )

    def perform_destroy(self, instance: SalesPlan) -> None:
        plan_services.plan_delete(plan=instance, by=self.request.user)

    def get_parsers(self):
        if getattr(self, "action", None) == "import_file":
            return [parsers.MultiPartParser(), parsers.FormParser()]
        return super().get_parsers()

    @extend_schema(
        request=SalesPlanImportSerializer,
        responses={
            200: SalesPlanImportReportSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, "Refused: the report lists row, column, value, reason"),
        },
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import")
    def import_file(self, request: AuthenticatedRequest) -> Response:
        """Upsert plans from a file, all or nothing; the same file twice changes nothing."""
        payload = SalesPlanImportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        options = dict(payload.validated_data)
        upload = options.pop("file")
        try:
            report = plan_import.plans_import(by=request.user, upload=upload, options=options)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        code = status.HTTP_400_BAD_REQUEST if report.refused else status.HTTP_200_OK
        return Response(report.as_dict(), status=code)
