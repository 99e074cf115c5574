"""Two-factor sign-in: required for administrators, optional for everyone else (docs/access.md)."""

from __future__ import annotations

import time

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import User
from retention.models import Notification

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
ENFORCED = override_settings(KAM_TWO_FACTOR_REQUIRED_ROLES=["admin"])


def code_of(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or `steps_ahead` periods later: a code is accepted once,
    and the next period's code is within django-otp's tolerance of one step)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def with_authenticator(user: User) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.pending_device(user=user)
    codes = two_factor.authenticator_confirm(user=user, device=device, code=code_of(device))
    assert codes is not None
    device.refresh_from_db()
    user.refresh_from_db()
    return device, codes


def password_step(client: Client, user: User, next_url: str = "") -> object:
    data = {"username": user.username, "password": PASSWORD}
    return client.post(reverse("login") + (f"?next={next_url}" if next_url else ""), data)


# --- administrators are sent to set it up -----------------------------------------------------


@ENFORCED
@pytest.mark.parametrize(
    "url",
    ["/", "/accounts/", "/admin/", "/api-tokens/", "/auth/password/", "/auth/two-factor/", "/sales/imports/"],
)
def test_an_administrator_without_a_second_factor_is_sent_to_set_it_up_first(client, admin_user, url):
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two-factor-setup')}?next={url.replace('/', '%2F')}"


@ENFORCED
def test_a_form_post_of_an_administrator_without_a_second_factor_changes_nothing(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("tokens"), {"expiry_days": "30"})
    assert (response.status_code, response["Location"]) == (302, reverse("two-factor-setup"))
    assert not admin_user.auth_token_set.exists()


