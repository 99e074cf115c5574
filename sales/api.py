"""API v1 for the ledger: imports (file and JSON), sales lines, product lines."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from common.api import AuthenticatedRequest, VisibleToUserMixin

from . import permissions as sales_permissions
from . import selectors, services, sync
from .filters import ImportBatchFilter, SalesLineFilter
from .importing.sources import CANONICAL_COLUMNS, text_encoding
from .models import ImportBatch, ProductLine, SalesLine
from .tasks import run_import


class ImportBatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "source",
            "file_name",
            "sha256",
            "status",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "options",
            "rows",
            "inserted",
            "duplicates",
            "rejected",
            "accounts_created",
            "message",
            "error_count",
            "errors",
            "rolled_back_at",
        ]
        read_only_fields = fields


class ImportOptionsSerializer(serializers.Serializer):
    mapping = serializers.DictField(child=serializers.CharField(), required=False, default=dict)
    date_format = serializers.CharField(required=False, allow_blank=True, default="")
    encoding = serializers.CharField(required=False, default="utf-8")
    delimiter = serializers.ChoiceField(choices=["", ",", ";", "\t"], required=False, default="")
    skip_invalid = serializers.BooleanField(required=False, default=False)
    create_accounts = serializers.BooleanField(required=False, default=True)
    force = serializers.BooleanField(required=False, default=False)
    dry_run = serializers.BooleanField(required=False, default=False)

    def validate_encoding(self, value: str) -> str:
        try:
            text_encoding(value)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from error
        return value.strip() or "utf-8"

    def validate_mapping(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(CANONICAL_COLUMNS))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown fields %(unknown)s; the fields are %(known)s.")
                % {"unknown": ", ".join(unknown), "known": ", ".join(CANONICAL_COLUMNS)}
            )
        return value


class ImportUploadSerializer(ImportOptionsSerializer):
    file = serializers.FileField()


class BulkLinesSerializer(serializers.Serializer):
    lines = serializers.ListField(
        child=serializers.DictField(), allow_empty=False, max_length=services.MAX_BULK_LINES
    )
    options = ImportOptionsSerializer(required=False)


class SyncLinesSerializer(serializers.Serializer):
    lines = serializers.ListField(
        child=serializers.DictField(), allow_empty=False, max_length=services.MAX_BULK_LINES
    )


class SyncReportSerializer(ImportBatchSerializer):
    """The import batch of a sync request, with what happened to its lines (for the schema)."""

    updated = serializers.IntegerField(read_only=True)
    deleted = serializers.IntegerField(read_only=True)
    unchanged = serializers.IntegerField(read_only=True)

    class Meta(ImportBatchSerializer.Meta):
        fields = [*ImportBatchSerializer.Meta.fields, "updated", "deleted", "unchanged"]
        read_only_fields = fields


class CanImport(permissions.BasePermission):
    message = gettext_lazy("Imports are run by department heads and admins.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return sales_permissions.can_view_imports(user)
        if getattr(view, "action", None) == "rollback":
            return sales_permissions.can_rollback(user)
        return sales_permissions.can_import(user)


class ImportBatchViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Ledger imports. POST a file to import it (asynchronously: poll the returned batch)."""

    request: AuthenticatedRequest  # CanImport lets only signed-in users through
    serializer_class = ImportBatchSerializer
    permission_classes = [CanImport]
    filterset_class = ImportBatchFilter
    queryset = ImportBatch.objects.none()

    def get_queryset(self):
        return selectors.batch_queryset(user=self.request.user)

    def get_parsers(self):
        if getattr(self, "action", None) == "create":
            return [parsers.MultiPartParser(), parsers.FormParser()]
        return super().get_parsers()

    @extend_schema(
        request=ImportUploadSerializer,
        responses={
            202: ImportBatchSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                "Refused: the import batch with its report (the file cannot be read), or the "
                "request's field errors",
            ),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not isinstance(request.user, User):  # CanImport lets only signed-in users through
            raise NotAuthenticated
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        options = dict(upload.validated_data)
        file = options.pop("file")
        batch = services.import_batch_create(
            by=request.user, source=ImportBatch.Source.API_FILE, upload=file, options=options
        )
        batch = services.import_batch_check(batch=batch)
        if batch.status == ImportBatch.Status.REFUSED:
            return Response(ImportBatchSerializer(batch).data, status=status.HTTP_400_BAD_REQUEST)
        transaction.on_commit(lambda: run_import.delay(batch.pk))
        batch.refresh_from_db()  # eager Celery (no broker configured) has already run it
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={200: ImportBatchSerializer})
    @action(detail=True, methods=["post"])
    def rollback(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        batch = services.import_batch_rollback(batch=self.get_object(), by=request.user)
        return Response(ImportBatchSerializer(batch).data)


class SalesLineSerializer(serializers.ModelSerializer):
    product_line: serializers.SlugRelatedField[ProductLine] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = SalesLine
        fields = [
            "id",
            "account",
            "date",
            "amount",
            "quantity",
            "margin",
            "product_line",
            "sku",
            "external_id",
            "batch",
        ]
        read_only_fields = fields


class SalesLineViewSet(VisibleToUserMixin, viewsets.ReadOnlyModelViewSet):
    """Ledger lines of the accounts the caller may see."""

    serializer_class = SalesLineSerializer
    filterset_class = SalesLineFilter
    queryset = SalesLine.objects.none()

    def visible_queryset(self, user):
        return selectors.sales_line_queryset(user=user).order_by("-date", "-pk")

    @extend_schema(
        request=BulkLinesSerializer,
        responses={
            201: ImportBatchSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                "Refused: the import batch with its report, or the request's field errors",
            ),
        },
    )
    @action(detail=False, methods=["post"], permission_classes=[CanImport])
    def bulk(self, request: AuthenticatedRequest) -> Response:
        """Import up to 10,000 lines given as JSON objects, with the same rules as a file."""
        payload = BulkLinesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        batch = services.sales_lines_bulk_import(
            by=request.user,
            lines=payload.validated_data["lines"],
            options=payload.validated_data.get("options"),
        )
        ok = batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.CHECKED)
        return Response(
            ImportBatchSerializer(batch).data,
            status=status.HTTP_201_CREATED if ok else status.HTTP_400_BAD_REQUEST,
        )

    @extend_schema(
        request=SyncLinesSerializer,
        responses={
            200: SyncReportSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                "Refused, nothing written: the import batch with its report, or the request's field errors",
            ),
        },
    )
    @action(detail=False, methods=["put"], permission_classes=[CanImport])
    def sync(self, request: AuthenticatedRequest) -> Response:
        """Insert, correct or delete up to 10,000 lines by line id, keeping the newest version of each.

        Every line carries `line_external_id` and `updated_at` (when the source last changed it); an
        older or equal `updated_at` than the stored one is ignored, `"deleted": true` removes the line.
        """
        payload = SyncLinesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = sync.sales_lines_sync(by=request.user, lines=payload.validated_data["lines"])
        report = {
            **ImportBatchSerializer(result.batch).data,
            "updated": result.updated,
            "deleted": result.deleted,
            "unchanged": result.unchanged,
        }
        ok = result.batch.status == ImportBatch.Status.DONE
        return Response(report, status=status.HTTP_200_OK if ok else status.HTTP_400_BAD_REQUEST)


class ProductLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductLine
        fields = ["id", "code", "name"]


class ProductLineViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProductLineSerializer
    queryset = ProductLine.objects.all()
