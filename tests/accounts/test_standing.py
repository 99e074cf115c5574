"""Everyone knows who is strategic: the badge and the privileges on the account list, the header
of every tab and the account API."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dossiers import services

pytestmark = pytest.mark.django_db
CRITERIA = {"volume": True, "loyalty": True, "prestige_brand": True}


def _make_strategic(account, by, **privileges):
    services.assessment_update(account=account, by=by, **CRITERIA, **privileges)


def test_the_list_shows_the_strategic_badge_and_its_privileges(client, kam, account):
    _make_strategic(account, kam, priority_dispatch=True)
    client.force_login(kam)
    page = client.get(reverse("accounts:list")).content.decode()
    assert "★ Strategic" in page and "priority dispatch" in page


@pytest.mark.parametrize(
    "url_name", ["accounts:detail", "dossiers:plans", "sales:account-tab", "retention:account-tab"]
)
def test_every_tab_header_shows_the_badge(client, kam, account, url_name):
    _make_strategic(account, kam, no_minimum_order=True)
    client.force_login(kam)
    page = client.get(reverse(url_name, args=[account.pk])).content.decode()
    assert "★ Strategic" in page and "no minimum order" in page


def test_privileges_of_an_account_that_is_not_strategic_are_not_shown(client, kam, account):
    services.assessment_update(account=account, by=kam, volume=True, priority_dispatch=True)
    client.force_login(kam)
    page = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert "★ Strategic" not in page and "priority dispatch" not in page


def test_the_account_api_says_strategic_and_lists_the_privileges(kam, account):
    _make_strategic(account, kam, priority_dispatch=True, joint_plans_and_promotions=True)
    api = APIClient()
    api.force_authenticate(kam)
    data = api.get(f"/api/v1/accounts/{account.pk}/").json()
    assert data["strategic"] is True
    assert data["privileges"] == ["priority_dispatch", "joint_plans_and_promotions"]


def test_the_api_fields_are_read_only(kam, account):
    api = APIClient()
    api.force_authenticate(kam)
    response = api.patch(
        f"/api/v1/accounts/{account.pk}/", {"strategic": True, "privileges": ["x"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["strategic"] is False and response.json()["privileges"] == []
