"""What every API endpoint shares: pagination, error format, the visibility-scoped viewset base."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import generics, permissions, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from accounts.models import Account

from .errors import StaleEditError


class Pagination(PageNumberPagination):
    """Pages of 50 by default; `page_size` from 1 to 500, anything else is a clear 400."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {"page_size": [f"Must be a whole number from 1 to {self.max_page_size}; got {raw!r}."]}
            )
        return int(raw)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Service errors (Django ValidationError) answer like serializer errors: field → messages."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        code = status.HTTP_409_CONFLICT if isinstance(exc, StaleEditError) else status.HTTP_400_BAD_REQUEST
        return Response(detail, status=code)
    return drf_exception_handler(exc, context)


class ReadOnlyForAnalysts(permissions.BasePermission):
    """Analysts read; every other role may write what it can see."""

    message = "Analysts have read-only access."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or not request.user.is_analyst


class VisibleToUserMixin(generics.GenericAPIView):
    """Scopes every viewset to what `request.user` may see: foreign objects are simply absent (404).

    Subclasses implement `visible_queryset(user)`, normally by calling their app's selector.
    """

    permission_classes = [ReadOnlyForAnalysts]

    def visible_queryset(self, user: Any) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.visible_queryset(self.request.user)


VERSION_HELP = "Send the version you read to have a stale update refused (409)."


class AccountScopedSerializer(serializers.ModelSerializer):
    """`account` is one the caller sees, chosen on create and fixed afterwards."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated and "account" in self.fields:
            visible = Account.objects.visible_to(request.user)
            account_field: Any = self.fields["account"]  # a related field; the stubs type it as Field
            account_field.queryset = visible
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True


class AccountScopedViewSet(VisibleToUserMixin, viewsets.ModelViewSet):
    """Create/update/delete through `<entity>_create(account=…)`, `_update(<entity>=…)`, `_delete`."""

    entity: str
    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    delete_service: Callable[..., Any]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        account = data.pop("account")
        created = type(self).create_service(account=account, by=self.request.user, data=data)
        serializer.instance = self.get_queryset().get(pk=created.pk)

    def _update_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        return {}

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        extra = self._update_kwargs(data)
        updated = type(self).update_service(
            **{self.entity: serializer.instance}, by=self.request.user, data=data, **extra
        )
        serializer.instance = self.get_queryset().get(pk=updated.pk)

    def perform_destroy(self, instance: Any) -> None:
        type(self).delete_service(**{self.entity: instance}, by=self.request.user)
