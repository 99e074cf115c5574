"""The shared look in the browser: contacts picked by typing (Tom Select), served without a CDN."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from proposals.models import Proposal
from tests.factories import ContactFactory

pytestmark = pytest.mark.e2e


def test_contacts_are_picked_by_typing_their_name(page: Page, log_in, snap, kam, account):
    ContactFactory(account=account, first_name="Anna", last_name="Koski", dmu_role="decision_maker")
    ContactFactory(account=account, first_name="Bert", last_name="Lind", dmu_role="buyer")
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    log_in("owner")
    page.goto(f"/accounts/{account.pk}/proposals/new/")
    page.fill("#id_title", "Picked by typing")
    picker = page.locator("#id_contacts + .ts-wrapper input")
    picker.click()
    picker.type("Kos")
    page.locator(".ts-dropdown .option", has_text="Anna Koski").click()
    picker.click()
    picker.fill("")
    picker.type("Lin")
    page.locator(".ts-dropdown .option", has_text="Bert Lind").click()
    expect(page.locator("#id_contacts + .ts-wrapper .item")).to_have_count(2)
    snap("picked")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("Picked by typing")
    proposal = Proposal.objects.get(title="Picked by typing")
    assert {str(c) for c in proposal.contacts.all()} == {"Anna Koski", "Bert Lind"}
    assert all("127.0.0.1" in url or "localhost" in url for url in requested if url.startswith("http"))
