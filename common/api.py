"""What every API endpoint shares: pagination, error format, the visibility-scoped viewset base."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import StaleEditError
from .filters import NOT_A_NUMBER
from .numbers import whole_number
from .pagination import KeysFirstPaginator
from .replica import replica_reads_begin, replica_reads_end

if TYPE_CHECKING:
    from rest_framework import generics
    from rest_framework.permissions import _PermissionClass

    from accounts.models import User


class Pagination(PageNumberPagination):
    """Pages of 50 by default; `page_size` from 1 to 500 and `page` a whole number (or `last`),
    anything else is a clear 400."""

    page_size = 50
    page_size_query_param = "page_size"
    django_paginator_class = KeysFirstPaginator
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = whole_number(raw, minimum=1, maximum=self.max_page_size)
        if size is None:
            raise ValidationError(
                {
                    "page_size": [
                        _("Must be a whole number from 1 to %(max)s; got %(raw)s.")
                        % {"max": self.max_page_size, "raw": repr(raw)}
                    ]
                }
            )
        return size

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        raw = request.query_params.get(self.page_query_param)
        if raw is None or raw in self.last_page_strings:
            return raw or 1
        number = whole_number(raw, minimum=1)  # page 0 would be a 404 "invalid page": it is bad input
        if number is None:
            message = _("%(rule)s Pages start at 1. Got %(raw)s.") % {"rule": NOT_A_NUMBER, "raw": repr(raw)}
            raise ValidationError({self.page_query_param: [message]})
        return number


class AuthenticatedRequest(Request):
    """The request of an endpoint that `ReadOnlyForAnalysts` let through: a signed-in `User`."""

    user: User


def limit_choices(serializer: serializers.Serializer, name: str, queryset: QuerySet) -> None:
    """Only `queryset`'s rows are valid values of the related field `name` (one or many)."""
    field = serializer.fields[name]
    related = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
    if not isinstance(related, serializers.RelatedField):
        raise TypeError(f"{type(serializer).__name__}.{name} is not a related field.")
    # django-stubs read the assignment through Manager.__get__ (queryset may be a Manager).
    related.queryset = queryset  # type: ignore[arg-type]


class TokenAuthenticationScheme(KnoxTokenScheme):
    """The schema describes kam's token check as knox's own token scheme."""

    target_class = "common.api_input.TokenAuthentication"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Service errors (Django ValidationError) answer like serializer errors: field → messages."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        code = status.HTTP_409_CONFLICT if isinstance(exc, StaleEditError) else status.HTTP_400_BAD_REQUEST
        return Response(detail, status=code)
    return drf_exception_handler(exc, context)


class ReadOnlyForAnalysts(permissions.BasePermission):
    """Analysts read; every other role may write what it can see."""

    message = gettext_lazy("Analysts have read-only access.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        return request.method in permissions.SAFE_METHODS or not request.user.is_analyst


# Typed as the generic view it is mixed into; at run time a plain class (DRF's generics import this
# module for the pagination setting, so subclassing them here would be circular).
if TYPE_CHECKING:
    _ViewBase = generics.GenericAPIView
else:
    _ViewBase = object


class VisibleToUserMixin(_ViewBase):
    """Scopes every viewset to what `request.user` may see: foreign objects are simply absent (404).

    Subclasses implement `visible_queryset(user)`, normally by calling their app's selector.
    """

    permission_classes: Sequence[_PermissionClass] = [ReadOnlyForAnalysts]
    request: AuthenticatedRequest

    def visible_queryset(self, user: User) -> QuerySet:
        raise NotImplementedError

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authenticated and permitted from here on
        # A list may come from the read replica, unless this user wrote lately (common/replica.py).
        listing = getattr(self, "action", None) == "list"
        self._replica_reads = replica_reads_begin(request.user) if listing else None

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        replica_reads_end(getattr(self, "_replica_reads", None))
        self._replica_reads = None
        return super().finalize_response(request, response, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        return self.visible_queryset(self.request.user)
