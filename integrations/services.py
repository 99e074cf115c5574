"""Webhook subscriptions and deliveries: the writes."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from . import delivery as sending
from .events import RESOURCES, payload_for
from .models import EVENTS, WebhookDelivery, WebhookSubscription, new_secret
from .security import check_target_url

# How long a due delivery waits for its own scheduled message before the sweep queues it again.
SWEEP_GRACE = dt.timedelta(minutes=10)


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


def delivery_attempt(*, delivery_id: int, attempts: int | None = None) -> WebhookDelivery | None:
    """Send a pending or retrying delivery once; None when it is gone, already settled, being sent
    right now, or past the attempt `attempts` that the message was queued for (a duplicate message:
    a Redis redelivery, or the sweep and a scheduled retry both queuing it)."""
    unsettled = [WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING]
    with transaction.atomic():
        # The row stays locked while it is sent: a second message for it skips it, never sends twice.
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("subscription__owner")
            .filter(pk=delivery_id, status__in=unsettled)
            .first()
        )
        if delivery is None or (attempts is not None and delivery.attempts != attempts):
            return None
        return sending.attempt(delivery)


def deliveries_due(*, now: dt.datetime | None = None, limit: int = 1000) -> list[tuple[int, int]]:
    """(id, attempts) of the deliveries whose message may be lost: retries due for a while (a retry
    hours away is not queued in advance, and Redis loses queued messages when it restarts) and
    first tries that never ran. The sweep queues them again; a duplicate is skipped when sent."""
    now = now or timezone.now()
    due = Q(status=WebhookDelivery.Status.RETRYING, next_attempt_at__lte=now - SWEEP_GRACE) | Q(
        status=WebhookDelivery.Status.PENDING, created_at__lte=now - SWEEP_GRACE
    )
    rows = WebhookDelivery.objects.filter(due).order_by("pk").values_list("pk", "attempts")  # oldest first
    return list(rows[:limit])


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
