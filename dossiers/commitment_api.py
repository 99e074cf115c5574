"""API v1 of the commitments register: `/api/v1/commitments/`, with `kept/` and `broken/` actions."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Contact, User
from common.account_api import VERSION_HELP, AccountScopedSerializer, AccountScopedViewSet
from common.api import AuthenticatedRequest, limit_choices

from . import services
from .commitment_selectors import commitment_queryset
from .filters import CommitmentFilter
from .models import Commitment, Interaction


class CommitmentSerializer(AccountScopedSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), required=False, help_text="Who keeps it (default: the caller)."
    )

    class Meta:
        model = Commitment
        fields = [
            "id",
            "account",
            "what",
            "contact",
            "due_on",
            "owner",
            "interaction",
            "status",
            "kept_on",
            "broken_on",
            "note",
            "version",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "kept_on", "broken_on", "created_by", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            # The service checks that they belong to the account; these only hide the invisible ones.
            limit_choices(self, "contact", Contact.objects.visible_to(request.user))
            limit_choices(self, "interaction", Interaction.objects.visible_to(request.user))
            limit_choices(self, "owner", User.objects.filter(is_active=True))


class ClosingSerializer(serializers.Serializer):
    """The body of `kept/` and `broken/`: a note (required to break a promise) and the version read."""

    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class CommitmentViewSet(AccountScopedViewSet):
    """Promises made to clients on the visible accounts. A stale `version` on update, `kept/` or
    `broken/` is refused (409)."""

    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    queryset = Commitment.objects.none()
    entity = "commitment"
    create_service = services.commitment_create
    update_service = services.commitment_update
    delete_service = services.commitment_delete

    def visible_queryset(self, user: User):
        return commitment_queryset(user=user).order_by("due_on", "pk")

    def _update_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"version": data.pop("version", None)}

    def _closing(self, request: AuthenticatedRequest) -> dict[str, Any]:
        body = ClosingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return {"note": body.validated_data["note"], "version": body.validated_data.get("version")}

    @action(detail=True, methods=["post"], serializer_class=CommitmentSerializer)
    def kept(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Mark the promise kept today."""
        closing = self._closing(request)
        commitment = services.commitment_keep(commitment=self.get_object(), by=request.user, **closing)
        return Response(self.get_serializer(self.get_queryset().get(pk=commitment.pk)).data)

    @action(detail=True, methods=["post"], serializer_class=CommitmentSerializer)
    def broken(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Mark the promise broken today; `note` says why (required)."""
        closing = self._closing(request)
        commitment = services.commitment_break(commitment=self.get_object(), by=request.user, **closing)
        return Response(self.get_serializer(self.get_queryset().get(pk=commitment.pk)).data)
