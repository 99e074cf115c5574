"""Who may do what with an account they can see. Seeing is decided by `visible_to(user)`."""

from __future__ import annotations

from .models import Account, User


def can_edit_account(user: User, account: Account) -> bool:
    """Anyone who sees an account may work on it, except analysts (read-only by role)."""
    return not user.is_analyst


def can_create_account(user: User) -> bool:
    return not user.is_analyst


def can_delete_account(user: User, account: Account) -> bool:
    """Deleting a client's record is a management decision: heads and admins only."""
    return user.is_admin_role or user.is_head


def can_see_personal_data(user: User, account: Account) -> bool:
    """Contacts' personal fields: owner and team (of the account or of its group), heads, admins.

    For an account the user can see, that is everyone but analysts: a KAM sees only the accounts
    they own or are on the team of (and their subsidiaries), a head only their departments'.
    """
    return sees_personal_data(user)


def sees_personal_data(user: User) -> bool:
    """Whether the user may see contacts' personal fields on the accounts they can see (lists that
    span accounts ask this once)."""
    return not user.is_analyst
