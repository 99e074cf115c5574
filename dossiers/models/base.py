"""What every dossier model shares: a queryset scoped through the account it belongs to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from accounts.models import of_visible_accounts

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User


class AccountScopedQuerySet(models.QuerySet[Any]):
    """`visible_to(user)`: rows whose account the user may see (ARCHITECTURE.md, "Visibility")."""

    # The lookup from the model to its account, e.g. "tender__account" for a milestone.
    account_lookup = "account"

    def visible_to(self, user: User | AnonymousUser) -> AccountScopedQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role or user.is_analyst:
            return self
        return self.filter(of_visible_accounts(user, self.account_lookup))


class RegistryQuerySet(models.QuerySet[Any]):
    """Shared reference data (competitors, templates): every logged-in user sees all of it."""

    def visible_to(self, user: User | AnonymousUser) -> RegistryQuerySet:
        return self if user.is_authenticated else self.none()
