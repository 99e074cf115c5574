"""The life of a deep-discount proposal in the browser: the KAM cannot send it, submits it, the head
approves it, the KAM sends it and finds the follow-up on the home page, records the receipt and the
win, and the win rate moves. Screenshots of each step go to test-artifacts/."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from proposals import services
from proposals.models import Proposal
from tests.factories import ContactFactory
from tests.proposals.conftest import add_line

pytestmark = pytest.mark.e2e
S = Proposal.Status


@pytest.fixture
def history(account, kam):
    """One proposal already decided (lost), so the win rate starts at 0 %."""
    ContactFactory(account=account, first_name="Ирина", last_name="Петрова", dmu_role="decision_maker")
    earlier = services.proposal_create(account=account, by=kam, title="Plate, spring lot")
    add_line(earlier, discount="5")
    services.proposal_transition(proposal=earlier, to=S.SENT, by=kam)
    services.proposal_transition(proposal=earlier, to=S.LOST, by=kam, reason="price")


@pytest.fixture
def deep_discount(account, kam, history):
    proposal = services.proposal_create(account=account, by=kam, title="Cold-rolled coil, 2027")
    add_line(proposal, quantity="40", unit_price="845.50", discount="25", description="Coil DC04 0.8 mm")
    return Proposal.objects.get(pk=proposal.pk)


def move(page: Page, to: str) -> None:
    page.locator(f"#workflow button[data-to={to}]").click()


def log_out(page: Page) -> None:
    page.locator("nav #nav-user").click()
    page.get_by_role("button", name="Log out").click()


@pytest.mark.slow(10)
def test_a_deep_discount_goes_through_the_head_to_a_win(page: Page, log_in, snap, deep_discount, head):
    proposal = deep_discount
    log_in("owner")
    page.goto("/proposals/stats/")
    expect(page.locator(".stats-win-rate").first).to_have_text("0 %")

    page.goto(f"/proposals/{proposal.pk}/")
    send = page.locator("#workflow button[data-to=sent]")
    expect(send).to_be_disabled()  # 25 % on a line: the head must approve first
    expect(page.locator("#workflow")).to_contain_text("department head must approve")
    snap("1-draft-sending-refused")
    move(page, "in_approval")
    expect(page.locator("#approval")).to_contain_text("Waiting for approval by the department head")
    snap("2-submitted")

    log_out(page)
    log_in("head")
    page.goto("/proposals/approvals/")
    expect(page.locator("main")).to_contain_text(proposal.number)
    snap("3-approval-queue")
    page.goto(f"/proposals/{proposal.pk}/")
    page.fill("#approval-comment", "Agreed for a three-year contract.")
    page.locator("#approval").get_by_role("button", name="Approve").click()
    expect(page.locator("#workflow")).to_contain_text("approved by")
    snap("4-approved")

    log_out(page)
    log_in("owner")
    page.goto(f"/proposals/{proposal.pk}/")
    move(page, "sent")
    expect(page.locator("#follow-up .state-open")).to_contain_text("Confirm receipt")
    snap("5-sent-follow-up")
    page.goto("/")
    expect(page.locator("main")).to_contain_text(f"{proposal.number} · Confirm receipt of the proposal")
    snap("6-home-follow-up-task")

    page.goto(f"/proposals/{proposal.pk}/")
    move(page, "received")
    expect(page.locator("#follow-up .state-open")).to_contain_text("Ask about the next steps")
    page.locator("#outcome-won summary").click()
    page.locator("#reason-won").select_option("value")
    page.fill("#notes-won", "The savings case convinced the CFO.")
    page.locator("#outcome-won").get_by_role("button", name="Record as won").click()
    expect(page.locator("#workflow")).to_contain_text("Won")
    snap("7-won")
    won = Proposal.objects.get(pk=proposal.pk)
    assert (won.status, won.won_reason, won.approved_by) == (S.WON, "value", head)
    assert not won.follow_up_steps.filter(state="open").exists()

    page.goto("/proposals/stats/")
    expect(page.locator(".stats-win-rate").first).to_have_text("50 %")
    snap("8-win-rate")
    assert won.total_amount == Decimal("25365.00")
