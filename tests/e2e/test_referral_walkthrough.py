"""The referral walk: record who referred a prospect, follow the referral from the referrer's contact
page to the prospect's page, import the prospect's first order and see it converted in the funnel."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Account, LeadSource
from dossiers.models import ProspectQualification
from sales.services import sales_lines_bulk_import
from tests.factories import AccountFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def prospect(kam, department, db):
    """A fully qualified (3P) prospect of the KAM, found at an exhibition."""
    for position, code in enumerate(("cold_call", "referral", "exhibition")):
        LeadSource.objects.get_or_create(
            code=code, defaults={"name": code.replace("_", " ").title(), "position": position}
        )
    fjord = AccountFactory(
        name="Fjord Foundry",
        owner=kam,
        department=department,
        status=Account.Status.PROSPECT,
        lead_source=LeadSource.objects.get(code="exhibition"),
    )
    ProspectQualification.objects.create(
        account=fjord,
        need_confirmed_at=fjord.created_at,
        solvency_confirmed_at=fjord.created_at,
        authority_confirmed_at=fjord.created_at,
        qualified_at=fjord.created_at,
    )
    return fjord


def test_kam_follows_a_referral_and_sees_the_prospect_converted(
    page: Page, log_in, snap, kam, contact, prospect, admin_user
):
    log_in(kam.username)

    # Record on the prospect's page who referred it: a contact of the customer Nordic Steel.
    page.goto(prospect.get_absolute_url())
    expect(page.locator(".lead-source")).to_have_text("Exhibition")
    page.get_by_role("link", name="Record who referred it").click()
    page.select_option("#id_referrer", str(contact.pk))
    page.fill("#id_referred_on", "2026-02-01")
    page.check("#id_referrer_called")
    page.fill("#id_called_on", "2026-02-03")
    page.select_option("#id_outcome", "meeting_held")
    snap("referral-form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".referred-by")).to_contain_text(contact.full_name)
    expect(page.locator(".lead-source")).to_have_text("Referral")

    # From the referrer's contact page, the referral leads back to the prospect.
    page.locator(".referred-by a").first.click()
    expect(page.locator(".contact-referrals")).to_contain_text("Fjord Foundry")
    snap("contact-referrals-given")
    page.locator("a.referred-account").click()
    expect(page.locator("h1, h2").first).to_contain_text("Fjord Foundry")
    snap("prospect-referred-by")

    # Before its first order the prospect stands at the last 3P stage of the funnel (the customer
    # Nordic Steel is counted as converted already).
    page.goto("/management/funnel/")
    expect(page.locator("[data-stage=authority] .at-stage")).to_have_text("1")
    expect(page.locator("[data-stage=first_order] .at-stage")).to_have_text("1")

    # Its first order arrives with the ledger import: the prospect is a customer, converted.
    sales_lines_bulk_import(
        by=admin_user,
        lines=[{"account_external_id": prospect.external_id, "date": "2026-03-02", "amount": "18400.00"}],
    )
    page.reload()
    expect(page.locator("[data-stage=authority] .at-stage")).to_have_text("0")
    expect(page.locator("[data-stage=first_order] .at-stage")).to_have_text("2")
    snap("funnel-converted")

    page.goto("/management/referrals/")
    expect(page.locator("tr.referrer-row")).to_contain_text("18,400.00")
    snap("referrals-report")
