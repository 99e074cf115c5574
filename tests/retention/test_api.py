"""Retention API: notifications, win-back campaigns; bad input is a clear 400 with nothing written."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from retention.models import Notification, WinBackCampaign

pytestmark = pytest.mark.django_db

CAMPAIGN = {
    "name": "Win back",
    "goal": "g",
    "method": "gift",
    "starts_on": "2026-01-01",
    "ends_on": "2026-03-01",
}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def notify(user, title="Account at risk"):
    return Notification.objects.create(user=user, kind="churn", title=title)


def test_an_analyst_marks_their_own_notifications_read(analyst, head):
    mine, theirs = notify(analyst), notify(head)
    response = client_for(analyst).post("/api/v1/notifications/read/", {"ids": [mine.pk, theirs.pk]})
    assert response.status_code == 200, response.json()
    assert response.json() == {"marked_read": 1}
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


def test_an_analyst_still_writes_nothing_else(analyst):
    assert client_for(analyst).post("/api/v1/winback-campaigns/", CAMPAIGN).status_code == 403


@pytest.mark.parametrize("ids", [[2**63], [-(2**63) - 1], [10**30]])
def test_notification_ids_beyond_any_id_are_a_clear_400(kam, ids):
    unread = notify(kam)
    response = client_for(kam).post("/api/v1/notifications/read/", {"ids": ids}, format="json")
    assert response.status_code == 400
    assert "ids" in response.json()
    unread.refresh_from_db()
    assert unread.read_at is None


def test_a_negative_campaign_budget_is_a_clear_400(head):
    response = client_for(head).post("/api/v1/winback-campaigns/", {**CAMPAIGN, "budget": "-1.00"})
    assert response.status_code == 400
    assert "budget" in response.json()
    assert not WinBackCampaign.objects.exists()
