"""Who may steer the segmentation. Seeing its numbers follows account visibility (selectors)."""

from __future__ import annotations

from accounts.models import User


def can_manage_analysis(user: User) -> bool:
    """Starting runs and changing the policy change everyone's numbers: heads and admins."""
    return user.is_admin_role or user.is_head
