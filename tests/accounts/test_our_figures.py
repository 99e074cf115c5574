"""Our own commercial figures: the Overview's "at a glance" card and the list's 12-month revenue
column (page and API share the FilterSet's ordering)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from analysis.models import AccountSegment, AnalysisRun
from common.calendar import add_months
from proposals import services as proposal_services
from tests.factories import AccountFactory, TaskFactory
from tests.management.white_space_data import sell

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def this_month() -> dt.date:
    return dt.date.today().replace(day=1)


def last_month() -> dt.date:
    """The last complete month: the latest of "the last 12 months" (this one is not over yet)."""
    return add_months(this_month(), -1)


@pytest.fixture
def ledger(account, subsidiary, foreign_account):
    """Nordic Steel: 1,200 last month, 1,000 thirteen months before (+20 %); its subsidiary and a
    foreign account sell far more, and neither may leak into Nordic Steel's figures."""
    sell(
        (account, last_month(), 1200, "STEEL"),
        (account, add_months(last_month(), -13), 1000, "STEEL"),
        (account, add_months(last_month(), -30), 50000, "STEEL"),  # older than both windows
        (subsidiary, last_month(), 7000, "STEEL"),
        (foreign_account, last_month(), 9000, "FOOD"),
    )


def segment(account, run, abc, xyz):
    return AccountSegment.objects.create(
        run=run, account=account, rank=1, abc_class=abc, xyz_class=xyz, value=1200, share=0.1,
        cum_share=0.1, months=12, monthly_mean=100, monthly_std=10, months_with_purchase=1, orders=1,
        purchase_dates=2, months_active=1,
    )  # fmt: skip


def glance(html: str) -> str:
    start = html.index('id="account-glance"')
    return html[start : html.index("</dl>", start)]


def test_the_overview_shows_our_figures_at_a_glance(kam, account, ledger):
    run = AnalysisRun.objects.create(
        as_of=dt.date.today(), window_first=add_months(this_month(), -11), status=AnalysisRun.Status.COMPLETE
    )
    segment(account, run, "A", "X")
    TaskFactory(owner=kam, account=account, title="Send the samples", due_on=dt.date.today())
    TaskFactory(owner=kam, account=account, title="Later task", due_on=dt.date.today() + dt.timedelta(9))
    proposal_services.proposal_create(account=account, by=kam, title="Coil 2027")

    card = glance(logged_in(kam).get(reverse("accounts:detail", args=[account.pk])).content.decode())

    assert "1,200 EUR" in card and "+20% vs the 12 months before" in card
    assert "50,000" not in card and "7,000" not in card and "8,200" not in card
    assert date_format(last_month(), "SHORT_DATE_FORMAT") in card  # the last order
    assert ">AX</span>" in card
    assert "Active" in card  # the buying status
    assert "/ 100" in card  # the health score
    assert "Send the samples" in card and "Later task" not in card
    assert "overdue" not in card  # due today
    assert 'proposals/">1</a>' in card


def test_the_next_task_past_its_date_is_marked_overdue(kam, account):
    TaskFactory(owner=kam, account=account, title="Call back", due_on=dt.date.today() - dt.timedelta(1))
    card = glance(logged_in(kam).get(reverse("accounts:detail", args=[account.pk])).content.decode())
    assert "Call back" in card and "overdue" in card


def test_a_kam_sees_the_figures_only_of_accounts_they_see(kam, account, foreign_account, ledger):
    client = logged_in(kam)
    assert client.get(reverse("accounts:detail", args=[foreign_account.pk])).status_code == 404
    rows = client.get("/accounts/").content.decode()
    assert "9,000 EUR" not in rows and "Baltic Foods" not in rows
    api = client.get("/api/v1/accounts/").json()["results"]
    assert {row["name"] for row in api} == {"Nordic Steel", "Nordic Steel Logistics"}


def test_an_account_without_sales_shows_zero_and_no_trend(kam, account):
    card = glance(logged_in(kam).get(reverse("accounts:detail", args=[account.pk])).content.decode())
    assert "0 EUR" in card and "no sales in the 12 months before" in card
    assert "No order yet" in card and "Not in the latest run" in card and "No open task" in card


def test_the_list_labels_the_clients_turnover_and_sorts_by_our_revenue(kam, account, department, ledger):
    small = AccountFactory(name="Small Buyer", owner=kam, department=department, annual_revenue=10**9)
    sell((small, last_month(), 300, "STEEL"))
    client = logged_in(kam)

    page = client.get("/accounts/", {"ordering": "-revenue_12m"}).content.decode()

    assert "Client's own annual turnover" in page and "Our revenue, 12 months" in page
    assert page.index("Nordic Steel Logistics") < page.index("Nordic Steel</a>") < page.index("Small Buyer")
    assert "7,000 EUR" in page and "1,200 EUR" in page and "300 EUR" in page
    ascending = client.get("/accounts/", {"ordering": "revenue_12m"}).content.decode()
    assert ascending.index("Small Buyer") < ascending.index("Nordic Steel</a>")


def test_the_api_orders_by_our_revenue_with_the_same_filterset(kam, account, subsidiary, ledger):
    rows = logged_in(kam).get("/api/v1/accounts/", {"ordering": "-revenue_12m"}).json()["results"]
    assert [(r["name"], r["revenue_12m"]) for r in rows] == [
        ("Nordic Steel Logistics", "7000.00"),
        ("Nordic Steel", "1200.00"),
    ]
    rows = logged_in(kam).get("/api/v1/accounts/", {"ordering": "revenue_12m"}).json()["results"]
    assert [r["name"] for r in rows] == ["Nordic Steel", "Nordic Steel Logistics"]
