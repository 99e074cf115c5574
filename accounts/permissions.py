"""Who may do what with an account they can see. Seeing is decided by `visible_to(user)`."""

from __future__ import annotations

from django.db.models import Q

from .models import Account, Contact, User


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


def consent_allows(contact: Contact) -> bool:
    """Whether the contact's consent lets anyone be shown their personal fields: not once withdrawn.

    A contact without any consent record (data from before the consent register) is "unknown" and
    still shown to those allowed, with a notice (docs/personal-data.md)."""
    return contact.consent_withdrawn_on is None


# The same rule as `consent_allows`, for lists that span contacts (birthdays, digests).
CONSENT_ALLOWS = Q(consent_withdrawn_on__isnull=True)


def may_show_personal_data(user: User, contact: Contact) -> bool:
    """The one decision whether `user` is shown `contact`'s personal fields (for a contact the user
    can see): their role allows it and the contact has not withdrawn consent."""
    return sees_personal_data(user) and consent_allows(contact)


def can_record_consent(user: User, account: Account) -> bool:
    """Recording a contact's consent or its withdrawal: whoever works on the account and may see
    personal data (not analysts)."""
    return can_edit_account(user, account) and sees_personal_data(user)


def can_manage_personal_data(user: User) -> bool:
    """Exporting or erasing everything held about a contact: heads and admins only."""
    return user.is_admin_role or user.is_head
