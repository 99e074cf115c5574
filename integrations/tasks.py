"""Thin Celery wrappers: fan an event out to its subscriptions, send one delivery (and its retries),
sweep up the deliveries whose message was lost."""

import datetime as dt
from typing import Any

from celery import shared_task
from django.utils import timezone

from . import services
from .models import WebhookDelivery


@shared_task
def fan_out(envelopes: list[dict[str, Any]]) -> int:
    """One delivery per event and subscription that wants it and may see its object."""
    count = 0
    for envelope in envelopes:
        for delivery in services.deliveries_create(envelope=envelope):
            deliver.delay(delivery.pk, delivery.attempts)
            count += 1
    return count


# A retry further away than this is left to the sweep: a message held for hours by a worker comes
# back from Redis after its visibility timeout (a duplicate), and is lost if Redis restarts.
SCHEDULE_AHEAD = dt.timedelta(minutes=15)


@shared_task
def deliver(delivery_id: int, attempts: int | None = None) -> str:
    """Try a delivery once (the try after `attempts` failed ones); a failure schedules the next try
    at its `next_attempt_at`, or leaves it to the sweep when that is far away."""
    delivery = services.delivery_attempt(delivery_id=delivery_id, attempts=attempts)
    if delivery is None:
        return "skipped"
    at = delivery.next_attempt_at
    if delivery.status == WebhookDelivery.Status.RETRYING and at and at - timezone.now() <= SCHEDULE_AHEAD:
        deliver.apply_async((delivery.pk, delivery.attempts), eta=at)
    return delivery.status


@shared_task
def sweep_deliveries() -> int:
    """Every few minutes: queue the deliveries that are due and have no message (see
    `services.deliveries_due`). Returns how many were queued."""
    due = services.deliveries_due()
    for pk, attempts in due:
        deliver.delay(pk, attempts)
    return len(due)
