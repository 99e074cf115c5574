"""GET /api/v1/accounts/{id}/consumption-report/?half=2026H1&format=xlsx|pdf"""

from io import BytesIO

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(account, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/v1/accounts/{account.pk}/consumption-report/?{query}"


def test_the_owner_gets_the_workbook(kam, account, ledger):
    response = client_for(kam).get(url(account, half="2026H1", format="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="nordic-steel-consumption-2026h1.xlsx"' in response["Content-Disposition"]
    assert load_workbook(BytesIO(response.content))["Summary"]["A2"].value == "2023"


def test_the_teammate_gets_the_pdf(teammate, account, ledger):
    response = client_for(teammate).get(url(account, half="2026H1", format="pdf"))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF")


def test_an_outsider_gets_404_for_an_account_they_cannot_see(outsider, account, ledger):
    response = client_for(outsider).get(url(account, half="2026H1", format="pdf"))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"half": "2026H1", "format": "docx"}, "format", "format must be one of: xlsx, pdf; got 'docx'."),
        ({"half": "2026H1", "format": ""}, "format", "format must be one of: xlsx, pdf; got ''."),
        (
            {"half": "2026-13", "format": "pdf"},
            "half",
            "'2026-13' is not a half-year: write it like 2026H1 or 2026H2.",
        ),
        ({"half": "2199H2", "format": "pdf"}, "half", "2199H2 has not begun yet."),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(kam, account, ledger, params, field, message):
    response = client_for(kam).get(url(account, **params))
    assert response.status_code == 400
    assert response.json() == {field: [message]}


def test_a_foreign_account_is_404_even_with_bad_parameters(outsider, account):
    assert client_for(outsider).get(url(account, format="docx")).status_code == 404


def test_without_a_half_the_last_closed_one_is_reported(kam, account, ledger):
    response = client_for(kam).get(url(account, format="xlsx"))
    assert response.status_code == 200 and "-consumption-" in response["Content-Disposition"]


def test_the_report_costs_two_queries_whatever_the_ledger(head, account, ledger, django_assert_num_queries):
    # A head: a KAM's visible ids are worked out once and kept with a shared cache (one more query).
    # 1. the visible account (of the head's departments), with the counts the account selector adds
    # 2. the account's monthly rollup rows over the span, product line joined
    with django_assert_num_queries(2):
        response = client_for(head).get(url(account, half="2026H1", format="xlsx"))
    assert response.status_code == 200
