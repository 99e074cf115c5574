"""Signed webhooks end to end: events from the services reach a real receiver, signed, retried,
only for what the subscriber may see, never into a private network unless allowed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Account
from accounts.services import account_update
from analysis.services import run_create, run_execute
from integrations import delivery as sending
from integrations import services
from integrations.models import WebhookDelivery, WebhookSubscription
from integrations.security import check_target_url
from integrations.services import subscription_create
from integrations.verify import verify_signature
from retention.models import Notification
from sales.services import sales_lines_bulk_import

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _buy(by, external_id, day, n=[0]):  # noqa: B006 - a counter for unique line ids
    n[0] += 1
    line = {"line_external_id": f"W{n[0]}-{external_id}", "account_external_id": external_id,
            "date": day.isoformat(), "amount": "100.00"}  # fmt: skip
    assert sales_lines_bulk_import(by=by, lines=[line]).status == "done"


def _run(as_of):
    return run_execute(run=run_create(by=None, as_of=as_of, trigger="command"))


@pytest.fixture
def customer(admin_user, account):
    """`account` buys monthly for a year, last 40 days ago: active by its rhythm."""
    for months in range(12, 0, -1):
        _buy(admin_user, account.external_id, TODAY - dt.timedelta(days=40 + 30 * (months - 1)))
    _run(TODAY)
    account.refresh_from_db()
    assert account.status == Account.Status.ACTIVE
    return account


def test_a_status_change_after_a_run_delivers_one_signed_payload(
    customer, kam, receiver, django_capture_on_commit_callbacks
):
    subscription = subscription_create(owner=kam, target_url=receiver.url, events=["account.status_changed"])

    with django_capture_on_commit_callbacks(execute=True):
        _run(TODAY + dt.timedelta(days=60))  # 100 days without a purchase, usually every 30

    customer.refresh_from_db()
    assert customer.status != Account.Status.ACTIVE
    [received] = receiver.requests
    headers = received.headers
    assert verify_signature(
        subscription.secret, received.body, headers["X-Kam-Signature"], headers["X-Kam-Timestamp"]
    )
    assert not verify_signature(
        "whsec_wrong", received.body, headers["X-Kam-Signature"], headers["X-Kam-Timestamp"]
    )
    payload = received.payload
    assert headers["X-Kam-Event"] == payload["event"] == "account.status_changed"
    assert headers["X-Kam-Delivery"] == payload["id"]
    assert payload["version"] == 1
    assert payload["data"]["id"] == customer.pk
    assert payload["data"]["status"] == customer.status
    assert payload["data"]["previous_status"] == Account.Status.ACTIVE
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 1, 200)


def test_an_old_or_tampered_body_is_refused():
    body, secret = b'{"event":"x"}', "whsec_s"
    now = 1_800_000_000
    signature = sending.sign(secret, now, body)
    assert verify_signature(secret, body, signature, str(now), now=now + 299)
    assert not verify_signature(secret, body, signature, str(now), now=now + 301)
    assert not verify_signature(secret, body + b" ", signature, str(now), now=now)


def test_a_failing_receiver_gets_the_event_on_the_third_try(
    account, kam, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500, 500, 200]
    subscription_create(owner=kam, target_url=receiver.url, events=["account.updated"])

    with django_capture_on_commit_callbacks(execute=True):
        account_update(account=account, by=kam, name="Renamed Co")

    assert len(receiver.requests) == 3
    assert {r.headers["X-Kam-Delivery"] for r in receiver.requests} == {receiver.requests[0].payload["id"]}
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 3, 200)
    assert delivery.payload["data"]["name"] == "Renamed Co"
    assert WebhookSubscription.objects.get().consecutive_failures == 0


def test_the_retry_schedule_doubles_with_full_jitter_and_stops_after_a_day(kam):
    top = [sending.backoff_seconds(n, rand=lambda: 1.0) for n in range(1, 12)]
    assert top[:5] == [60, 120, 240, 480, 960]
    assert max(top) == sending.MAX_DELAY_SECONDS
    assert sending.backoff_seconds(3, rand=lambda: 0.5) == 120
    assert sending.backoff_seconds(3, rand=lambda: 0.0) == 1  # never at once
    now = timezone.now()
    delivery = WebhookDelivery(attempts=2, created_at=now)
    assert sending.next_attempt_at(delivery, now, rand=lambda: 1.0) == now + dt.timedelta(minutes=2)
    late = WebhookDelivery(attempts=12, created_at=now - dt.timedelta(hours=23))
    assert sending.next_attempt_at(late, now, rand=lambda: 1.0) is None


def test_a_kam_never_receives_events_about_accounts_they_cannot_see(
    account, kam, outsider, receiver, django_capture_on_commit_callbacks
):
    subscription_create(owner=outsider, target_url=receiver.url, events=["account.updated"])
    with django_capture_on_commit_callbacks(execute=True):
        account_update(account=account, by=kam, name="Renamed Co")
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_visibility_is_checked_again_when_sending(account, kam, outsider, receiver):
    subscription = subscription_create(owner=outsider, target_url=receiver.url, events=["account.updated"])
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event="account.updated", account=account, payload={"data": {}}
    )
    sending.attempt(delivery)
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.CANCELLED


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1/hook", "http://127.0.0.1:8000/hook", "http://169.254.169.254/latest"]
)
def test_private_targets_are_refused_unless_allowed(settings, kam, url):
    settings.KAM_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError):
        check_target_url(url)
    with pytest.raises(ValidationError):
        subscription_create(owner=kam, target_url=url, events=["account.updated"])
    settings.KAM_WEBHOOK_ALLOW_PRIVATE = True
    check_target_url(url)


def test_other_schemes_are_refused(kam):
    for url in ("ftp://example.org/x", "file:///etc/passwd", "gopher://127.0.0.1/"):
        with pytest.raises(ValidationError):
            check_target_url(url)


def test_the_address_is_checked_again_when_sending(settings, account, kam, receiver):
    subscription = subscription_create(owner=kam, target_url=receiver.url, events=["account.updated"])
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event="account.updated", account=account, payload={"data": {}}
    )
    settings.KAM_WEBHOOK_ALLOW_PRIVATE = False
    sending.attempt(delivery)
    assert receiver.requests == []
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.RETRYING and delivery.response_code is None


def test_a_subscription_is_paused_after_n_failures_and_its_owner_told(
    settings, account, kam, receiver, django_capture_on_commit_callbacks
):
    settings.KAM_WEBHOOK_PAUSE_AFTER = 3
    receiver.answers = [500]
    subscription = subscription_create(owner=kam, target_url=receiver.url, events=["account.updated"])

    with django_capture_on_commit_callbacks(execute=True):
        account_update(account=account, by=kam, name="Renamed Co")

    assert len(receiver.requests) == 3
    subscription.refresh_from_db()
    assert not subscription.active and subscription.consecutive_failures == 3 and subscription.paused_reason
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)
    notification = Notification.objects.get(user=kam, kind=sending.NOTIFICATION_KIND)
    assert receiver.url in notification.title


def test_a_duplicate_message_never_sends_a_delivery_twice(account, kam, receiver):
    from integrations.tasks import deliver

    subscription = subscription_create(owner=kam, target_url=receiver.url, events=["account.updated"])
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event="account.updated", account=account, payload={"data": {}}
    )
    assert deliver.apply((delivery.pk, 0)).get() == "succeeded"
    assert deliver.apply((delivery.pk, 0)).get() == "skipped"  # e.g. redelivered by Redis
    assert deliver.apply((delivery.pk,)).get() == "skipped"  # settled
    assert len(receiver.requests) == 1


def test_a_retry_queued_for_an_earlier_attempt_is_skipped(account, kam, receiver):
    subscription = subscription_create(owner=kam, target_url=receiver.url, events=["account.updated"])
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event="account.updated", account=account, payload={"data": {}},
        status=WebhookDelivery.Status.RETRYING, attempts=2, next_attempt_at=timezone.now(),
    )  # fmt: skip
    assert services.delivery_attempt(delivery_id=delivery.pk, attempts=1) is None
    assert receiver.requests == []
    assert services.delivery_attempt(delivery_id=delivery.pk, attempts=2).status == "succeeded"


def test_the_sweep_queues_due_deliveries_whose_message_was_lost(account, kam, receiver):
    from integrations.tasks import sweep_deliveries

    subscription = subscription_create(owner=kam, target_url=receiver.url, events=["account.updated"])
    now = timezone.now()

    def make(status, attempts, next_at, age):
        row = WebhookDelivery.objects.create(
            subscription=subscription, event="account.updated", account=account, payload={"data": {}},
            status=status, attempts=attempts, next_attempt_at=next_at,
        )  # fmt: skip
        WebhookDelivery.objects.filter(pk=row.pk).update(created_at=now - age)
        return row.pk

    lost_retry = make("retrying", 3, now - dt.timedelta(hours=1), dt.timedelta(hours=5))
    lost_first = make("pending", 0, None, dt.timedelta(hours=1))
    make("retrying", 3, now + dt.timedelta(hours=2), dt.timedelta(hours=5))  # not due yet
    make("retrying", 1, now - dt.timedelta(minutes=1), dt.timedelta(minutes=3))  # its own message is due
    make("pending", 0, None, dt.timedelta(seconds=5))  # just queued
    make("succeeded", 1, None, dt.timedelta(hours=3))

    assert services.deliveries_due(now=now) == [(lost_retry, 3), (lost_first, 0)]
    assert sweep_deliveries.apply().get() == 2
    assert len(receiver.requests) == 2
    assert set(
        WebhookDelivery.objects.filter(pk__in=[lost_retry, lost_first]).values_list("status", flat=True)
    ) == {"succeeded"}


def test_a_retry_hours_away_is_left_to_the_sweep(account, kam, receiver, monkeypatch):
    from integrations import tasks

    receiver.answers = [500]
    subscription = subscription_create(owner=kam, target_url=receiver.url, events=["account.updated"])
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, event="account.updated", account=account, payload={"data": {}}, attempts=8
    )
    monkeypatch.setattr(sending, "backoff_seconds", lambda attempt, rand=None: 3 * 3600)
    assert tasks.deliver.apply((delivery.pk, 8)).get() == "retrying"
    assert len(receiver.requests) == 1  # not tried again at once, as an eager retry would be
    delivery.refresh_from_db()
    assert delivery.next_attempt_at > timezone.now() + tasks.SCHEDULE_AHEAD
