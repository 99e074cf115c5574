"""The key-client type suggested from the data, and accepting it through the accounts service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from analysis.models import AnalysisRun
from management.key_client import key_client_suggestion
from sales.white_space import window
from tests.factories import AccountFactory

from .white_space_data import months, sell

pytestmark = pytest.mark.django_db


def complete_run() -> AnalysisRun:
    first, last = window()
    as_of = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return AnalysisRun.objects.create(as_of=as_of, window_first=first, status=AnalysisRun.Status.COMPLETE)


@pytest.fixture
def book(account, foreign_account, department):
    """Nordic Steel sells 2,000 of a company's 10,000 (20 %); Baltic Foods 8,000; an old small one 0.5 %."""
    last, _before, outside = months()
    small = AccountFactory(name="Small Old", department=department)
    sell(
        (account, last, 2000, "STEEL"),
        (foreign_account, last, 7950, "FOOD"),
        (small, last, 50, "FOOD"),
        (small, outside.replace(year=outside.year - 1), 10, "FOOD"),
    )
    complete_run()
    return small


def test_an_account_over_ten_percent_of_the_revenue_is_a_revenue_contributor_when_no_margins(account, book):
    suggestion = key_client_suggestion(account=account)
    assert suggestion is not None and suggestion.key_client_type == "revenue_contributor"
    # A label and its rule only: neither the account's share nor any company total.
    as_of = AnalysisRun.objects.get().as_of.isoformat()
    assert suggestion.reason == (
        "Holds more than 10 % of the company's revenue (the ledger carries no margins) "
        f"in the latest analysis (to {as_of})."
    )


def test_margins_decide_when_the_ledger_carries_them(account, foreign_account, department):
    last, _before, _outside = months()
    # 50 % of the revenue but 5 % of the margin: no revenue contributor.
    sell((account, last, 1000, "STEEL", 10), (foreign_account, last, 1000, "FOOD", 190))
    complete_run()
    suggestion = key_client_suggestion(account=account)
    assert suggestion is None or suggestion.key_client_type != "revenue_contributor"
    winner = key_client_suggestion(account=foreign_account)
    assert (
        winner is not None and winner.key_client_type == "revenue_contributor" and "margin" in winner.reason
    )


def test_no_run_no_contributor(account):
    sell((account, months()[0], 2000, "STEEL"))
    assert key_client_suggestion(account=account) is None


def test_a_young_account_with_a_big_headcount_or_group_is_a_prospect(department, account):
    big = AccountFactory(name="Big New", headcount=4000, department=department)
    suggestion = key_client_suggestion(account=big)
    assert suggestion is not None and suggestion.key_client_type == "prospect"
    assert "headcount of 4,000" in suggestion.reason and "no sale yet" in suggestion.reason
    child = AccountFactory(name="New Daughter", parent=account, department=department)
    assert "part of a group" in key_client_suggestion(account=child).reason


def test_an_old_small_account_gets_no_suggestion(book):
    book.headcount = 5000
    assert key_client_suggestion(account=book) is None


def test_the_overview_shows_the_suggestion_and_accept_writes_it(client, kam, department):
    big = AccountFactory(name="Big New", headcount=4000, department=department, owner=kam)
    client.force_login(kam)
    page = client.get(big.get_absolute_url()).content.decode()
    assert "Suggested from the data" in page and "headcount of 4,000" in page and ">Accept</button>" in page
    url = reverse("management:key-client-type-accept", args=[big.pk])
    response = client.post(url, {"key_client_type": "prospect", "version": big.version})
    assert response.status_code == 302
    big.refresh_from_db()
    assert big.key_client_type == "prospect" and big.version == 2
    assert ">Accept</button>" not in client.get(big.get_absolute_url()).content.decode()


def test_accept_refuses_a_stale_version_and_writes_nothing(client, kam, department):
    big = AccountFactory(name="Big New", headcount=4000, department=department, owner=kam)
    client.force_login(kam)
    response = client.post(
        reverse("management:key-client-type-accept", args=[big.pk]),
        {"key_client_type": "prospect", "version": big.version + 1},
        follow=True,
    )
    assert "changed by someone else" in response.content.decode()
    big.refresh_from_db()
    assert big.key_client_type == "" and big.version == 1


def test_accept_refuses_a_type_the_data_do_not_suggest(client, kam, department):
    big = AccountFactory(name="Big New", headcount=4000, department=department, owner=kam)
    client.force_login(kam)
    client.post(
        reverse("management:key-client-type-accept", args=[big.pk]),
        {"key_client_type": "expert", "version": big.version},
    )
    big.refresh_from_db()
    assert big.key_client_type == ""


def test_analysts_see_the_suggestion_without_accept(client, analyst, department):
    big = AccountFactory(name="Big New", headcount=4000, department=department)
    client.force_login(analyst)
    page = client.get(big.get_absolute_url()).content.decode()
    assert "Suggested from the data" in page and ">Accept</button>" not in page
    url = reverse("management:key-client-type-accept", args=[big.pk])
    assert client.post(url, {"key_client_type": "prospect", "version": 1}).status_code == 403
