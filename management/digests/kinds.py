"""The digests there are, and who receives which."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from accounts.models import User

DAILY = "daily"
WEEKLY = "weekly"
KINDS = {DAILY: _("Daily digest"), WEEKLY: _("Weekly digest")}


def kinds_for(user: User) -> list[str]:
    """A KAM gets the daily digest, a department head the weekly one; analysts and admins none."""
    if not user.is_active or not user.email:
        return []
    if user.is_kam:
        return [DAILY]
    if user.is_head:
        return [WEEKLY]
    return []
