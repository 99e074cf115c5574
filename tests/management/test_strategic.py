"""The strategic accounts page and the strategic share cap: over what the user sees, with a
warning above the policy's cap where an account is marked strategic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Account
from dossiers import services
from management.models import ManagementPolicy
from management.strategic import strategic_share
from tests.factories import AccountFactory, InteractionFactory

pytestmark = pytest.mark.django_db
CRITERIA = {"volume": "on", "loyalty": "on", "prestige_brand": "on"}
URL = reverse("management:strategic")


def _strategic(account, by):
    services.assessment_update(account=account, by=by, volume=True, loyalty=True, prestige_brand=True)


def test_the_share_counts_strategic_customers_among_the_customers_a_kam_sees(
    kam, outsider, account, department
):
    _strategic(account, kam)
    AccountFactory(owner=kam, department=department)  # a customer, not strategic
    AccountFactory(owner=kam, department=department, status=Account.Status.PROSPECT)  # not a customer
    _strategic(AccountFactory(owner=outsider, department=department), outsider)  # not seen by the KAM

    share = strategic_share(user=kam)

    assert (share.strategic, share.customers, share.percent) == (1, 2, Decimal("50.0"))
    assert share.exceeded  # above the default 20 %


def test_the_cap_comes_from_the_policy_in_force(kam, account, department):
    _strategic(account, kam)
    AccountFactory(owner=kam, department=department)
    ManagementPolicy.objects.create(strategic_share_cap=Decimal(60))
    assert not strategic_share(user=kam).exceeded


def test_marking_an_account_strategic_warns_when_the_cap_is_now_exceeded(client, kam, account):
    client.force_login(kam)
    response = client.post(reverse("dossiers:assessment-edit", args=[account.pk]), CRITERIA, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any("above the 20% the management policy allows" in t for t in texts), texts


def test_no_warning_below_the_cap(client, kam, account, department):
    for _ in range(9):
        AccountFactory(owner=kam, department=department)
    client.force_login(kam)
    response = client.post(reverse("dossiers:assessment-edit", args=[account.pk]), CRITERIA, follow=True)
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]


def test_the_page_lists_only_strategic_accounts_the_user_sees(
    client, kam, outsider, account, foreign_account
):
    _strategic(account, kam)
    _strategic(foreign_account, outsider)
    AccountFactory(owner=kam, name="Plain Co")
    client.force_login(kam)
    page = client.get(URL).content.decode()
    assert account.name in page and foreign_account.name not in page and "Plain Co" not in page
    assert "1 of" in page  # the share line, over the KAM's own accounts


def test_the_page_shows_plan_against_logged_and_filters_those_behind(client, kam, account, department):
    year = timezone.localdate().year
    _strategic(account, kam)
    services.service_plan_create(account=account, year=year, by=kam, visits=50, calls=0, reviews=0,
                                 budget=Decimal(0))  # fmt: skip
    on_pace = AccountFactory(owner=kam, department=department, name="Calm Co")
    _strategic(on_pace, kam)
    services.service_plan_create(account=on_pace, year=year, by=kam, visits=0, calls=0, reviews=0,
                                 budget=Decimal(0))  # fmt: skip
    InteractionFactory(
        account=account, kind="visit", occurred_at=timezone.make_aware(dt.datetime(year, 1, 2))
    )
    client.force_login(kam)

    page = client.get(URL).content.decode()
    assert "1 / 50" in page

    behind = client.get(URL, {"plan": "behind"}).context["page"].object_list
    assert [a.pk for a in behind] == [account.pk]


def test_a_bad_filter_is_refused_with_a_message(client, kam):
    client.force_login(kam)
    assert client.get(URL, {"plan": "nonsense"}).status_code == 400


def test_the_export_is_a_workbook_of_the_visible_rows(client, kam, account):
    _strategic(account, kam)
    client.force_login(kam)
    response = client.get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_assessment_api_answers_with_the_cap_warning(kam, account):
    api = APIClient()
    api.force_authenticate(kam)
    body = {"volume": True, "loyalty": True, "prestige_brand": True}
    data = api.patch(f"/api/v1/profiles/{account.pk}/assessment/", body, format="json").json()
    assert data["score"] == 3 and "management policy allows" in data["warnings"][0]


@pytest.mark.parametrize("year", ["\N{SUPERSCRIPT TWO}", "0", "99999", "-1", "2026\x00"])
def test_a_year_that_is_no_year_is_refused_next_to_the_picker_with_a_400(client, kam, account, year):
    _strategic(account, kam)
    client.force_login(kam)
    response = client.get(URL, {"year": year})
    assert response.status_code == 400
    assert "Enter a year from 1900 to 2200" in response.content.decode()
    assert client.get(URL, {"year": year, "format": "xlsx"}).status_code == 400


def test_the_export_neutralises_a_formula_like_account_name(client, kam, account):
    account.name = "=1+1"
    account.save()
    _strategic(account, kam)
    client.force_login(kam)
    sheet = openpyxl.load_workbook(BytesIO(client.get(URL, {"format": "xlsx"}).content)).active
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
