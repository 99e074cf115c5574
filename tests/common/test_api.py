"""What every API endpoint shares: strict paging numbers, token checks, bounded JSON bodies."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from accounts.models import Account
from accounts.services import api_token_issue
from common.numbers import whole_number

pytestmark = pytest.mark.django_db

# Superscript two, Arabic-Indic 12, fullwidth 12 and 12.5: str.isdigit() says yes to the first three.
UNICODE_DIGITS = ["\u00b2", "\u0661\u0662", "\uff11\uff12", "\uff11\uff12.\uff15"]


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("raw", ["12", "0012"])
def test_ascii_digits_are_a_whole_number(raw):
    assert whole_number(raw) == 12


@pytest.mark.parametrize("raw", [*UNICODE_DIGITS, "12.0", " 12", "+12", "-1", "", "1" * 19, None])
def test_anything_else_is_not_a_whole_number(raw):
    assert whole_number(raw) is None


@pytest.mark.parametrize("size", [*UNICODE_DIGITS, "\u00b20"])
def test_unicode_digits_in_page_size_are_a_clear_400(kam, account, size):
    response = client_for(kam).get("/api/v1/accounts/", {"page_size": size})
    assert response.status_code == 400
    assert "from 1 to 500" in response.json()["page_size"][0]


# WSGI hands headers over as latin-1 text: "\xd9\xa1" is how the UTF-8 bytes of U+0661 arrive.
@pytest.mark.parametrize("header", ["Token é", "Token \x00abc", "Token 0123456789abcdef\xd9\xa1", "Token ½"])
def test_a_malformed_token_is_a_401(kam, account, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/accounts/")
    assert response.status_code == 401


def test_a_well_formed_token_still_works(kam, account):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=kam)}")
    assert client.get("/api/v1/accounts/").json()["count"] == 1


def nested(depth: int) -> str:
    return '{"name": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [33, 5000, 100_000])
def test_json_nested_too_deep_is_a_clear_400_and_nothing_is_written(kam, depth):
    response = client_for(kam).generic(
        "POST", "/api/v1/accounts/", nested(depth), content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested deeper than 32 levels" in response.json()["detail"]
    assert not Account.objects.exists()


def test_json_nested_within_the_limit_is_parsed(kam):
    body = json.dumps({"name": "Shallow Co", "notes": "x"})
    response = client_for(kam).generic("POST", "/api/v1/accounts/", body, content_type="application/json")
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("page", ["0", "-1", "\u00b2", "1\x00"])
@pytest.mark.parametrize(
    "url", ["/api/v1/sales-plans/", "/api/v1/management/forecast/", "/api/v1/management/kams/"]
)
def test_a_page_that_is_no_page_number_is_a_400_naming_page(head, url, page):
    response = client_for(head).get(url, {"page": page})
    assert response.status_code == 400
    assert "Pages start at 1" in response.json()["page"][0]
