"""A KAM writes a proposal in the browser: creates it from the account, edits its lines inline (the
table alone is swapped), sees what it needs before sending; the pages fit a phone's width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from proposals import services
from proposals.models import Proposal, SuccessStory
from tests.factories import ContactFactory
from tests.proposals.conftest import add_line

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}


@pytest.fixture
def buying_centre(account):
    boss = ContactFactory(account=account, first_name="Anna", last_name="Koski", dmu_role="decision_maker")
    money = ContactFactory(
        account=account,
        first_name="Bert",
        last_name="Lind",
        dmu_role="financial_approver",
        attitude="opponent",
    )
    return boss, money


@pytest.fixture
def portfolio(account, kam, teammate, buying_centre):
    """Proposals in several states, one of them sent with its follow-up under way."""
    SuccessStory.objects.create(
        title="Coil line retrofit", client_name="Arctic Paper", result="12 % less scrap in the first year",
        recommender_name="Eva Lund", recommender_position="Plant manager",
    )  # fmt: skip
    for i, title in enumerate(["Hot-rolled strip 2027", "Galvanised sheet", "Plate for the new hall"]):
        proposal = services.proposal_create(account=account, by=kam if i % 2 == 0 else teammate, title=title)
        add_line(proposal, quantity=str(10 + i), unit_price="1250.00", discount=str(5 * i))
    sent = Proposal.objects.get(title="Hot-rolled strip 2027")
    services.proposal_transition(proposal=sent, to=Proposal.Status.SENT, by=kam, comment="By e-mail")
    receipt = sent.follow_up_steps.get(key="confirm_receipt")
    services.follow_up_close(step=receipt, by=kam)  # the receipt is confirmed: the next step is open
    return sent


def fits_the_width(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def test_kam_writes_a_proposal_and_edits_its_lines_inline(
    page: Page, log_in, snap, kam, account, buying_centre, portfolio
):
    log_in("owner")
    page.goto(f"/accounts/{account.pk}/proposals/")
    expect(page.locator("#account-proposals")).to_contain_text("Galvanised sheet")
    page.get_by_role("link", name="New proposal").click()
    page.fill("#id_title", "Cold-rolled coil, 2027")
    page.locator("#id_contacts").select_option(label="Anna Koski — Decision maker")
    page.fill("#id_benefits", "Less scrap at the press line: the coil arrives flat.")
    page.fill("#id_annual_savings", "180000")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("Cold-rolled coil, 2027")

    # Lines added inline: only the table is swapped, the totals follow, and so do the moves.
    lines = page.locator("#lines")
    send = page.locator("#workflow button[data-to=sent]")
    expect(send).to_be_disabled()
    for description, quantity, price, discount in [
        ("Coil DC01 1.0 mm", "120", "780.00", "5"),
        ("Coil DC04 0.8 mm", "60", "845.50", "8"),
        ("Slitting to width", "180", "12.00", "0"),
    ]:
        row = lines.locator("tr.adding")
        row.locator("[name=description]").fill(description)
        row.locator("[name=quantity]").fill(quantity)
        row.locator("[name=unit_price]").fill(price)
        row.locator("[name=discount_percent]").fill(discount)
        row.get_by_role("button", name="Add").click()
        expect(lines.locator("tr.line-row", has_text=description)).to_be_visible()
    expect(page.locator("#total-net")).to_have_text("137,751.60 EUR")
    expect(send).to_be_enabled()  # the workflow box came back with the table

    # A bad discount stays in its row with the reason next to it.
    row = lines.locator("tr.adding")
    row.locator("[name=description]").fill("Packaging")
    row.locator("[name=quantity]").fill("1")
    row.locator("[name=unit_price]").fill("100")
    row.locator("[name=discount_percent]").fill("150")
    row.get_by_role("button", name="Add").click()
    expect(lines.locator("tr.adding .invalid-feedback")).to_contain_text("less than or equal to 100")

    # Editing a row in place, then a deep discount that calls for the head's approval.
    lines.locator("tr.line-row", has_text="Coil DC04").get_by_role("link", name="Edit").click()
    editing = lines.locator("tr.editing")
    editing.locator("[name=discount_percent]").fill("25")
    editing.get_by_role("button", name="Save").click()
    expect(lines.locator("tr.editing")).to_have_count(0)
    expect(page.locator("#workflow .refusals")).to_contain_text("department head must approve")
    expect(send).to_be_disabled()

    page.set_viewport_size(DESKTOP)
    snap("proposal-1400")
    page.set_viewport_size(PHONE)
    fits_the_width(page)
    snap("proposal-390")

    page.goto("/proposals/")
    fits_the_width(page)
    snap("list-390")
    page.set_viewport_size(DESKTOP)
    expect(page.locator("#proposal-rows tbody tr")).to_have_count(4)
    page.locator("#id_status").select_option("sent")
    expect(page.locator("#proposal-rows tbody tr")).to_have_count(1)  # refreshed in place by htmx
    page.locator("#id_status").select_option("")
    expect(page.locator("#proposal-rows tbody tr")).to_have_count(4)
    snap("list-1400")

    page.goto(f"/proposals/{portfolio.pk}/")
    expect(page.locator("#follow-up .state-open")).to_contain_text("Ask about the next steps")
    snap("sent-1400")
    page.set_viewport_size(PHONE)
    fits_the_width(page)
    snap("sent-390")
