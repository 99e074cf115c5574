"""Who sees the same accounts, and a token that changes whenever what anyone sees may have changed.

Figures worked out once for the accounts a user sees (the segmentation dashboard's, for instance)
are kept under `visibility_scope(user)` + `visibility_generation()`:

- the scope names the visible set: "all" for admins and analysts, else the user's role and id;
- the generation is a random token in the cache, replaced when a transaction may change who sees
  what, and again when it commits: an account saved with a new owner, department, parent or path,
  an account deleted, a team member added or removed, a user's departments changed (signals below,
  so the admin site counts too). A new token, never a counter: an evicted key can't bring back
  figures kept under an older one.

A change of a user's role needs no new token: it changes the scope's name.

The ids of the accounts a KAM sees are kept the same way (`cached_subtree_ids`): every list, tab and
card then filters on a known set of a few hundred ids instead of testing each row against the
user's managed subtrees, which the planner can't estimate and runs as a nested loop over the whole
table. Only with a shared cache (Redis): with a cache per process, another process would not see a
new token and would keep showing what the user no longer may see.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from common.request_memo import forget, remembered

from .models import Account, AccountTeamMember, User

GENERATION_KEY = "accounts:visibility-generation"
# Past this many, the ids would make a long statement: the subtree test runs in SQL instead.
SUBTREE_IDS_MAX = 5000
# Saving only these fields of an account changes what someone sees (the path follows the parent).
VISIBILITY_FIELDS = frozenset(
    {"owner", "owner_id", "department", "department_id", "parent", "parent_id", "path"}
)


def visibility_scope(user: User) -> str:
    """The name of the set of accounts the user sees: "all" for everyone who sees every account,
    else the user's role and id (a head's departments are in the generation, not in the name, so
    that naming the scope costs no query)."""
    if user.sees_every_account:
        return "all"
    return f"{user.role}:{user.pk}"


def current_token(key: str) -> str:
    """The token kept under `key` (a new one if the cache lost it), read once per request."""
    return remembered(key, lambda: _read_token(key))


def _read_token(key: str) -> str:
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        token = cache.get(key)
    return str(token)


def token_changed(key: str) -> None:
    """A new token under `key` now, for what the changing transaction reads next, and again once it
    commits: figures another request worked out in between, from the data before the commit, stay
    under a token nobody reads any more."""

    def renew() -> None:
        cache.set(key, uuid.uuid4().hex, timeout=None)
        forget(key)

    renew()
    transaction.on_commit(renew)


def token_renewed_on_change(key: str, *models: type[Model], uid: str) -> None:
    """Renew the token under `key` (`token_changed`) whenever a row of one of `models` is saved or
    deleted: signals, so the admin site and cascading deletes count too."""

    def renew(sender: Any, **kwargs: Any) -> None:
        token_changed(key)

    for model in models:
        name = model._meta.model_name
        # Held strongly: the receiver is made here, and nothing else would keep it alive.
        post_save.connect(renew, sender=model, weak=False, dispatch_uid=f"{uid}.{name}_saved")
        post_delete.connect(renew, sender=model, weak=False, dispatch_uid=f"{uid}.{name}_deleted")


def visibility_generation() -> str:
    """The current visibility token."""
    return current_token(GENERATION_KEY)


def cached_subtree_ids(user: User) -> list[int] | None:
    """The ids of the accounts in the subtrees the user manages, kept under the current token; None
    without a shared cache, or when they are too many to pass as a list."""
    if not settings.REDIS_URL:
        return None
    # The key names the token: a new token is a new key, in the cache and in the request's memo.
    key = f"accounts:subtree-ids:{visibility_scope(user)}:{visibility_generation()}"
    return remembered(key, lambda: _subtree_ids(user, key))


def _subtree_ids(user: User, key: str) -> list[int] | None:
    ids = cache.get(key)
    if ids is None:
        found = list(
            Account.objects.in_managed_subtrees(user).values_list("pk", flat=True)[: SUBTREE_IDS_MAX + 1]
        )
        ids = found if len(found) <= SUBTREE_IDS_MAX else "too-many"
        cache.set(key, ids, timeout=24 * 3600)
    return None if ids == "too-many" else ids


def visibility_changed() -> None:
    """Who sees what may have changed: a new visibility token (`token_changed`)."""
    token_changed(GENERATION_KEY)


def _account_saved(
    sender: Any, instance: Account, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    if created or update_fields is None or VISIBILITY_FIELDS & set(update_fields):
        visibility_changed()


def _changed(sender: Any, **kwargs: Any) -> None:
    visibility_changed()


def connect_signals() -> None:
    post_save.connect(_account_saved, sender=Account, dispatch_uid="accounts.visibility.account_saved")
    post_delete.connect(_changed, sender=Account, dispatch_uid="accounts.visibility.account_deleted")
    post_save.connect(_changed, sender=AccountTeamMember, dispatch_uid="accounts.visibility.member_saved")
    post_delete.connect(_changed, sender=AccountTeamMember, dispatch_uid="accounts.visibility.member_deleted")
    m2m_changed.connect(
        _changed, sender=User.departments.through, dispatch_uid="accounts.visibility.departments"
    )
