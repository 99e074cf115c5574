"""Thin Celery wrappers: fan an event out to its subscriptions, send one delivery (and its retries)."""

from typing import Any

from celery import shared_task

from . import services
from .models import WebhookDelivery


@shared_task
def fan_out(envelopes: list[dict[str, Any]]) -> int:
    """One delivery per event and subscription that wants it and may see its object."""
    count = 0
    for envelope in envelopes:
        for delivery in services.deliveries_create(envelope=envelope):
            deliver.delay(delivery.pk)
            count += 1
    return count


@shared_task
def deliver(delivery_id: int) -> str:
    """Try a delivery once; a failure schedules the next try at its `next_attempt_at`."""
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    if delivery is None:
        return "gone"
    if delivery.status == WebhookDelivery.Status.RETRYING and delivery.next_attempt_at:
        deliver.apply_async((delivery.pk,), eta=delivery.next_attempt_at)
    return delivery.status
