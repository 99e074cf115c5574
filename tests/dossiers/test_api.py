"""Dossier API: same rules as the services; foreign → 404, stale → 409, bad input → 400 on the field."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.visibility import cached_subtree_ids as keep_visible_ids
from dossiers.models import AccountProfile, Interaction, ProfileChange, Task, Tender
from tests.factories import InteractionFactory, PlanFactory, TaskFactory, TenderFactory

pytestmark = pytest.mark.django_db

MEETING = {"kind": "meeting", "occurred_at": "2026-03-02T10:00:00Z", "summary": "Volumes"}
TENDER = {"title": "Rolling stock", "announced_on": "2026-01-10", "submission_on": "2026-10-15"}


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_profile_is_read_and_written_by_account(kam, account):
    api = client_for(kam)
    empty = api.get(f"/api/v1/profiles/{account.pk}/").json()
    assert (empty["description"], empty["version"]) == ("", 0)

    response = api.patch(f"/api/v1/profiles/{account.pk}/", {"description": "Steel", "version": 0})

    assert response.status_code == 200, response.json()
    assert (response.json()["description"], response.json()["version"]) == ("Steel", 1)
    assert ProfileChange.objects.get().new == "Steel"


def test_a_stale_profile_update_is_409_and_writes_nothing(kam, teammate, account):
    client_for(teammate).patch(f"/api/v1/profiles/{account.pk}/", {"description": "Theirs"})
    response = client_for(kam).patch(f"/api/v1/profiles/{account.pk}/", {"description": "Mine", "version": 0})
    assert response.status_code == 409
    assert "version" in response.json()
    assert AccountProfile.objects.get().description == "Theirs"


def test_a_foreign_profile_is_404(kam, foreign_account):
    assert client_for(kam).get(f"/api/v1/profiles/{foreign_account.pk}/").status_code == 404
    assert (
        client_for(kam).patch(f"/api/v1/profiles/{foreign_account.pk}/", {"history": "x"}).status_code == 404
    )
    assert not AccountProfile.objects.exists()


@pytest.mark.parametrize("ref", ["abc", "null", "1.5", "\u0661", str(2**63), str(10**30)])
@pytest.mark.parametrize("route", ["", "assessment/", "qualification/"])
def test_a_profile_id_that_is_no_account_id_is_404_and_writes_nothing(kam, account, ref, route):
    api = client_for(kam)
    assert api.get(f"/api/v1/profiles/{ref}/{route}").status_code == 404
    write = api.patch if route != "qualification/" else api.post
    assert (
        write(f"/api/v1/profiles/{ref}/{route}", {"description": "x", "criterion": "need"}).status_code == 404
    )
    assert not AccountProfile.objects.exists()


def test_an_interaction_with_a_contact_of_another_account_is_400_on_the_field(kam, account, foreign_contact):
    response = client_for(kam).post(
        "/api/v1/interactions/", {**MEETING, "account": account.pk, "contacts": [foreign_contact.pk]}
    )
    assert response.status_code == 400
    assert "contacts" in response.json()
    assert not Interaction.objects.exists()


def test_an_interaction_with_a_next_step_puts_a_task_on_the_authors_list(kam, account, contact):
    api = client_for(kam)
    body = {
        **MEETING,
        "account": account.pk,
        "contacts": [contact.pk],
        "next_step": "Offer",
        "next_step_due": "2026-03-09",
    }
    assert api.post("/api/v1/interactions/", body).status_code == 201

    tasks = api.get("/api/v1/tasks/").json()["results"]

    assert [(t["title"], t["due_on"], t["done"]) for t in tasks] == [("Offer", "2026-03-09", False)]
    done = api.post(f"/api/v1/tasks/{tasks[0]['id']}/complete/")
    assert done.status_code == 200 and done.json()["done"] is True


def test_the_task_list_holds_only_the_callers_own_tasks(kam, teammate, account):
    TaskFactory(owner=teammate, account=account, title="Theirs")
    TaskFactory(owner=kam, account=account, title="Mine")
    assert [t["title"] for t in client_for(kam).get("/api/v1/tasks/").json()["results"]] == ["Mine"]


def test_the_timeline_filters_by_kind_within_visibility(kam, account, foreign_account):
    InteractionFactory(account=account, kind="call")
    InteractionFactory(account=account, kind="complaint")
    InteractionFactory(account=foreign_account, kind="call")
    rows = client_for(kam).get("/api/v1/interactions/", {"kind": "call"}).json()["results"]
    assert [(r["account"], r["kind"]) for r in rows] == [(account.pk, "call")]


def test_a_submission_before_the_announcement_is_400_on_the_field(kam, account):
    response = client_for(kam).post(
        "/api/v1/tenders/", {**TENDER, "account": account.pk, "submission_on": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "submission_on" in response.json()
    assert not Tender.objects.exists()


def test_a_tender_comes_with_its_preparation_plan(kam, account):
    response = client_for(kam).post("/api/v1/tenders/", {**TENDER, "account": account.pk})
    assert response.status_code == 201, response.json()
    milestones = response.json()["milestones"]
    assert (milestones[0]["due_on"], milestones[-1]["due_on"]) == ("2026-01-15", "2026-10-15")


def test_a_stale_tender_update_is_409(kam, account):
    tender = TenderFactory(account=account, version=3)
    response = client_for(kam).patch(f"/api/v1/tenders/{tender.pk}/", {"title": "Mine", "version": 2})
    assert response.status_code == 409
    assert Tender.objects.get().title == tender.title


def test_analysts_read_but_do_not_write(analyst, account):
    api = client_for(analyst)
    assert api.get("/api/v1/tenders/").status_code == 200
    assert api.post("/api/v1/tenders/", {**TENDER, "account": account.pk}).status_code == 403
    assert api.patch(f"/api/v1/profiles/{account.pk}/", {"history": "x"}).status_code == 403


def test_a_foreign_tender_and_task_are_404(kam, foreign_account):
    tender = TenderFactory(account=foreign_account)
    task = TaskFactory(owner=foreign_account.owner, account=foreign_account)
    api = client_for(kam)
    assert api.get(f"/api/v1/tenders/{tender.pk}/").status_code == 404
    assert api.post(f"/api/v1/tasks/{task.pk}/complete/").status_code == 404
    assert not Task.objects.get().done


def test_a_duplicate_plan_year_is_400_on_the_field(kam, account):
    api = client_for(kam)
    assert api.post("/api/v1/account-plans/", {"account": account.pk, "year": 2026}).status_code == 201
    response = api.post("/api/v1/account-plans/", {"account": account.pk, "year": 2026})
    assert response.status_code == 400 and "year" in response.json()


def test_a_presence_with_a_share_above_100_is_400_on_the_field(kam, account):
    rival = client_for(kam).post("/api/v1/competitors/", {"name": "SteelCo"}).json()
    response = client_for(kam).post(
        "/api/v1/competitor-presences/",
        {"account": account.pk, "competitor": rival["id"], "estimated_share": 120},
    )
    assert response.status_code == 400 and "estimated_share" in response.json()


@pytest.mark.parametrize("url", ["/api/v1/interactions/", "/api/v1/tenders/", "/api/v1/account-plans/"])
def test_lists_run_a_constant_number_of_queries(kam, account, contact, url):
    def add_rows(year):
        InteractionFactory(account=account).contacts.set([contact])
        TenderFactory(account=account)
        PlanFactory(account=account, year=year)

    api = client_for(kam)
    add_rows(2026)
    keep_visible_ids(kam)  # as after a first request: a KAM's account ids are kept (accounts.visibility)
    with CaptureQueriesContext(connection) as one:
        assert api.get(url).status_code == 200
    for year in (2027, 2028, 2029):
        add_rows(year)
    with CaptureQueriesContext(connection) as four:
        assert api.get(url).json()["count"] == 4
    assert len(four) == len(one)


def test_the_assessment_is_ticked_through_the_profile(kam, account):
    url = f"/api/v1/profiles/{account.pk}/assessment/"
    assert client_for(kam).get(url).json()["score"] == 0
    response = client_for(kam).patch(url, {"volume": True, "pays_cash": True, "priority_dispatch": True})
    assert response.status_code == 200, response.json()
    assert (response.json()["score"], response.json()["priority_dispatch"]) == (2, True)


def test_a_prospect_is_qualified_through_the_api(kam, account):
    url = f"/api/v1/profiles/{account.pk}/qualification/"
    refused = client_for(kam).post(url, {"criterion": "need"})
    assert refused.status_code == 400 and "criterion" in refused.json()  # not a prospect
    account.status = "prospect"
    account.save()
    for criterion in ("need", "solvency", "authority"):
        response = client_for(kam).post(url, {"criterion": criterion})
    assert response.status_code == 200
    assert response.json()["is_qualified"] is True and response.json()["need_confirmed_by"] == kam.pk
    assert client_for(kam).post(url, {"criterion": "budget"}).status_code == 400


def test_an_account_plan_answers_its_yearly_sales_plan_as_a_read_only_revenue_target(client, head, account):
    from decimal import Decimal

    from sales.periods import parse
    from sales.plan_services import plan_create

    plan_create(by=head, period=parse("2026"), amount=Decimal(1000), account=account)
    client.force_login(head)
    body = {"account": account.pk, "year": 2026, "revenue_target": "5"}  # ignored: read-only
    created = client.post("/api/v1/account-plans/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["revenue_target"] == "1000.00"
    listed = client.get("/api/v1/account-plans/").json()["results"]
    assert [p["revenue_target"] for p in listed] == ["1000.00"]


def test_a_head_lists_a_kams_overdue_tasks_on_the_accounts_they_see(client, head, kam, account, other_head):
    today = timezone.localdate()
    late = TaskFactory(owner=kam, account=account, due_on=today - dt.timedelta(days=2))
    TaskFactory(owner=kam, account=account, due_on=today + dt.timedelta(days=2))
    TaskFactory(owner=kam, account=None, due_on=today - dt.timedelta(days=2), title="Private")
    client.force_login(head)
    body = client.get(f"/api/v1/tasks/?owner={kam.pk}&overdue=true").json()
    assert [row["id"] for row in body["results"]] == [late.pk]
    assert client.get("/api/v1/tasks/").json()["count"] == 0  # without ?owner=: the head's own
    client.force_login(other_head)
    assert client.get(f"/api/v1/tasks/?owner={kam.pk}").json()["count"] == 0
