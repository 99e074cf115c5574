"""Sending one delivery: the visibility and address checks, the signed POST, the log, the backoff."""

import datetime as dt
import json
import logging
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Account
from common.locale import in_language_of
from retention.services import notification_create

from .models import WebhookDelivery, WebhookSubscription
from .security import check_target_url
from .verify import sign

logger = logging.getLogger(__name__)

BODY_LIMIT = 2048
FIRST_DELAY_SECONDS = 60
MAX_DELAY_SECONDS = 6 * 3600
GIVE_UP_AFTER = dt.timedelta(hours=24)
NOTIFICATION_KIND = "webhook_paused"


def backoff_seconds(attempt: int, rand: Callable[[], float] = random.random) -> float:
    """The wait after failed attempt number `attempt` (1, 2, …): full jitter, a random time up to
    1 min, 2, 4, … capped at 6 hours."""
    ceiling = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (attempt - 1))
    return max(1.0, ceiling * rand())


def next_attempt_at(delivery: WebhookDelivery, now: dt.datetime, rand: Callable[[], float] = random.random):
    """When to try `delivery` again, or None once 24 hours since its event have passed."""
    at = now + dt.timedelta(seconds=backoff_seconds(delivery.attempts, rand))
    return at if at <= delivery.created_at + GIVE_UP_AFTER else None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a new target: it could point into our own network."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (checked)
    try:
        with _opener.open(request, timeout=settings.KAM_WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, response.read(BODY_LIMIT).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read(BODY_LIMIT).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(getattr(error, "reason", error))[:BODY_LIMIT]


def may_see(delivery: WebhookDelivery) -> bool:
    """Whether the owner may still see what the event is about (checked when it is sent)."""
    owner = delivery.subscription.owner
    if not owner.is_active:
        return False
    if delivery.account_id is None:
        return True
    return Account.objects.visible_to(owner).filter(pk=delivery.account_id).exists()


def attempt(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send `delivery` once and log the outcome; returns it with `next_attempt_at` set when it
    should be tried again (the caller schedules that)."""
    subscription = delivery.subscription
    if not subscription.active or not may_see(delivery):
        return _close(delivery, WebhookDelivery.Status.CANCELLED, _cancel_reason(subscription))
    try:
        check_target_url(subscription.target_url)
    except ValidationError as error:
        return _failed(delivery, None, "; ".join(error.messages), 0)
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "kam-webhooks/1",
        "X-Kam-Signature": sign(subscription.secret, timestamp, body),
        "X-Kam-Timestamp": str(timestamp),
        "X-Kam-Event": delivery.event,
        "X-Kam-Delivery": str(delivery.event_id),
    }
    started = time.monotonic()
    code, text = _post(subscription.target_url, body, headers)
    elapsed = int((time.monotonic() - started) * 1000)
    if code is not None and 200 <= code < 300:
        delivery.attempts += 1
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.response_code, delivery.response_ms, delivery.response_body = code, elapsed, text
        delivery.delivered_at, delivery.next_attempt_at = timezone.now(), None
        delivery.save()
        WebhookSubscription.objects.filter(pk=subscription.pk).update(consecutive_failures=0)
        return delivery
    return _failed(delivery, code, text, elapsed)


def _cancel_reason(subscription: WebhookSubscription) -> str:
    return "subscription paused" if not subscription.active else "not visible to the subscriber"


def _close(delivery: WebhookDelivery, status: str, note: str) -> WebhookDelivery:
    delivery.status, delivery.response_body, delivery.next_attempt_at = status, note, None
    delivery.save()
    return delivery


def _failed(delivery: WebhookDelivery, code: int | None, text: str, elapsed: int) -> WebhookDelivery:
    delivery.attempts += 1
    delivery.response_code, delivery.response_ms, delivery.response_body = code, elapsed, text[:BODY_LIMIT]
    delivery.next_attempt_at = next_attempt_at(delivery, timezone.now())
    delivery.status = (
        WebhookDelivery.Status.RETRYING if delivery.next_attempt_at else WebhookDelivery.Status.FAILED
    )
    delivery.save()
    if _count_failure(delivery.subscription):
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        delivery.save(update_fields=["status", "next_attempt_at"])
    return delivery


@transaction.atomic
def _count_failure(subscription: WebhookSubscription) -> bool:
    """One more failure in a row; pauses the subscription (and tells its owner) at the limit.
    Returns whether it is paused."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    subscription = (
        WebhookSubscription.objects.select_for_update().select_related("owner").get(pk=subscription.pk)
    )
    limit = settings.KAM_WEBHOOK_PAUSE_AFTER
    if not subscription.active:
        return True
    if subscription.consecutive_failures < limit:
        return False
    with in_language_of(subscription.owner):
        subscription.active = False
        count = subscription.consecutive_failures
        subscription.paused_reason = ngettext(
            "%(count)s delivery in a row failed.", "%(count)s deliveries in a row failed.", count
        ) % {"count": count}
        subscription.save(update_fields=["active", "paused_reason"])
        notification_create(
            user=subscription.owner,
            kind=NOTIFICATION_KIND,
            title=_("Webhook to %(url)s paused") % {"url": subscription.target_url},
            body=ngettext(
                "%(count)s delivery in a row failed, so no more events are sent. "
                "Fix the receiver and resume the webhook.",
                "%(count)s deliveries in a row failed, so no more events are sent. "
                "Fix the receiver and resume the webhook.",
                count,
            )
            % {"count": count},
            url=reverse("integrations:webhook-deliveries", args=[subscription.pk]),
        )
    logger.warning("Webhook subscription %s paused after %s failures", subscription.pk, limit)
    return True
