"""The strategic client's service plan: one per account and year, a stale edit refused, and set
against the logged visits (visits and meetings), calls, business reviews and gifts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from common.errors import StaleEditError
from dossiers import services
from dossiers.models import Interaction, ServicePlan
from dossiers.service_plan_selectors import elapsed_share, service_progress
from tests.factories import AccountFactory, InteractionFactory

pytestmark = pytest.mark.django_db
YEAR = 2026


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _plan(account, kam, **fields):
    values = {"visits": 10, "calls": 20, "reviews": 2, "budget": Decimal("1000"), **fields}
    return services.service_plan_create(account=account, year=YEAR, by=kam, **values)


def test_an_account_has_one_service_plan_per_year(kam, account):
    _plan(account, kam)
    with pytest.raises(ValidationError) as error:
        _plan(account, kam)
    assert "year" in error.value.message_dict
    assert ServicePlan.objects.count() == 1


def test_a_negative_budget_is_refused_on_the_field(kam, account):
    with pytest.raises(ValidationError) as error:
        _plan(account, kam, budget=Decimal("-1"))
    assert "budget" in error.value.message_dict


def test_an_edit_on_a_stale_copy_is_refused_and_changes_nothing(kam, teammate, account):
    plan = _plan(account, kam)
    services.service_plan_update(plan=plan, by=teammate, version=0, visits=12)
    with pytest.raises(StaleEditError):
        services.service_plan_update(plan=plan, by=kam, version=0, visits=99)
    plan.refresh_from_db()
    assert (plan.visits, plan.version, plan.updated_by) == (12, 1, teammate)


def test_a_gift_must_say_what_it_cost_and_a_call_may_not(kam, account):
    when = _at(dt.date(YEAR, 3, 1))
    with pytest.raises(ValidationError) as error:
        services.interaction_create(account=account, by=kam, kind="gift", occurred_at=when, summary="Wine")
    assert "value" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.interaction_create(
            account=account, by=kam, kind="call", occurred_at=when, summary="Hi", value=Decimal(5)
        )
    assert "value" in error.value.message_dict
    gift = services.interaction_create(
        account=account,
        by=kam,
        kind="hospitality",
        occurred_at=when,
        summary="Dinner",
        value=Decimal("120.50"),
    )
    assert gift.value == Decimal("120.50")


def test_the_database_refuses_a_value_on_a_call(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        InteractionFactory(account=account, kind="call", value=Decimal(1))


def test_the_plan_is_set_against_what_was_logged_in_its_year(kam, account):
    _plan(account, kam)
    for kind, day in (("visit", 10), ("meeting", 11), ("call", 12), ("business_review", 13), ("email", 14)):
        InteractionFactory(account=account, kind=kind, occurred_at=_at(dt.date(YEAR, 2, day)))
    InteractionFactory(
        account=account, kind="gift", value=Decimal("300"), occurred_at=_at(dt.date(YEAR, 4, 1))
    )
    InteractionFactory(
        account=account, kind="greeting_card", value=Decimal("20"), occurred_at=_at(dt.date(YEAR, 12, 20))
    )
    InteractionFactory(account=account, kind="visit", occurred_at=_at(dt.date(YEAR - 1, 12, 30)))  # last year
    InteractionFactory(
        account=AccountFactory(), kind="visit", occurred_at=_at(dt.date(YEAR, 2, 1))
    )  # elsewhere

    progress = service_progress(user=kam, account=account, year=YEAR, today=dt.date(YEAR, 7, 2))

    lines = {line.key: line for line in progress.lines}
    assert (lines["visits"].logged, lines["calls"].logged, lines["reviews"].logged) == (2, 1, 1)
    assert lines["spend"].logged == Decimal("320")
    assert lines["visits"].percent == 20  # 2 of 10
    assert lines["visits"].expected == Decimal("5.0")  # half the year gone: 10 x 183/365
    assert lines["visits"].behind and not lines["spend"].behind  # 320 of a 500 pace


def test_the_pace_is_nothing_before_the_year_and_everything_after_it():
    assert elapsed_share(YEAR, dt.date(YEAR - 1, 12, 31)) == 0
    assert elapsed_share(YEAR, dt.date(YEAR + 1, 1, 1)) == 1
    assert elapsed_share(YEAR, dt.date(YEAR, 12, 31)) == 1


def test_the_edit_page_creates_then_updates_and_shows_errors_next_to_the_field(client, kam, account):
    client.force_login(kam)
    url = reverse("dossiers:service-plan-edit", args=[account.pk, YEAR])
    body = {"visits": 6, "calls": 12, "reviews": 1, "budget": "500", "note": "", "version": "0"}
    assert client.post(url, body).status_code == 302
    response = client.post(url, {**body, "budget": "-5"})
    assert response.status_code == 400
    assert response.context["form"].errors["budget"]
    stale = client.post(url, {**body, "visits": 9, "version": "7"})
    assert stale.status_code == 400 and "changed by someone else" in stale.content.decode()
    assert ServicePlan.objects.get().visits == 6


def test_the_plan_tab_shows_the_plan_against_what_was_logged(client, kam, account):
    this_year = timezone.localdate().year
    services.service_plan_create(account=account, year=this_year, by=kam, visits=4, calls=8, reviews=1,
                                 budget=Decimal(900))  # fmt: skip
    client.force_login(kam)
    page = client.get(reverse("dossiers:plans", args=[account.pk])).content.decode()
    assert f"Service plan {this_year}" in page and "Gifts and hospitality" in page


def test_the_api_lists_plans_with_what_was_logged_and_refuses_a_stale_edit(kam, account):
    plan = _plan(account, kam)
    InteractionFactory(account=account, kind="meeting", occurred_at=_at(dt.date(YEAR, 5, 5)))
    api = APIClient()
    api.force_authenticate(kam)
    rows = api.get("/api/v1/service-plans/", {"account": account.pk}).json()["results"]
    assert rows[0]["logged_visits"] == 1 and rows[0]["visits"] == 10
    assert (
        api.patch(f"/api/v1/service-plans/{plan.pk}/", {"calls": 5, "version": 3}, format="json").status_code
        == 409
    )
    bad = api.post("/api/v1/service-plans/", {"account": account.pk, "year": YEAR}, format="json")
    assert bad.status_code == 400 and "year" in bad.json()


def test_the_interaction_api_carries_the_value(kam, account):
    api = APIClient()
    api.force_authenticate(kam)
    body = {
        "account": account.pk,
        "kind": "gift",
        "occurred_at": "2026-03-01T10:00:00Z",
        "summary": "Pen set",
    }
    assert "value" in api.post("/api/v1/interactions/", body, format="json").json()
    created = api.post("/api/v1/interactions/", {**body, "value": "45.00"}, format="json")
    assert created.status_code == 201 and created.json()["value"] == "45.00"
    assert Interaction.objects.get().value == Decimal(45)


@pytest.mark.parametrize("year", ["0", "99999", "\N{SUPERSCRIPT TWO}"])
def test_listing_plans_of_a_year_no_date_can_have_is_a_400_naming_year(kam, account, year):
    api = APIClient()
    api.force_authenticate(kam)
    response = api.get("/api/v1/service-plans/", {"year": year})
    assert response.status_code == 400 and "year" in response.json()
