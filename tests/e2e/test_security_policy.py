"""The pages the policy could break most easily run under it: Swagger UI (drf-spectacular's split view),
the Django admin, and the pages that draw charts or confirm a deletion. Any Content-Security-Policy
violation fails the test (tests/e2e/conftest.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_swagger_ui_draws_the_api_under_the_policy(page: Page, log_in, kam):
    log_in(kam.username)
    page.goto(reverse("api-docs"))
    # The schema of the whole API is built on this request: it takes a while on a loaded machine.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("kam API", timeout=60_000)
    expect(page.locator(".opblock").first).to_be_visible()


def test_the_admin_works_under_the_policy(page: Page, log_in, admin_user, account):
    admin_user.is_staff = True
    admin_user.save()
    log_in(admin_user.username)
    page.goto(reverse("admin:index"))
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(reverse("admin:accounts_account_changelist"))
    page.locator("#action-toggle").check()  # the admin's own script ticks every row
    expect(page.locator("input.action-select").first).to_be_checked()
    page.goto(reverse("admin:accounts_account_change", args=[account.pk]))
    expect(page.locator("#account_form")).to_be_visible()


def test_a_deletion_asks_first_and_stays_when_refused(page: Page, log_in, head, account):
    log_in(head.username)
    page.goto(reverse("accounts:detail", args=[account.pk]))
    form = page.locator(f"form[action='{reverse('accounts:delete', args=[account.pk])}']")
    asked: list[str] = []

    def refuse(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    form.locator("button[type=submit]").click()
    page.wait_for_timeout(200)
    assert asked, "no confirmation was asked"
    expect(page).to_have_url(reverse("accounts:detail", args=[account.pk]))
