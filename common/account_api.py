"""The API base of everything that belongs to an account: the account is one the caller sees."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from rest_framework import serializers, viewsets

from accounts.models import Account

from .api import VisibleToUserMixin, limit_choices

VERSION_HELP = "Send the version you read to have a stale update refused (409)."


class AccountScopedSerializer(serializers.ModelSerializer):
    """`account` is one the caller sees, chosen on create and fixed afterwards."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated and "account" in self.fields:
            limit_choices(self, "account", Account.objects.visible_to(request.user))
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["account"].read_only = True


def _author(service: Callable[..., Any], user: Any) -> dict[str, Any]:
    """`by=user` for a service that records its author; a service that records none does not take it."""
    return {"by": user} if "by" in inspect.signature(service).parameters else {}


class AccountScopedViewSet(VisibleToUserMixin, viewsets.ModelViewSet):
    """Create/update/delete through `<entity>_create(account=…)`, `_update(<entity>=…)`, `_delete`;
    the serializer's fields are the services' keyword arguments."""

    entity: str
    create_service: Callable[..., Any]
    update_service: Callable[..., Any]
    delete_service: Callable[..., Any]

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("version", None)
        account = data.pop("account")
        service = type(self).create_service
        created = service(account=account, **_author(service, self.request.user), **data)
        serializer.instance = self.get_queryset().get(pk=created.pk)

    def _update_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        return {}

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        data = dict(serializer.validated_data)
        extra = self._update_kwargs(data)
        service = type(self).update_service
        updated = service(
            **{self.entity: serializer.instance}, **_author(service, self.request.user), **extra, **data
        )
        serializer.instance = self.get_queryset().get(pk=updated.pk)

    def perform_destroy(self, instance: Any) -> None:
        service = type(self).delete_service
        service(**{self.entity: instance}, **_author(service, self.request.user))
