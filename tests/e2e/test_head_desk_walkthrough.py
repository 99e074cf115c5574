"""The head's desk walk on the demo: home → the KAM over the load target → their neglected account →
the handover brief → the semester consumption report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


@pytest.mark.slow(11)
def test_the_head_follows_an_overloaded_kam_to_a_forgotten_account_and_its_reports(
    page: Page, log_in, snap, demo
):
    log_in("head", DEMO_PASSWORD)

    # The home page leads with the department: its quarter, the alerts and the KAMs needing attention.
    desk = page.locator("#department-desk")
    expect(desk.locator(".desk-plan")).to_contain_text("Key Accounts")
    expect(desk.locator(".desk-alerts")).to_contain_text("more key accounts than the target load")
    overloaded = desk.locator("tr.attention-row", has_text="Diego Santos")
    expect(overloaded).to_contain_text("over load")
    snap("home")

    # The KAM's card: ten key accounts against nine, and the account nobody visited for 60 days.
    overloaded.get_by_role("link", name="Diego Santos").click()
    expect(page.locator("#fig-key-accounts")).to_have_text("10 / 9")
    neglected = page.locator("#neglected")
    expect(neglected).to_contain_text("Vega Paper")
    snap("kam-card")

    neglected.get_by_role("link", name="Vega Paper").click()
    expect(page.locator("h1")).to_contain_text("Vega Paper")
    snap("neglected-account")

    # The handover brief says so among the risks, and leads on to the consumption report.
    page.get_by_role("link", name="Handover brief").click()
    expect(page.locator(".last-contact")).to_contain_text(re.compile(r"60 days ago: neglected"))
    snap("handover-brief")

    page.get_by_role("link", name="Consumption report").click()
    expect(page.locator("h2", has_text="Consumption report")).to_contain_text("H1 2026")
    expect(page.locator("body")).to_contain_text("2023, 2024, 2025")
    snap("consumption-report")
