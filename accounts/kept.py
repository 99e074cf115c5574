"""Figures over the accounts a user sees (the home page's counts, its birthday card), worked out once
and then read from the shared cache until what they count may have changed.

Such a figure is kept under the user's visibility scope and token (`accounts.visibility`) and a second
token, the state generation, replaced whenever an account or a contact is saved or deleted and when
the nightly run or an import sets buying statuses in bulk (`state_changed`). As with the visibility
token, a new random token, never a counter, renewed at the change and again at its commit.

Only with a shared cache (Redis): a cache per process would keep serving another process's stale
figures. Without one every figure is worked out on every request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

from .models import Account, Contact, User
from .visibility import (
    current_token,
    token_changed,
    token_renewed_on_change,
    visibility_generation,
    visibility_scope,
)

STATE_KEY = "accounts:state-generation"
TIMEOUT = 24 * 3600

T = TypeVar("T")


def state_generation() -> str:
    """The current state token."""
    return current_token(STATE_KEY)


def state_changed() -> None:
    """Accounts or contacts changed: a new state token (`accounts.visibility.token_changed`)."""
    token_changed(STATE_KEY)


def kept(name: str, user: User, work_out: Callable[[], T], *parts: Any, timeout: int = TIMEOUT) -> T:
    """`work_out()` for the user, kept under `name`, `parts` (what else it depends on, such as the day
    or the run), the user's role and visibility, and the state token, for at most `timeout` seconds."""
    if not settings.REDIS_URL:
        return work_out()
    # The tokens are read before any row: a figure worked out while they change is kept under a stale one.
    tokens = f"{visibility_generation()}:{state_generation()}"
    key = f"accounts:kept:{name}:{user.role}:{visibility_scope(user)}:{tokens}:" + ":".join(map(str, parts))
    found = cache.get(key)
    if found is None:
        found = work_out()
        cache.set(key, found, timeout)
    return found


def connect_signals() -> None:
    token_renewed_on_change(STATE_KEY, Account, Contact, uid="accounts.kept")
