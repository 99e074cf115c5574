"""An administrator's first login sets up two-factor sign-in; the next login asks for the code."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.factories import UserFactory

from .conftest import FACTORY_PASSWORD

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1400, "height": 900}


def app_code(key: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed in by hand (or a period later: a code is
    accepted once, and the next period's code is within one step of tolerance)."""
    secret = key.replace(" ", "")
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def password_step(page: Page, username: str) -> None:
    page.goto("/auth/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", FACTORY_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def both_widths(page: Page, snap, step: str) -> None:
    snap(f"{step}-1400")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    snap(f"{step}-390")
    page.set_viewport_size(WIDE)


@override_settings(KAM_TWO_FACTOR_REQUIRED_ROLES=["admin"])
def test_an_administrator_sets_up_two_factor_sign_in_and_logs_in_with_a_code(
    page: Page, snap, transactional_db
):
    UserFactory(username="root", role=User.Role.ADMIN)

    password_step(page, "root")
    expect(page).to_have_url(re.compile(r"/auth/two-factor/setup/"))
    expect(page.get_by_text("Your role requires two-factor sign-in")).to_be_visible()
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    both_widths(page, snap, "setup")
    page.goto("/accounts/")  # no page before the set-up
    expect(page).to_have_url(re.compile(r"/auth/two-factor/setup/"))

    key = page.locator("#two-factor-key").inner_text()
    page.fill("#id_code", app_code(key))
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("#backup-codes li")).to_have_count(10)
    both_widths(page, snap, "backup-codes")
    page.get_by_role("link", name="I have saved them").click()
    expect(page).to_have_url(re.compile(r"/accounts/$"))

    page.locator("#nav-user").click()
    page.get_by_role("button", name="Log out").click()
    password_step(page, "root")
    expect(page).to_have_url(re.compile(r"/auth/two-factor/code/"))
    both_widths(page, snap, "code")
    page.fill("#id_code", "000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not right")
    time.sleep(1.1)  # django-otp makes the next try wait a second after a wrong code
    page.fill("#id_code", app_code(key, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    expect(page.locator("nav #nav-user")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/auth/"))
    page.goto("/auth/two-factor/")
    expect(page.get_by_text("10 backup codes left.")).to_be_visible()
    both_widths(page, snap, "settings")
