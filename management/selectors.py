"""Reads of the management app, scoped to the user."""

from __future__ import annotations

from .models import ManagementPolicy


def policy_current() -> ManagementPolicy:
    """The management policy in force: the newest version, or an unsaved one with the defaults (a
    read never writes)."""
    return ManagementPolicy.objects.first() or ManagementPolicy()
