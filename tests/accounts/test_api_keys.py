"""API keys for integrators: read-only tokens, their last use, and the rate limits per token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import Contact, TokenProfile
from accounts.services import api_token_issue

pytestmark = pytest.mark.django_db


def token_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def profile_of(user) -> TokenProfile:
    return TokenProfile.objects.get(token__user=user)


def test_a_read_only_token_reads_but_may_not_write(kam, account):
    client = token_client(api_token_issue(user=kam, read_only=True))
    assert client.get("/api/v1/accounts/").status_code == 200
    response = client.post("/api/v1/contacts/", {"account": account.pk, "first_name": "A", "last_name": "B"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert not Contact.objects.filter(last_name="B").exists()


def test_a_read_only_token_may_not_write_even_where_the_view_sets_its_own_permissions(head, account):
    client = token_client(api_token_issue(user=head, read_only=True))
    line = {"account_external_id": "00017", "date": "2025-01-02", "amount": "5"}
    assert client.post("/api/v1/sales-lines/bulk/", {"lines": [line]}, format="json").status_code == 403


def test_a_full_token_writes(kam, account):
    client = token_client(api_token_issue(user=kam))
    response = client.post("/api/v1/contacts/", {"account": account.pk, "first_name": "A", "last_name": "B"})
    assert response.status_code == 201, response.json()


def test_tokens_from_before_profiles_may_write(kam, account):
    _instance, secret = AuthToken.objects.create(user=kam)
    client = token_client(secret)
    response = client.post("/api/v1/contacts/", {"account": account.pk, "first_name": "A", "last_name": "B"})
    assert response.status_code == 201
    assert profile_of(kam).last_used_at is not None


def test_the_last_use_is_written_at_most_once_a_minute(kam, account):
    client = token_client(api_token_issue(user=kam))
    assert profile_of(kam).last_used_at is None
    client.get("/api/v1/accounts/")
    first = profile_of(kam).last_used_at
    assert first is not None and timezone.now() - first < dt.timedelta(seconds=30)
    client.get("/api/v1/accounts/")
    assert profile_of(kam).last_used_at == first  # the second request within the minute wrote nothing


def test_the_token_page_shows_access_and_last_use(kam, account):
    page = Client()
    page.force_login(kam)
    response = page.post("/api-tokens/", {"expiry_days": "30", "read_only": "on"})
    secret = response.context["new_token"]
    assert profile_of(kam).read_only
    html = page.get("/api-tokens/").content.decode()
    assert "read-only" in html and "never" in html
    token_client(secret).get("/api/v1/accounts/")
    used = timezone.localtime(profile_of(kam).last_used_at)
    html = page.get("/api-tokens/").content.decode()
    assert used.strftime("%Y-%m-%d %H:%M") in html


def test_a_token_issued_without_the_box_may_write(kam):
    page = Client()
    page.force_login(kam)
    page.post("/api-tokens/", {"expiry_days": "30"})
    assert not profile_of(kam).read_only
    assert "read and write" in page.get("/api-tokens/").content.decode()


@pytest.fixture
def rates(settings):
    """A burst of 3 requests a minute; the counts start from nothing."""
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"burst": "3/min", "sustained": "100/day"},
    }
    yield
    cache.clear()


def test_requests_over_the_burst_answer_429(kam, account, rates):
    client = token_client(api_token_issue(user=kam))
    answers = [client.get("/api/v1/accounts/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert "Retry-After" in client.get("/api/v1/accounts/").headers


def test_each_token_has_its_own_count(kam, account, rates):
    first, second = (token_client(api_token_issue(user=kam)) for _ in range(2))
    for _ in range(3):
        assert first.get("/api/v1/accounts/").status_code == 200
    assert first.get("/api/v1/accounts/").status_code == 429
    assert second.get("/api/v1/accounts/").status_code == 200


def test_the_sustained_rate_applies_too(kam, account, settings):
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"burst": "100/min", "sustained": "2/day"},
    }
    client = token_client(api_token_issue(user=kam))
    assert [client.get("/api/v1/accounts/").status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()


def test_the_test_settings_do_not_throttle(kam, account):
    client = token_client(api_token_issue(user=kam))
    assert all(client.get("/api/v1/accounts/").status_code == 200 for _ in range(70))
