"""The prospect funnel: counts, conversions and median days against a hand-computed fixture, the
first purchase of a real import converting a prospect, filters, visibility and pinned query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Account, LeadSource
from dossiers.models import ProspectQualification
from management.funnel import prospect_funnel
from sales.services import sales_lines_bulk_import
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

SOURCES = ("cold_call", "referral", "exhibition", "inbound", "partner", "other")


@pytest.fixture(autouse=True)
def lead_sources(db):
    """The list the migration seeds (tests run without migrations)."""
    for position, code in enumerate(SOURCES):
        LeadSource.objects.get_or_create(code=code, defaults={"name": code.title(), "position": position})


DAY0 = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)


def at(days: int) -> dt.datetime:
    return DAY0 + dt.timedelta(days=days)


def prospect(
    owner, department, *, source="cold_call", created=DAY0, need=None, solvency=None, authority=None
):
    account = AccountFactory(
        owner=owner,
        department=department,
        status=Account.Status.PROSPECT,
        lead_source=LeadSource.objects.get(code=source),
    )
    Account.objects.filter(pk=account.pk).update(created_at=created)
    if need or solvency or authority:
        ProspectQualification.objects.create(
            account=account,
            need_confirmed_at=need and at(need),
            solvency_confirmed_at=solvency and at(solvency),
            authority_confirmed_at=authority and at(authority),
            qualified_at=at(authority) if need and solvency and authority else None,
        )
    return account


def first_orders(admin, *orders: tuple[Account, int]) -> None:
    """Each account's first order, imported as a real ledger would be."""
    lines = [
        {
            "account_external_id": account.external_id,
            "date": at(days).date().isoformat(),
            "amount": "500.00",
            "line_external_id": f"first-{account.pk}",
        }
        for account, days in orders
    ]
    sales_lines_bulk_import(by=admin, lines=lines)


@pytest.fixture
def book(kam, department, outsider, admin_user):
    """Six accounts of the KAM, one per stage and two converted, and one the KAM cannot see:

    | account | need | solvency | authority | first order | stands at |
    | A       |      |          |           |             | prospect  |
    | B       | +4   |          |           |             | need      |
    | C       | +6   | +10      |           |             | solvency  |
    | D       | +2   | +5       | +12       |             | authority |
    | E       | +8   | +9       | +11       | +20         | converted |
    | F       |      |          |           | +30         | converted |
    """
    accounts = {
        "A": prospect(kam, department),
        "B": prospect(kam, department, need=4),
        "C": prospect(kam, department, source="exhibition", need=6, solvency=10),
        "D": prospect(kam, department, need=2, solvency=5, authority=12),
        "E": prospect(kam, department, source="exhibition", need=8, solvency=9, authority=11),
        "F": prospect(kam, department, source="inbound"),
    }
    prospect(outsider, department, need=1)
    first_orders(admin_user, (accounts["E"], 20), (accounts["F"], 30))
    return accounts


def by_key(funnel):
    return {stage.key: stage for stage in funnel.stages}


def test_the_funnel_counts_each_account_at_its_stage_and_as_reaching_those_before(kam, book):
    stages = by_key(prospect_funnel(user=kam))

    assert [s.at_stage for s in stages.values()] == [1, 1, 1, 1, 2]
    assert [s.reached for s in stages.values()] == [6, 5, 4, 3, 2]


def test_conversion_is_each_stage_reached_over_the_previous_one(kam, book):
    stages = by_key(prospect_funnel(user=kam))

    assert [s.conversion_percent for s in stages.values()] == [
        None,
        Decimal("83.3"),  # 5 of 6
        Decimal("80.0"),  # 4 of 5
        Decimal("75.0"),  # 3 of 4
        Decimal("66.7"),  # 2 of 3
    ]


def test_median_days_run_from_entering_the_previous_stage(kam, book):
    stages = by_key(prospect_funnel(user=kam))

    # need: B 4, C 6, D 2, E 8 → 5; solvency: C 4, D 3, E 1 → 3; authority: D 7, E 2 → 4.5;
    # first order: E 20 - 11 = 9 (F has no 3P dates: it counts, without days).
    assert [s.median_days for s in stages.values()] == [None, 5.0, 3.0, 4.5, 9.0]


def test_a_first_purchase_imported_makes_the_prospect_a_converted_customer(kam, department, admin_user):
    newcomer = prospect(kam, department, need=1, solvency=2, authority=3)
    assert by_key(prospect_funnel(user=kam))["authority"].at_stage == 1

    first_orders(admin_user, (newcomer, 5))

    newcomer.refresh_from_db()
    assert newcomer.status == Account.Status.ACTIVE
    stages = by_key(prospect_funnel(user=kam))
    assert (stages["authority"].at_stage, stages["first_order"].at_stage) == (0, 1)


def test_the_funnel_filters_by_source_owner_and_creation_period(kam, head, book, department):
    exhibition = LeadSource.objects.get(code="exhibition")
    assert prospect_funnel(user=kam, filters={"source": str(exhibition.pk)}).total == 2
    assert prospect_funnel(user=head, filters={"owner": str(kam.pk)}).total == 6
    assert prospect_funnel(user=head).total == 7
    prospect(kam, department, created=dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC))
    assert prospect_funnel(user=kam, filters={"period": "2026-01"}).total == 6
    assert prospect_funnel(user=kam, filters={"period": "2025"}).total == 1


def test_a_bad_period_is_refused_on_the_page_and_in_the_api(client, kam, book):
    client.force_login(kam)
    page = client.get("/management/funnel/?period=soon")
    assert page.status_code == 400
    api = APIClient()
    api.force_authenticate(kam)
    response = api.get("/api/v1/prospect-funnel/?period=soon")
    assert response.status_code == 400
    assert "period" in response.json()


def test_the_page_and_the_api_show_the_same_funnel(client, kam, book):
    client.force_login(kam)
    page = client.get("/management/funnel/")
    assert page.status_code == 200
    assert 'data-stage="first_order"' in page.content.decode()
    api = APIClient()
    api.force_authenticate(kam)
    data = api.get("/api/v1/prospect-funnel/").json()
    assert data["total"] == 6
    assert [s["at_stage"] for s in data["stages"]] == [1, 1, 1, 1, 2]
    assert data["stages"][1]["conversion_percent"] == "83.3"


def queries_of(user, url) -> int:
    api = APIClient()
    api.force_authenticate(user)
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/api/v1/prospect-funnel/", "/api/v1/prospect-funnel/?period=2026"])
def test_the_funnel_costs_the_same_queries_for_a_small_and_a_larger_book(kam, department, url):
    for days in range(2):
        prospect(kam, department, need=days + 1)
    small = queries_of(kam, url)
    for days in range(12):
        prospect(kam, department, need=days + 1, solvency=days + 2)
    # 1. the user's visible account ids (the KAM's book, kept in Redis: without Redis the rows query
    # reads the visibility itself), 2. the funnel rows: accounts, their qualification joined, the
    # first purchase date as a subquery.
    assert queries_of(kam, url) == small
    assert small == (2 if settings.REDIS_URL else 1)


def page_queries_of(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # the first view may fill the cache of visible ids
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_funnel_page_costs_the_same_queries_for_a_small_and_a_larger_book(client, kam, department):
    for days in range(2):
        prospect(kam, department, need=days + 1)
    small = page_queries_of(client, kam, "/management/funnel/")
    for days in range(12):
        prospect(kam, department, need=days + 1, solvency=days + 2)
    # The API's queries plus the session, the user and the filter form's choices (sources, KAMs).
    assert page_queries_of(client, kam, "/management/funnel/") == small
