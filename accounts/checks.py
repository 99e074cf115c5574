"""System checks of the accounts settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def two_factor_roles(app_configs: Any, **kwargs: Any) -> list[Error]:
    """A misspelt role would silently spare that role the second factor: refuse to start instead."""
    from .models import User

    unknown = sorted(set(settings.KAM_TWO_FACTOR_REQUIRED_ROLES) - set(User.Role.values))
    if not unknown:
        return []
    return [
        Error(
            f"KAM_TWO_FACTOR_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use role values: {', '.join(User.Role.values)}.",
            id="accounts.E001",
        )
    ]
