"""/api/v1/webhooks/: the caller's own subscriptions and their delivery logs."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import AuthenticatedRequest, Pagination

from . import selectors, services
from .models import EVENTS, WebhookDelivery, WebhookSubscription


class SubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), allow_empty=False)
    secret = serializers.SerializerMethodField(
        help_text=_("The signing secret: returned once, in the answer to the creation.")
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "target_url",
            "events",
            "active",
            "consecutive_failures",
            "paused_reason",
            "secret",
            "created_at",
        ]
        read_only_fields = ["consecutive_failures", "paused_reason", "created_at"]

    def get_secret(self, instance: WebhookSubscription) -> str | None:
        return instance.secret if self.context.get("reveal_secret") else None


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "event_id",
            "status",
            "attempts",
            "response_code",
            "response_ms",
            "response_body",
            "next_attempt_at",
            "created_at",
            "delivered_at",
            "payload",
        ]
        read_only_fields = fields


def _validated(call: Any) -> WebhookSubscription:
    try:
        return call()
    except DjangoValidationError as error:
        raise ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from error


class WebhookViewSet(viewsets.ModelViewSet):
    """Your webhook subscriptions; another user's is not found (404)."""

    request: AuthenticatedRequest  # IsAuthenticated lets only signed-in users through
    serializer_class = SubscriptionSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = WebhookSubscription.objects.none()

    def get_queryset(self):
        return selectors.subscription_queryset(user=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "reveal_secret": self.action == "create"}

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        data = serializer.validated_data
        serializer.instance = _validated(
            lambda: services.subscription_create(
                owner=self.request.user, target_url=data["target_url"], events=data["events"]
            )
        )
        if data.get("active") is False:
            services.subscription_pause(subscription=serializer.instance, active=False)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        instance = serializer.instance
        if not isinstance(instance, WebhookSubscription):  # UpdateModelMixin always hands over the row
            raise NotFound
        data = dict(serializer.validated_data)
        serializer.instance = _validated(lambda: services.subscription_update(subscription=instance, **data))

    def perform_destroy(self, instance: WebhookSubscription) -> None:
        services.subscription_delete(subscription=instance)

    @action(detail=True, methods=["get"], serializer_class=DeliverySerializer)
    def deliveries(self, request: Request, pk: Any = None) -> Response:
        """The subscription's delivery log, newest first."""
        subscription = self.get_object()
        paginator = Pagination()
        page = paginator.paginate_queryset(
            selectors.delivery_queryset(subscription=subscription), request, self
        )
        return paginator.get_paginated_response(DeliverySerializer(page, many=True).data)
