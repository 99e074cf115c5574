"""A complaint case's walk: a KAM logs it, it passes its SLA, the head finds it on the past-SLA list
from their desk, the KAM resolves it and the client confirms the resolution."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from dossiers.models import ComplaintCase
from tests.factories import ContactFactory

pytestmark = pytest.mark.e2e


def test_a_complaint_goes_past_its_sla_to_the_heads_list_and_is_resolved_and_confirmed(
    page: Page, log_in, snap, kam, head, account, transactional_db
):
    ContactFactory(account=account, first_name="Anna", last_name="Koski")
    log_in(kam.username)

    # The KAM logs a high-severity complaint on the account: due five days later (the default SLA).
    page.goto(f"/accounts/{account.pk}/complaints/")
    form = page.locator("#complaint-form")
    form.get_by_label("Severity").select_option("high")
    form.get_by_label("Description").fill("Coils delivered with rust spots")
    form.get_by_label("Contact").select_option(label="Anna Koski")
    form.get_by_role("button", name="Log the complaint").click()
    row = page.locator("tr.complaint-row", has_text="Coils delivered with rust spots")
    expect(row).to_contain_text((timezone.localdate() + dt.timedelta(days=5)).isoformat())
    expect(row.locator(".past-sla")).to_have_count(0)
    snap("logged")

    # A week passes without a resolution.
    case = ComplaintCase.objects.get()
    ComplaintCase.objects.filter(pk=case.pk).update(
        opened_at=timezone.now() - dt.timedelta(days=7), due_on=timezone.localdate() - dt.timedelta(days=2)
    )

    # The head's desk says so and leads to the list of the cases past their SLA.
    page.context.clear_cookies()
    log_in(head.username)
    page.goto("/")
    alert = page.locator(".desk-alerts").get_by_role("link", name="1 complaint case past its SLA.")
    expect(alert).to_be_visible()
    snap("head-desk")
    alert.click()
    expect(page.locator("h1")).to_have_text("Complaints past their SLA")
    late = page.locator("tr.complaint-row")
    expect(late).to_have_count(1)
    expect(late).to_contain_text("Coils delivered with rust spots")
    expect(late.locator(".past-sla")).to_be_visible()
    snap("past-sla-list")

    # The KAM resolves it: the resolution is required, its cost recorded.
    page.context.clear_cookies()
    log_in(kam.username)
    page.goto(f"/complaints/{case.pk}/")
    moving = page.locator("#transition-form")
    moving.get_by_label("Move to").select_option("resolved")
    moving.get_by_role("button", name="Move").click()
    expect(page.locator("#transition-form .invalid-feedback")).to_contain_text(
        "Say how the complaint was resolved"
    )
    snap("resolution-required")
    moving = page.locator("#transition-form")
    moving.get_by_label("Move to").select_option("resolved")
    moving.get_by_label("Resolution", exact=True).fill("Coils replaced; credit note for the freight")
    moving.get_by_label("Cost of the resolution").fill("480.00")
    moving.get_by_role("button", name="Move").click()
    expect(page.locator(".complaint-status")).to_have_text("Resolved")
    expect(page.locator(".past-sla")).to_have_count(0)
    snap("resolved")

    # The client confirms: the case is closed, and its life is on the account's timeline.
    page.locator("#transition-form").get_by_label("Move to").select_option("confirmed")
    page.locator("#transition-form").get_by_role("button", name="Move").click()
    expect(page.locator(".complaint-status")).to_have_text("Confirmed by the client")
    expect(page.locator("#transition-form")).to_have_count(0)
    snap("confirmed")

    page.goto(f"/accounts/{account.pk}/timeline/")
    timeline = page.locator("body")
    expect(timeline).to_contain_text("Complaint opened (high): Coils delivered with rust spots")
    expect(timeline).to_contain_text("Complaint resolved: Coils delivered with rust spots")
    expect(timeline).to_contain_text("Resolution confirmed by the client")
    snap("timeline")
    case.refresh_from_db()
    assert case.status == "confirmed" and case.resolution_cost == 480
