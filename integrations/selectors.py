"""Webhook subscriptions a user may manage: their own; admins see every one."""

from django.db.models import QuerySet

from accounts.models import User

from .models import WebhookDelivery, WebhookSubscription


def subscription_queryset(*, user: User, everyone: bool = False) -> QuerySet[WebhookSubscription]:
    """`everyone`: an admin's view of all subscriptions (the pages); the API is always one's own."""
    rows = WebhookSubscription.objects.select_related("owner")
    if everyone and user.is_admin_role:
        return rows
    return rows.filter(owner=user)


def delivery_queryset(*, subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    return subscription.deliveries.order_by("-created_at", "-pk")
