"""/api/v1/webhooks/ and /integrations/webhooks/: one's own subscriptions, the secret shown once,
the delivery log and Redeliver."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from integrations.models import WebhookDelivery, WebhookSubscription
from integrations.services import subscription_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(kam):
    client = APIClient()
    client.force_authenticate(kam)
    return client


def test_the_secret_is_returned_once_on_creation(api, kam, receiver):
    created = api.post(
        "/api/v1/webhooks/", {"target_url": receiver.url, "events": ["account.created"]}, format="json"
    )
    assert created.status_code == 201, created.json()
    secret = created.json()["secret"]
    assert secret.startswith("whsec_") and WebhookSubscription.objects.get(owner=kam).secret == secret
    listed = api.get("/api/v1/webhooks/").json()["results"]
    assert [row["secret"] for row in listed] == [None]
    assert api.get(f"/api/v1/webhooks/{created.json()['id']}/").json()["secret"] is None


def test_the_api_refuses_unknown_events_and_private_targets(api, settings):
    answer = api.post(
        "/api/v1/webhooks/", {"target_url": "http://127.0.0.1/x", "events": ["nope"]}, format="json"
    )
    assert answer.status_code == 400 and "events" in answer.json()
    settings.KAM_WEBHOOK_ALLOW_PRIVATE = False
    answer = api.post(
        "/api/v1/webhooks/", {"target_url": "http://10.0.0.1/x", "events": ["account.created"]}, format="json"
    )
    assert answer.status_code == 400 and "target_url" in answer.json()
    assert not WebhookSubscription.objects.exists()


def test_a_foreign_subscription_is_not_found(api, outsider, receiver):
    foreign = subscription_create(owner=outsider, target_url=receiver.url, events=["account.created"])
    assert api.get(f"/api/v1/webhooks/{foreign.pk}/").status_code == 404
    assert api.get(f"/api/v1/webhooks/{foreign.pk}/deliveries/").status_code == 404
    assert api.delete(f"/api/v1/webhooks/{foreign.pk}/").status_code == 404
    assert WebhookSubscription.objects.filter(pk=foreign.pk).exists()


def test_the_delivery_log_in_the_api(api, kam, receiver):
    subscription = subscription_create(owner=kam, target_url=receiver.url, events=["account.created"])
    WebhookDelivery.objects.create(subscription=subscription, event="account.created", payload={"id": "x"})
    [row] = api.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/").json()["results"]
    assert (row["event"], row["status"], row["payload"]) == ("account.created", "pending", {"id": "x"})


def test_resuming_clears_the_failures(api, kam, receiver):
    subscription = subscription_create(owner=kam, target_url=receiver.url, events=["account.created"])
    WebhookSubscription.objects.filter(pk=subscription.pk).update(active=False, consecutive_failures=10)
    answer = api.patch(f"/api/v1/webhooks/{subscription.pk}/", {"active": True}, format="json")
    assert answer.status_code == 200 and answer.json()["consecutive_failures"] == 0


def test_the_page_shows_the_secret_once(client, kam, receiver):
    client.force_login(kam)
    answer = client.post(
        reverse("integrations:webhook-create"), {"target_url": receiver.url, "events": ["account.created"]}
    )
    assert answer.status_code == 302
    secret = WebhookSubscription.objects.get().secret
    assert secret in client.get(reverse("integrations:webhooks")).content.decode()
    assert secret not in client.get(reverse("integrations:webhooks")).content.decode()


def test_the_form_says_why_a_target_is_refused(client, kam, settings):
    settings.KAM_WEBHOOK_ALLOW_PRIVATE = False
    client.force_login(kam)
    answer = client.post(
        reverse("integrations:webhook-create"),
        {"target_url": "http://169.254.169.254/latest", "events": ["account.created"]},
    )
    assert answer.status_code == 400 and "public internet address" in answer.content.decode()


def test_admins_see_every_subscription_kams_their_own(client, kam, outsider, admin_user, receiver):
    subscription_create(owner=kam, target_url=receiver.url + "/kam", events=["account.created"])
    subscription_create(owner=outsider, target_url=receiver.url + "/outsider", events=["account.created"])
    client.force_login(kam)
    page = client.get(reverse("integrations:webhooks")).content.decode()
    assert "/kam" in page and "/outsider" not in page
    client.force_login(admin_user)
    page = client.get(reverse("integrations:webhooks")).content.decode()
    assert "/kam" in page and "/outsider" in page


def test_redeliver_sends_the_same_event_again(client, kam, receiver, django_capture_on_commit_callbacks):
    subscription = subscription_create(owner=kam, target_url=receiver.url, events=["account.created"])
    first = WebhookDelivery.objects.create(
        subscription=subscription, event="account.created", payload={"id": "e1"}, status="failed"
    )
    client.force_login(kam)
    log = client.get(reverse("integrations:webhook-deliveries", args=[subscription.pk])).content.decode()
    assert "Redeliver" in log
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("integrations:delivery-redeliver", args=[subscription.pk, first.pk]))
    assert answer.status_code == 302
    [received] = receiver.requests
    assert received.payload == {"id": "e1"} and received.headers["X-Kam-Delivery"] == str(first.event_id)
    again = WebhookDelivery.objects.exclude(pk=first.pk).get()
    assert (again.event_id, again.status) == (first.event_id, "succeeded")
