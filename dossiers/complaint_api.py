"""API v1 of the complaint cases: CRUD on the visible accounts' cases and their transition action."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import Account, Contact, User
from common.account_api import VERSION_HELP, AccountScopedSerializer, AccountScopedViewSet
from common.api import AuthenticatedRequest, limit_choices
from sales.models import ImportBatch, SalesLine

from . import complaint_selectors as selectors
from . import services
from .complaint_filters import ComplaintFilter
from .models import ComplaintCase


class ComplaintSerializer(AccountScopedSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    past_sla = serializers.BooleanField(source="is_past_sla", read_only=True)

    class Meta:
        model = ComplaintCase
        fields = [
            "id", "account", "contact", "product_line", "severity", "description", "owner", "status",
            "due_on", "past_sla", "resolution", "resolution_cost", "sales_lines", "import_batch",
            "opened_at", "resolved_at", "confirmed_at", "version", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["status", "due_on", "opened_at", "resolved_at", "confirmed_at", "updated_at"]
        extra_kwargs = {"owner": {"required": False}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return
        visible = Account.objects.visible_to(request.user)
        limit_choices(self, "contact", Contact.objects.filter(account__in=visible))
        limit_choices(self, "sales_lines", SalesLine.objects.filter(account__in=visible))
        limit_choices(self, "import_batch", ImportBatch.objects.filter(lines__account__in=visible).distinct())
        limit_choices(self, "owner", User.objects.filter(is_active=True).exclude(role=User.Role.ANALYST))


class ComplaintTransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ComplaintCase.Status.choices)
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)
    resolution = serializers.CharField(required=False, allow_blank=True)
    resolution_cost = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0)


class ComplaintViewSet(AccountScopedViewSet):
    """Complaint cases of the visible accounts; `status` changes only through `transition`."""

    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    queryset = ComplaintCase.objects.none()
    entity = "case"
    create_service = services.complaint_create
    update_service = services.complaint_update
    delete_service = services.complaint_delete

    def visible_queryset(self, user: User):
        return (
            selectors.complaint_queryset(user=user)
            .prefetch_related("sales_lines")
            .order_by("-opened_at", "-pk")
        )

    def _update_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"version": data.pop("version", None)}

    @action(detail=True, methods=["post"], serializer_class=ComplaintTransitionSerializer)
    def transition(self, request: AuthenticatedRequest, pk: str | None = None) -> Response:
        """Move the case on: open → in_progress → resolved (with a resolution) → confirmed; resolved →
        in_progress reopens it. A stale `version` is a 409."""
        case = self.get_object()
        body = ComplaintTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        moved = services.complaint_transition(case=case, **body.validated_data)
        return Response(
            ComplaintSerializer(self.get_queryset().get(pk=moved.pk), context={"request": request}).data
        )


__all__ = ["ComplaintViewSet"]
