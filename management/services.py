"""Writes of the management app."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User

from .models import ManagementPolicy

POLICY_FIELDS = (
    "kam_load_target",
    "neglect_days",
    "strategic_share_cap",
    "sla_days_critical",
    "sla_days_high",
    "sla_days_medium",
    "sla_days_low",
    "access_log_retention_months",
)


@transaction.atomic
def policy_update(*, by: User, **fields: Any) -> ManagementPolicy:
    """Save a new version of the management policy from the one in force and the given values; the
    old versions stay as its history."""
    unknown = set(fields) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"not policy fields: {', '.join(sorted(unknown))}")
    current = ManagementPolicy.objects.first() or ManagementPolicy()
    values = {name: getattr(current, name) for name in POLICY_FIELDS} | fields
    new = ManagementPolicy(created_by=by, **values)
    new.full_clean()
    new.save()
    return new
