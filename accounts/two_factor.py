"""Two-factor sign-in: an authenticator app (TOTP, django-otp) and ten one-time backup codes.

Who must use it is a setting (KAM_TWO_FACTOR_REQUIRED_ROLES, docs/access.md); everyone else may.
`User.two_factor_enabled` mirrors "has a confirmed authenticator" so that the middleware reads it
from the user already loaded; the device signals below keep it true whoever changes the devices.
"""

from __future__ import annotations

import logging
import re
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import signals
from .models import User

logger = logging.getLogger(__name__)

BACKUP_CODE_COUNT = 10
DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup codes"
_SEPARATORS = re.compile(r"[\s-]+")


def two_factor_required(user: User) -> bool:
    """Whether the user's role obliges them to sign in with a second factor."""
    if user.username in settings.KAM_TWO_FACTOR_EXEMPT_USERNAMES:
        return False
    roles = set(settings.KAM_TWO_FACTOR_REQUIRED_ROLES)
    return ("admin" in roles and user.is_admin_role) or user.role in roles


def _sync_flag(user_id: int) -> None:
    enabled = TOTPDevice.objects.filter(user_id=user_id, confirmed=True).exists()
    User.objects.filter(pk=user_id).exclude(two_factor_enabled=enabled).update(two_factor_enabled=enabled)


def _device_changed(sender: type, instance: TOTPDevice, **kwargs: object) -> None:
    _sync_flag(instance.user_id)


def connect_signals() -> None:
    post_save.connect(_device_changed, sender=TOTPDevice, dispatch_uid="accounts.two_factor.saved")
    post_delete.connect(_device_changed, sender=TOTPDevice, dispatch_uid="accounts.two_factor.deleted")


def pending_device(*, user: User) -> TOTPDevice:
    """The authenticator being set up (unconfirmed): the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def manual_key(device: TOTPDevice) -> str:
    """The secret as the apps ask for it when typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// URL as an inline SVG QR code (segno writes only its own markup)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, title="QR")
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703 # segno draws the URL as modules: none of its text is in the markup


def normalise(code: str) -> str:
    return _SEPARATORS.sub("", code or "").lower()


@transaction.atomic
def authenticator_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator being set up with a code it shows; the new backup codes, or None
    when the code is wrong. Any earlier authenticator and backup codes are replaced."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(normalise(code)):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save()
    return backup_codes_regenerate(user=user)


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """Ten new backup codes (each works once); the old ones stop working. Shown once: only this
    return value holds them in a form meant for the user."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """Remove the user's authenticator and backup codes (their own choice, or an admin's reset)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _sync_flag(user.pk)
    user.two_factor_enabled = False


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> None:
    """An administrator removes a user's second factor (a lost phone): logged in the admin history
    and the application log; the user is told (the management app sends the notification)."""
    two_factor_disable(user=user)
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=User.objects.filter(pk=user.pk),
        action_flag=CHANGE,
        change_message="Two-factor sign-in reset",
        single_object=True,
    )
    logger.warning("Two-factor sign-in of user %s reset by %s", user.pk, by.pk)
    signals.two_factor_reset.send(sender=User, user=user, by=by)


def code_verify(*, user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code` (six digits: the authenticator; else a backup code, used up),
    or None. Each device counts its failures and makes the next try wait (django-otp throttling)."""
    code = normalise(code)
    if not code:
        return None
    model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice if code.isdigit() else StaticDevice
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None
