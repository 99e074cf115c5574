"""What a KAM does in the browser: find their account, its buying centre, a contact card; fix a form."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.demo import DEMO_PASSWORD
from accounts.models import Account, User
from proposals.models import Proposal

pytestmark = pytest.mark.e2e

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_kam_walks_from_the_account_list_to_a_contact_card(
    page: Page, log_in, snap, kam, account, contact, foreign_account
):
    log_in("owner")

    page.goto("/accounts/")
    rows = page.locator("#account-rows tbody")
    expect(rows.get_by_role("link", name="Nordic Steel", exact=True)).to_be_visible()
    expect(rows).not_to_contain_text("Baltic Foods")
    snap("account-list")

    rows.get_by_role("link", name="Nordic Steel", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Nordic Steel")
    snap("account")

    page.locator(".nav-tabs").get_by_role("link", name=re.compile(r"^Contacts")).click()
    expect(page).to_have_url(re.compile(rf"/accounts/{account.pk}/contacts/$"))
    contact_link = page.get_by_role("link", name="Laura Virtanen")
    expect(contact_link).to_be_visible()
    snap("contacts")

    contact_link.click()
    expect(page.get_by_role("heading", name="Laura Virtanen")).to_be_visible()
    personal = page.locator(".card.personal")
    expect(personal.get_by_role("heading", name="Personal details")).to_be_visible()
    expect(personal).to_contain_text("sailing")
    snap("contact")


@pytest.mark.parametrize(
    ("name", "website", "bad_field", "message"),
    [
        ("Arctic Paper", "not a url", "website", "Enter a valid URL."),
        ("", "https://www.arcticpaper.example", "name", "This field is required."),
    ],
    ids=["invalid-website", "empty-name"],
)
def test_a_form_error_shows_by_its_field_and_nothing_is_saved(
    page: Page, log_in, snap, kam, name, website, bad_field, message
):
    log_in("owner")
    page.goto("/accounts/new/")
    page.fill("#id_name", name)
    page.fill("#id_website", website)
    page.get_by_role("button", name="Save").click()

    field = page.locator(f"#id_{bad_field}")
    expect(field).to_have_class(re.compile(r"\bis-invalid\b"))
    # The message sits in the field's own column, not in a banner at the top.
    expect(field.locator("xpath=..").locator(".invalid-feedback")).to_have_text(message)
    expect(page.locator(".invalid-feedback")).to_have_count(1)
    expect(page.locator("#id_website")).to_have_value(website)
    snap("form-error")
    assert not Account.objects.exists()


@pytest.mark.skipif(
    os.environ.get("KAM_SCREENSHOTS") != "1", reason="set KAM_SCREENSHOTS=1 to redraw the README screenshots"
)
def test_readme_screenshots(page: Page, log_in, live_server):
    """Redraws docs/screenshot-*.png from the demo data, seen by kam1."""
    call_command("seed_demo")
    kam1 = User.objects.get(username="kam1")
    groups = Account.objects.filter(owner=kam1, parent=None, subsidiaries__isnull=False).distinct()
    group = groups.order_by("name").first()
    contact = group.contacts.order_by("-is_primary", "last_name").first()
    log_in("kam1", DEMO_PASSWORD)

    page.goto("/accounts/")
    expect(page.locator("#account-rows tbody tr").first).to_be_visible()
    page.screenshot(path=DOCS / "screenshot-accounts.png")

    page.goto(group.get_absolute_url())
    subsidiary = group.subsidiaries.order_by("name").first()
    expect(page.get_by_role("link", name=subsidiary.name, exact=True)).to_be_visible()
    page.screenshot(path=DOCS / "screenshot-account.png")

    page.goto(contact.get_absolute_url())
    expect(page.get_by_role("heading", name="Personal details")).to_be_visible()
    page.screenshot(path=DOCS / "screenshot-contact.png")

    # The department head's view of a proposal waiting for their approval.
    page.context.clear_cookies()
    log_in("head", DEMO_PASSWORD)
    waiting = Proposal.objects.filter(status=Proposal.Status.IN_APPROVAL).first()
    page.goto(f"/proposals/{waiting.pk}/")
    expect(page.locator("#approval")).to_be_visible()
    page.screenshot(path=DOCS / "screenshot-proposal.png")
