"""Who may run and see imports. Lines themselves follow their account's visibility."""

from __future__ import annotations

from accounts.models import User


def can_import(user: User) -> bool:
    return user.is_admin_role or user.is_head


def can_view_imports(user: User) -> bool:
    """A batch spans many accounts, so its report is for those who see beyond their own."""
    return not user.is_kam


def can_rollback(user: User) -> bool:
    return user.is_admin_role
