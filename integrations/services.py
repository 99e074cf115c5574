"""Webhook subscriptions and deliveries: the writes."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from . import delivery as sending
from .events import RESOURCES, payload_for
from .models import EVENTS, WebhookDelivery, WebhookSubscription, new_secret
from .security import check_target_url


def _check(subscription: WebhookSubscription) -> None:
    unknown = sorted(set(subscription.events) - set(EVENTS))
    if not subscription.events or unknown:
        raise ValidationError({"events": _("Choose one or more of the events listed.")})
    subscription.events = [event for event in EVENTS if event in subscription.events]
    try:
        check_target_url(subscription.target_url)
    except ValidationError as error:
        raise ValidationError({"target_url": error.messages}) from error
    subscription.full_clean(exclude=["events"])


def subscription_create(*, owner: User, target_url: str, events: list[str]) -> WebhookSubscription:
    """A new active subscription of `owner`; its secret is shown to them once, now."""
    subscription = WebhookSubscription(owner=owner, target_url=target_url, events=list(events))
    _check(subscription)
    subscription.save()
    return subscription


def subscription_update(*, subscription: WebhookSubscription, **fields: Any) -> WebhookSubscription:
    """Change the target, the events or `active` (resuming clears the failure count)."""
    for name in ("target_url", "events", "active"):
        if name in fields:
            setattr(subscription, name, fields[name])
    if fields.get("active"):
        subscription.consecutive_failures, subscription.paused_reason = 0, ""
    _check(subscription)
    subscription.save()
    return subscription


def subscription_pause(*, subscription: WebhookSubscription, active: bool) -> WebhookSubscription:
    subscription.active = active
    if active:
        subscription.consecutive_failures, subscription.paused_reason = 0, ""
    else:
        subscription.paused_reason = _("Paused by hand.")
    subscription.save(update_fields=["active", "consecutive_failures", "paused_reason"])
    return subscription


def subscription_rotate_secret(*, subscription: WebhookSubscription) -> WebhookSubscription:
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret"])
    return subscription


def subscription_delete(*, subscription: WebhookSubscription) -> None:
    subscription.delete()


def deliveries_create(*, envelope: dict[str, Any]) -> list[WebhookDelivery]:
    """The deliveries of an event, one per active subscription whose owner may see its object."""
    if envelope["event"] not in RESOURCES:
        return []
    subscriptions = WebhookSubscription.objects.filter(active=True).select_related("owner")
    created = []
    for subscription in subscriptions:
        if envelope["event"] not in subscription.events or not subscription.owner.is_active:
            continue
        payload = payload_for(envelope, subscription.owner)
        if payload is None:
            continue
        created.append(
            WebhookDelivery.objects.create(
                subscription=subscription,
                event=envelope["event"],
                event_id=envelope["id"],
                account_id=envelope.get("account_id"),
                payload=payload,
            )
        )
    return created


def delivery_attempt(*, delivery_id: int) -> WebhookDelivery | None:
    """Send a pending or retrying delivery once; None when it is gone or already settled."""
    delivery = (
        WebhookDelivery.objects.select_related("subscription__owner")
        .filter(pk=delivery_id, status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING])
        .first()
    )
    if delivery is None:
        return None
    return sending.attempt(delivery)


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """A new delivery of the same event (same id and payload), sent once this commits."""
    from .tasks import deliver

    again = WebhookDelivery.objects.create(
        subscription=delivery.subscription,
        event=delivery.event,
        event_id=delivery.event_id,
        account_id=delivery.account_id,
        payload=delivery.payload,
    )
    transaction.on_commit(lambda: deliver.delay(again.pk))
    return again
