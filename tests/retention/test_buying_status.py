"""One buying status per account: computed from the rhythm, held lost by a recorded loss until the
account buys again, a prospect until its first purchase; every page and the API say the same."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Account, User
from analysis.models import AccountSegment
from analysis.services import run_create, run_execute
from retention import services
from retention.churn_selectors import churn_list
from retention.models import LossRecord, Notification
from retention.selectors import latest_run
from sales.services import sales_lines_bulk_import

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _buy(by, external_id, day, amount="100.00", n=[0]):  # noqa: B006 - a counter for unique line ids
    n[0] += 1
    line = {"line_external_id": f"B{n[0]}-{external_id}", "account_external_id": external_id,
            "date": day.isoformat(), "amount": amount}  # fmt: skip
    assert sales_lines_bulk_import(by=by, lines=[line]).status == "done"


def _run(as_of):
    return run_execute(run=run_create(by=None, as_of=as_of, trigger="command"))


@pytest.fixture
def customer(admin_user, account, kam):
    """`account` buys monthly for a year, last 40 days ago: active by its rhythm."""
    for months in range(12, 0, -1):
        _buy(admin_user, account.external_id, TODAY - dt.timedelta(days=40 + 30 * (months - 1)))
    _run(TODAY)
    account.refresh_from_db()
    return account


def test_an_account_is_a_prospect_until_its_first_purchase(admin_user, kam, department):
    account = Account.objects.create(name="New Co", external_id="N1", owner=kam, department=department)
    assert account.status == Account.Status.PROSPECT
    _buy(admin_user, "N1", TODAY - dt.timedelta(days=3))
    account.refresh_from_db()
    assert account.status == Account.Status.ACTIVE  # at import, before any run


def test_the_run_sets_the_rhythm_status(customer):
    assert customer.status == Account.Status.ACTIVE
    _run(TODAY + dt.timedelta(days=60))  # 100 days without a purchase, usually every 30
    customer.refresh_from_db()
    assert customer.status == Account.Status.LOST


def test_users_cannot_set_the_status_by_hand(customer, kam):
    client = APIClient()
    client.force_authenticate(kam)
    response = client.patch(f"/api/v1/accounts/{customer.pk}/", {"status": "lost"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "active"
    customer.refresh_from_db()
    assert customer.status == Account.Status.ACTIVE


def test_a_recorded_loss_holds_until_the_account_buys_again(customer, kam, head, admin_user):
    loss = services.loss_record_create(
        account=customer, by=kam, lost_on=TODAY - dt.timedelta(days=10), reason="price"
    )
    customer.refresh_from_db()
    assert customer.status == Account.Status.LOST
    _run(TODAY)  # the rhythm says active: the recorded loss wins
    customer.refresh_from_db()
    assert customer.status == Account.Status.LOST
    _buy(admin_user, customer.external_id, TODAY - dt.timedelta(days=1))
    loss.refresh_from_db()
    customer.refresh_from_db()
    assert loss.recovered_on == TODAY - dt.timedelta(days=1)
    assert customer.status == Account.Status.ACTIVE
    told = Notification.objects.filter(kind="churn_recovered", account=customer)
    assert {n.user for n in told} == {kam, head}
    assert "recovered" in told.first().title


def test_a_loss_cannot_be_dated_before_the_last_purchase(customer, kam):
    with pytest.raises(Exception) as error:
        services.loss_record_create(
            account=customer, by=kam, lost_on=TODAY - dt.timedelta(days=60), reason="price"
        )
    assert "lost_on" in error.value.message_dict
    assert not LossRecord.objects.exists()
    customer.refresh_from_db()
    assert customer.status == Account.Status.ACTIVE


def test_removing_a_loss_recorded_in_error_restores_the_rhythm_status(customer, kam):
    loss = services.loss_record_create(
        account=customer, by=kam, lost_on=TODAY - dt.timedelta(days=5), reason="price"
    )
    services.loss_record_delete(loss=loss)
    customer.refresh_from_db()
    assert customer.status == Account.Status.ACTIVE


# --- the demo: every place that shows a status says the same --------------------------------------


def _badges(html: str) -> list[str]:
    return re.findall(r'class="badge [^"]*(?:churn|text-bg)-[^"]*">([^<]+)</span>', html)


@pytest.mark.slow(12)
def test_the_demo_statuses_agree_everywhere(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    head = User.objects.get(username="head")
    client.force_login(head)
    api = APIClient()
    api.force_authenticate(head)
    accounts = {a.pk: a for a in Account.objects.visible_to(head)}
    truth = Counter(a.status for a in accounts.values())
    assert truth[Account.Status.LOST] and truth[Account.Status.AT_RISK] and truth[Account.Status.PROSPECT]

    home = client.get("/").context["status_counts"]
    assert {k: v for k, v in home.items() if v} == dict(truth)

    api_rows = api.get("/api/v1/accounts/", {"page_size": 500}).json()["results"]
    assert {r["id"]: r["status"] for r in api_rows} == {pk: a.status for pk, a in accounts.items()}

    for status in (Account.Status.AT_RISK, Account.Status.LOST):
        listed = client.get(reverse("accounts:list"), {"status": status, "page_size": 100})
        assert listed.context["page"].paginator.count == truth[status]
        run = latest_run()
        in_run = {s.account_id for s in AccountSegment.objects.filter(run=run)}
        expected = {pk for pk, a in accounts.items() if a.status == status and pk in in_run}
        assert {s.account_id for s in churn_list(user=head, run=run, statuses=[status])} == expected
        churn_api = api.get("/api/v1/retention/churn/", {"status": status, "page_size": 500}).json()
        assert {r["account"] for r in churn_api["results"]} == expected
        assert {r["churn_status"] for r in churn_api["results"]} <= {status}

    for pk in list(accounts)[:60:7]:  # the account header
        page = client.get(reverse("accounts:detail", args=[pk])).content.decode()
        assert accounts[pk].get_status_display() in _badges(page)

    segments = api.get("/api/v1/segments/", {"run": "latest", "page_size": 500}).json()["results"]
    assert all(r["buying_status"] == accounts[r["account"]].status for r in segments)
    segment_page = client.get(reverse("analysis:segments"), {"page_size": 100})
    for s in segment_page.context["page"]:
        assert s.account.status == accounts[s.account_id].status
