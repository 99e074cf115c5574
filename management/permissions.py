"""Who may do what on the management pages."""

from __future__ import annotations

from accounts.models import User


def can_manage_policy(user: User) -> bool:
    """The management rules change everyone's scorecards: heads and admins."""
    return user.is_admin_role or user.is_head