@ENFORCED
def test_the_api_answers_403_to_an_administrator_session_without_a_second_factor(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/api/v1/accounts/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Set up two-factor sign-in first."}


@ENFORCED
def test_an_htmx_fragment_is_refused_rather_than_redirected(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("retention:notifications-badge"), headers={"HX-Request": "true"})
    assert response.status_code == 403


@ENFORCED
def test_setup_logout_health_static_and_language_stay_open(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("two-factor-setup")).status_code == 200
    assert client.get(reverse("health")).status_code == 200
    assert client.get("/static/css/kam.css").status_code != 302  # served by WhiteNoise outside tests
    assert client.post(reverse("language-set"), {"language": "fi", "next": "/"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@ENFORCED
def test_the_demo_exemption_lets_a_listed_administrator_in(client, admin_user):
    client.force_login(admin_user)
    with override_settings(KAM_TWO_FACTOR_EXEMPT_USERNAMES=(admin_user.username,)):
        assert client.get("/").status_code == 200
    assert client.get("/").status_code == 302


@ENFORCED
def test_a_kam_is_not_obliged(client, kam):
    client.force_login(kam)
    assert client.get("/").status_code == 200
    assert b"Two-factor sign-in" in client.get(reverse("two-factor")).content


@override_settings(KAM_TWO_FACTOR_REQUIRED_ROLES=["admin", "head"])
def test_the_required_roles_are_a_setting(client, head, kam):
    client.force_login(head)
    assert client.get("/").status_code == 302
    client.force_login(kam)
    assert client.get("/").status_code == 200


# --- setting it up -----------------------------------------------------------------------------


@ENFORCED
def test_setup_with_a_real_code_turns_it_on_and_shows_ten_backup_codes_once(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("two-factor-setup") + "?next=/accounts/")
    assert b"<svg" in page.content and page.context["key"]
    device = TOTPDevice.objects.get(user=admin_user, confirmed=False)
    # The key shown is the device's secret, in base32.
    assert page.context["key"].replace(" ", "") == two_factor.manual_key(device).replace(" ", "")

    response = client.post(reverse("two-factor-setup") + "?next=/accounts/", {"code": code_of(device)})

    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    codes = response.context["codes"]
    assert len(codes) == 10 == StaticToken.objects.filter(device__user=admin_user).count()
    assert response.context["next_url"] == "/accounts/"
    admin_user.refresh_from_db()
    assert admin_user.two_factor_enabled
    assert client.get("/accounts/").status_code == 200  # the session is verified
    assert codes[0] not in client.get(reverse("two-factor")).content.decode()  # never shown again


def test_a_wrong_code_at_setup_turns_nothing_on(client, kam):
    client.force_login(kam)
    client.get(reverse("two-factor-setup"))
    response = client.post(reverse("two-factor-setup"), {"code": "000000"})
    assert response.status_code == 200 and response.context["error"]
    kam.refresh_from_db()
    assert not kam.two_factor_enabled
    assert not StaticDevice.objects.filter(user=kam).exists()


def test_the_setup_keeps_its_secret_until_confirmed(client, kam):
    client.force_login(kam)
    first = client.get(reverse("two-factor-setup")).context["key"]
    assert client.get(reverse("two-factor-setup")).context["key"] == first


# --- signing in ---------------------------------------------------------------------------------


def test_login_asks_for_the_code_before_the_session_is_signed_in(client, kam):
    device, _codes = with_authenticator(kam)

    response = password_step(client, kam, "/accounts/")

    assert response["Location"] == reverse("two-factor-code")
    assert "_auth_user_id" not in client.session  # not signed in after the password alone
    assert client.get("/accounts/")["Location"].startswith(reverse("login"))
    assert client.get(reverse("two-factor-code")).status_code == 200
    response = client.post(reverse("two-factor-code"), {"code": code_of(device, steps_ahead=1)})
    assert response["Location"] == "/accounts/"
    assert client.get("/accounts/").status_code == 200


def test_a_user_without_a_second_factor_logs_in_with_the_password_alone(client, kam):
    assert password_step(client, kam)["Location"] == reverse("home")
    assert client.get("/").status_code == 200


def test_a_backup_code_works_once(client, kam):
    _device, codes = with_authenticator(kam)
    password_step(client, kam)
    response = client.post(reverse("two-factor-code"), {"code": codes[3].upper()})
    assert response["Location"] == reverse("home")
    assert StaticToken.objects.filter(device__user=kam).count() == 9
    client.post(reverse("logout"))

    password_step(client, kam)
    response = client.post(reverse("two-factor-code"), {"code": codes[3]})

    assert response.status_code == 200 and response.context["error"]
    assert "_auth_user_id" not in client.session


def test_wrong_codes_lock_the_login_out_like_wrong_passwords(client, kam):
    with_authenticator(kam)
    password_step(client, kam)
    for _attempt in range(4):
        assert client.post(reverse("two-factor-code"), {"code": "123456"}).status_code == 200
    response = client.post(reverse("two-factor-code"), {"code": "123456"})
    assert response.status_code == 429  # django-axes' lockout page
    assert AccessAttempt.objects.get(username=kam.username).failures_since_start == 5
    # The password no longer opens the door either, for the cool-off time.
    assert password_step(client, kam).status_code == 429


def test_a_password_login_does_not_reset_the_count_of_wrong_codes(client, kam):
    with_authenticator(kam)
    for _round in range(2):
        password_step(client, kam)
        for _attempt in range(2):
            client.post(reverse("two-factor-code"), {"code": "123456"})
    assert AccessAttempt.objects.get(username=kam.username).failures_since_start == 4


def test_a_wrong_code_makes_the_next_try_wait(client, kam):
    device, _codes = with_authenticator(kam)
    password_step(client, kam)
    client.post(reverse("two-factor-code"), {"code": "123456"})
    # django-otp refuses even the right code for a moment after a wrong one.
    response = client.post(reverse("two-factor-code"), {"code": code_of(device, steps_ahead=1)})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_password_step_expires(client, kam, settings):
    with_authenticator(kam)
    password_step(client, kam)
    settings.KAM_TWO_FACTOR_PENDING_SECONDS = -1
    response = client.get(reverse("two-factor-code"))
    assert response["Location"] == reverse("login")


def test_a_session_signed_in_without_the_code_is_asked_for_it(client, kam):
    device, _codes = with_authenticator(kam)
    client.force_login(kam)  # e.g. a session from before two-factor sign-in was turned on
    assert client.get("/accounts/")["Location"] == f"{reverse('two-factor-code')}?next=%2Faccounts%2F"
    # Nor may it replace the authenticator without the current one.
    assert client.get(reverse("two-factor-setup"))["Location"] == reverse("two-factor-code")
    response = client.post(
        f"{reverse('two-factor-code')}?next=/accounts/", {"code": code_of(device, steps_ahead=1)}
    )
    assert response["Location"] == "/accounts/"
    assert client.get("/accounts/").status_code == 200


def test_the_admin_site_signs_in_through_the_login_page(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response["Location"] == f"{reverse('login')}?next=/admin/"


# --- changing it --------------------------------------------------------------------------------


def verified_client(user: User) -> Client:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    client = Client()
    password_step(client, user)
    client.post(reverse("two-factor-code"), {"code": code_of(device, steps_ahead=1)})
    assert client.get("/").status_code == 200
    return client


def test_new_backup_codes_replace_the_old_ones(kam):
    _device, old = with_authenticator(kam)
    client = verified_client(kam)
    response = client.post(reverse("two-factor-backup-codes"))
    new = response.context["codes"]
    assert len(new) == 10
    assert set(StaticToken.objects.filter(device__user=kam).values_list("token", flat=True)) == set(new)
    assert not set(old) & set(new)


def test_a_kam_may_turn_it_off(kam):
    with_authenticator(kam)
    client = verified_client(kam)
    assert client.post(reverse("two-factor-disable"))["Location"] == reverse("two-factor")
    kam.refresh_from_db()
    assert not kam.two_factor_enabled
    assert (
        not TOTPDevice.objects.filter(user=kam).exists()
        and not StaticDevice.objects.filter(user=kam).exists()
    )


@ENFORCED
def test_an_administrator_may_not_turn_it_off(admin_user):
    with_authenticator(admin_user)
    client = verified_client(admin_user)
    client.post(reverse("two-factor-disable"))
    admin_user.refresh_from_db()
    assert admin_user.two_factor_enabled


# --- an administrator's reset -------------------------------------------------------------------


def test_an_administrator_resets_a_users_second_factor_and_the_user_is_told(client, admin_user, kam):
    with_authenticator(kam)
    client.force_login(admin_user)
    assert b"Reset" in client.get(reverse("admin:accounts_user_change", args=[kam.pk])).content
    assert client.get(reverse("two-factor-reset", args=[kam.pk])).status_code == 200

    response = client.post(reverse("two-factor-reset", args=[kam.pk]))

    assert response["Location"] == reverse("admin:accounts_user_change", args=[kam.pk])
    kam.refresh_from_db()
    assert not kam.two_factor_enabled and not TOTPDevice.objects.filter(user=kam).exists()
    assert Notification.objects.get(user=kam).kind == "two_factor_reset"
    entry = LogEntry.objects.get(object_id=str(kam.pk))
    assert (entry.user_id, entry.change_message) == (admin_user.pk, "Two-factor sign-in reset")
    # Their next login needs the password only.
    assert password_step(Client(), kam)["Location"] == reverse("home")


def test_only_administrators_reset_a_second_factor(client, head, kam):
    with_authenticator(kam)
    client.force_login(head)
    assert client.post(reverse("two-factor-reset", args=[kam.pk])).status_code == 403
    kam.refresh_from_db()
    assert kam.two_factor_enabled


def test_the_flag_follows_the_devices_whoever_changes_them(kam):
    device, _codes = with_authenticator(kam)
    device.delete()  # e.g. in the admin site's django-otp pages
    kam.refresh_from_db()
    assert not kam.two_factor_enabled


def test_the_exemption_cannot_reach_production(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import kam.settings.base as base

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "example.com")
    monkeypatch.setattr(base, "KAM_TWO_FACTOR_EXEMPT_USERNAMES", ("admin",))
    with pytest.raises(ImproperlyConfigured, match="must be empty in production"):
        importlib.reload(importlib.import_module("kam.settings.prod"))


def test_the_dev_settings_exempt_exactly_the_demo_users():
    import importlib

    from accounts.demo import DEMO_USERS

    dev = importlib.import_module("kam.settings.dev")
    assert set(dev.KAM_TWO_FACTOR_EXEMPT_USERNAMES) == {username for username, *_ in DEMO_USERS}


def test_a_misspelt_required_role_stops_the_start(settings):
    from accounts.checks import two_factor_roles

    settings.KAM_TWO_FACTOR_REQUIRED_ROLES = ["admins"]
    assert [error.id for error in two_factor_roles(None)] == ["accounts.E001"]
    settings.KAM_TWO_FACTOR_REQUIRED_ROLES = ["admin", "head"]
    assert two_factor_roles(None) == []
