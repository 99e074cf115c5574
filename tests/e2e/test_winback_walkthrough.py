"""Issue 7's win-back walk: pick lost accounts on the list, start a campaign, record steps and outcomes,
and see the recovered revenue once new sales are imported."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from retention.models import CampaignTarget, WinBackCampaign
from tests.factories import AccountFactory
from tests.retention.helpers import buy, monthly, run_as_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def lost_accounts(kam, account, department):
    """Two of the KAM's accounts lost by their own rhythm, one still active."""
    today = timezone.localdate()
    second = AccountFactory(name="Quiet Steel", owner=kam, department=department)
    active = AccountFactory(name="Busy Metals", owner=kam, department=department)
    buy(account, monthly(today - dt.timedelta(days=700), 12), amount="1200.00")
    buy(second, monthly(today - dt.timedelta(days=600), 8), amount="800.00")
    buy(active, monthly(today - dt.timedelta(days=300), 10))
    run_as_of(today)
    return account, second


def test_kam_wins_back_a_lost_account_and_sees_the_recovered_revenue(
    page: Page, log_in, snap, kam, lost_accounts
):
    first, second = lost_accounts
    log_in(kam.username)

    # The lost accounts, most value at stake first.
    page.get_by_role("link", name="Retention").first.click()
    page.get_by_role("link", name=re.compile(r"^Lost")).click()
    rows = page.locator("tr.churn-row")
    expect(rows).to_have_count(2)
    expect(page.locator("tr.churn-row[data-status=active]")).to_have_count(0)
    snap("lost-accounts")

    # Pick both and start a campaign.
    page.get_by_label(f"Pick {first.name}").check()
    page.get_by_label(f"Pick {second.name}").check()
    page.get_by_role("button", name="Start a win-back campaign").click()
    expect(page.locator(".campaign-targets")).to_contain_text(first.name)
    page.fill("#id_name", "Spring comeback")
    page.fill("#id_goal", "Half of last year's volume back")
    page.select_option("#id_method", "discount")
    page.fill("#id_budget", "500")
    page.fill("#id_starts_on", str(timezone.localdate() - dt.timedelta(days=3)))
    snap("new-campaign")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_have_text("Spring comeback")
    expect(page.locator("tr.target-row")).to_have_count(2)

    # Work the first target: a step, then the outcome.
    row = page.locator("tr.target-row", has_text=first.name)
    row.get_by_placeholder("Step taken…").fill("Visited with a 10 % discount")
    row.get_by_role("button", name="Add").click()
    row = page.locator("tr.target-row", has_text=first.name)
    expect(row).to_contain_text("Visited with a 10 % discount")
    row.get_by_label("Outcome", exact=True).select_option("won_back")
    row.get_by_role("button", name="Save").click()
    page.locator("tr.target-row", has_text=second.name).get_by_label("Outcome", exact=True).select_option(
        "declined"
    )
    page.locator("tr.target-row", has_text=second.name).get_by_role("button", name="Save").click()
    expect(page.locator("#recovered-total")).to_have_text("0 EUR")
    snap("outcomes-recorded")

    # New sales arrive through an import; the campaign page counts them as recovered.
    buy(first, [timezone.localdate() - dt.timedelta(days=1)], amount="4200.00")
    page.reload()
    expect(page.locator("#recovered-total")).to_have_text("4,200 EUR")
    expect(page.locator("tr.target-row", has_text=first.name).locator(".recovered")).to_have_text("4,200 EUR")
    snap("recovered-revenue")

    campaign = WinBackCampaign.objects.get(name="Spring comeback")
    outcomes = dict(CampaignTarget.objects.filter(campaign=campaign).values_list("account__name", "outcome"))
    assert outcomes == {first.name: "won_back", second.name: "declined"}
