"""Every write to accounts, teams and contacts: validated in full first, then one transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField, F, ProtectedError, QuerySet, Value
from django.db.models.functions import Cast, Concat, Substr
from django.utils.translation import gettext as _
from knox.models import AuthToken
from typing_extensions import Unpack

from common.errors import check_version
from common.fields import assign, fields_of

from . import signals
from .bulk import accounts_copy_create
from .kept import state_changed
from .models import (
    PATH_MAX_LENGTH,
    Account,
    AccountChange,
    AccountTeamMember,
    Contact,
    Department,
    LeadSource,
    PersonalDataAccess,
    User,
)
from .token_services import api_token_profile_create
from .visibility import visibility_changed


class AccountFields(TypedDict, total=False):
    """What a person writes on an account (the form's and the API's fields, in their order)."""

    name: str
    legal_name: str
    external_id: str
    industry: str
    country: str
    region: str
    website: str
    headcount: int | None
    annual_revenue: Decimal | None
    key_client_type: str
    owner: User | None
    department: Department | None
    lead_source: LeadSource | None
    parent: Account | None


class ContactFields(TypedDict, total=False):
    """What a person writes on a contact; the personal ones (`Contact.PERSONAL_FIELDS`) only when
    they may (see `contact_create`)."""

    first_name: str
    last_name: str
    position: str
    department: str
    email: str
    phone: str
    mobile: str
    dmu_role: str
    influence: int | None
    attitude: str
    reports_to: Contact | None
    is_primary: bool
    birthday: dt.date | None
    family: str
    hobbies: str
    values: str
    private_phone: str
    consent_given: bool
    consent_date: dt.date | None


ACCOUNT_FIELDS = tuple(AccountFields.__annotations__)
CONTACT_FIELDS = tuple(ContactFields.__annotations__)


# --- Accounts ----------------------------------------------------------------------------------


def _check_account_scope(
    *,
    account: Account,
    by: User,
    old_owner_id: int | None = None,
    old_parent_id: int | None = None,
    old_department_id: int | None = None,
) -> None:
    """The parent must be visible to the author; a head or KAM works inside their departments."""
    errors: dict[str, str] = {}
    parent_changed = account._state.adding or account.parent_id != old_parent_id
    if (
        parent_changed
        and account.parent_id
        and not Account.objects.visible_to(by).filter(pk=account.parent_id).exists()
    ):
        errors["parent"] = _("Choose a parent account you have access to.")
    department_id = account.department_id
    if department_id and not by.is_admin_role and not by.departments.filter(pk=department_id).exists():
        errors["department"] = _("You can only file accounts under your own departments.")
    if by.is_kam and not account._state.adding and account.department_id != old_department_id:
        # Moving an account out of a department hides it from that department's heads.
        errors["department"] = _("Only a department head or an admin moves an account to another department.")
    if by.is_kam and account._state.adding and account.owner_id not in (None, by.pk):
        errors["owner"] = _("A new account you create is owned by you.")
    if by.is_kam and not account._state.adding and account.owner_id != old_owner_id:
        errors["owner"] = _("Only a department head or an admin hands an account over to another owner.")
    if errors:
        raise ValidationError(errors)


def _check_external_id_free(account: Account) -> None:
    """Reported on the field (the database constraint would only say "constraint violated")."""
    if not account.external_id:
        return
    taken = Account.objects.filter(external_id=account.external_id).exclude(pk=account.pk)
    if taken.exists():
        raise ValidationError(
            {
                "external_id": _("An account with external id %(id)s already exists.")
                % {"id": account.external_id}
            },
            code="unique",
        )


def _check_no_cycle(*, account: Account, parent: Account | None) -> None:
    if parent is None or account.pk is None:
        return
    if parent.pk == account.pk or parent.path.startswith(account.path):
        raise ValidationError(
            {
                "parent": _(
                    "%(parent)s belongs to %(account)s's own group: an account cannot be its own ancestor."
                )
                % {"parent": parent.name, "account": account.name}
            },
            code="cycle",
        )


def _locked_parent(account: Account) -> Account | None:
    if not account.parent_id:
        return None
    return Account.objects.select_for_update().get(pk=account.parent_id)


def _move_subtree(*, account: Account, parent: Account | None) -> None:
    """Give the account (and everything under it) the path that its new parent implies."""
    old_path = account.path
    new_path = f"{parent.path if parent else '/'}{account.pk}/"
    if new_path == old_path:
        return
    if len(new_path) > PATH_MAX_LENGTH:
        raise ValidationError({"parent": _("The account hierarchy is too deep.")})
    if old_path:
        Account.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
        )
    account.path = new_path
    Account.objects.filter(pk=account.pk).update(path=new_path)


def _sync_owner_membership(*, account: Account, old_owner_id: int | None) -> None:
    """The owner is on the account team as its KAM; a handed-over account loses the old KAM."""
    if old_owner_id and old_owner_id != account.owner_id:
        AccountTeamMember.objects.filter(
            account=account, user_id=old_owner_id, team_role=AccountTeamMember.TeamRole.KAM
        ).delete()
    if account.owner_id:
        AccountTeamMember.objects.get_or_create(
            account=account, user_id=account.owner_id, defaults={"team_role": AccountTeamMember.TeamRole.KAM}
        )


@transaction.atomic
def account_create(*, by: User, **fields: Unpack[AccountFields]) -> Account:
    """Create an account; a KAM's new account is owned by them and filed in their department.

    It starts as a prospect: its buying status comes from the ledger (see `account_statuses_set`).
    `by` decides the scope (whose departments, which parents) and the default owner.
    """
    account = Account()
    assign(account, fields_of(AccountFields, fields))
    if by.is_kam and account.owner_id is None:
        account.owner = by
    if account.department_id is None and not by.is_admin_role:
        account.department = by.departments.first()
    _check_external_id_free(account)
    account.full_clean()
    _check_account_scope(account=account, by=by)
    parent_locked = _locked_parent(account)
    account.save()
    _move_subtree(account=account, parent=parent_locked)
    _sync_owner_membership(account=account, old_owner_id=None)
    signals.account_created.send(sender=Account, account=account, by=by)
    return account


@transaction.atomic
def account_update(
    *, account: Account, by: User, version: int | None = None, **fields: Unpack[AccountFields]
) -> Account:
    """Change the given fields; refuses a stale version and any parent that would close a cycle.
    The tracked fields' changes are recorded with `by`."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    check_version(account, version)
    old_owner_id, old_parent_id, old_department_id = (
        account.owner_id,
        account.parent_id,
        account.department_id,
    )
    before = {field: _shown(account, field) for field in AccountChange.TRACKED_FIELDS}
    assign(account, fields_of(AccountFields, fields))
    _check_external_id_free(account)
    account.full_clean()
    _check_account_scope(
        account=account,
        by=by,
        old_owner_id=old_owner_id,
        old_parent_id=old_parent_id,
        old_department_id=old_department_id,
    )
    parent_locked = _locked_parent(account)
    _check_no_cycle(account=account, parent=parent_locked)
    account.version += 1
    account.save()
    _move_subtree(account=account, parent=parent_locked)
    _sync_owner_membership(account=account, old_owner_id=old_owner_id)
    _record_changes(account=account, by=by, before=before)
    if account.owner_id != old_owner_id:
        _announce_owner(account=account, old_owner_id=old_owner_id, by=by)
    signals.account_updated.send(sender=Account, account=account, by=by)
    return account


def _announce_owner(*, account: Account, old_owner_id: int | None, by: User) -> None:
    """Tell the apps above that the account changed hands, in the same transaction: what they
    write (the new owner's notification) is saved with the change or not at all."""
    signals.owner_changed.send(sender=Account, account=account, old_owner_id=old_owner_id, by=by)


def _shown(account: Account, name: str) -> str:
    """A tracked field as people read it: the status label, the owner's name."""
    if name == "owner":
        return str(account.owner) if account.owner_id else ""
    return str(getattr(account, f"get_{name}_display")())


def _record_changes(*, account: Account, by: User, before: Mapping[str, str]) -> None:
    AccountChange.objects.bulk_create(
        AccountChange(account=account, field=name, old=old, new=new, changed_by=by)
        for name, old in before.items()
        if (new := _shown(account, name)) != old
    )


@transaction.atomic
def account_mark_lost(*, account: Account, by: User) -> Account:
    """A loss recorded by hand: the account is lost until it buys again (kept in its change history)."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.status != Account.Status.LOST:
        before = {name: _shown(account, name) for name in AccountChange.TRACKED_FIELDS}
        old_status = account.status
        account.status = Account.Status.LOST
        account.save(update_fields=["status", "updated_at"])
        _record_changes(account=account, by=by, before=before)
        signals.statuses_changed.send(sender=Account, changes=[(account.pk, old_status, account.status)])
    return account


def account_statuses_set(*, accounts: QuerySet[Account], status: Any) -> int:
    """Set the buying status of `accounts` (a value, or an expression per row such as a Subquery or a
    column of a FilteredRelation): the nightly run's write. Not an edit by a person: the version and
    the change history stay as they are (the run records its own status transitions).

    The new status is worked out once, in one read that names only the accounts it changes; they
    are then updated by primary key, one statement per new status (a handful), however many
    accounts there are."""
    new_status = status if hasattr(status, "resolve_expression") else Value(status)
    changing = accounts.annotate(new_status=new_status).exclude(status=F("new_status"))
    changes = list(changing.order_by().values_list("pk", "status", "new_status"))
    by_status: dict[str, list[int]] = defaultdict(list)
    for pk, _old, new in changes:
        by_status[new].append(pk)
    for new, pks in by_status.items():
        for start in range(0, len(pks), STATUS_UPDATE_ROWS):
            Account.objects.filter(pk__in=pks[start : start + STATUS_UPDATE_ROWS]).update(status=new)
    if changes:
        state_changed()  # past the signals
        signals.statuses_changed.send(sender=Account, changes=changes)
    return len(changes)


STATUS_UPDATE_ROWS = 10_000


@transaction.atomic
def account_delete(*, account: Account) -> None:
    """Delete an account and its contacts; refused while anything else still refers to it."""
    if account.subsidiaries.exists():
        raise ValidationError(
            _("%(name)s still has subsidiaries; move or delete them first.") % {"name": account.name}
        )
    try:
        account.delete()
    except ProtectedError as error:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
        raise ValidationError(
            _("%(name)s cannot be deleted: it has %(kinds)s. Record its loss on the Retention tab instead.")
            % {"name": account.name, "kinds": ", ".join(kinds)}
        ) from error


@transaction.atomic
def team_member_add(*, account: Account, user: User, team_role: str) -> AccountTeamMember:
    """Put `user` on the account team in `team_role`."""
    member = AccountTeamMember(account=account, user=user, team_role=team_role)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def team_member_remove(*, member: AccountTeamMember) -> None:
    """Take a member off the account team."""
    member.delete()


# --- Contacts ----------------------------------------------------------------------------------


def _check_reports_to(contact: Contact) -> None:
    boss = contact.reports_to
    if boss is None:
        return
    if boss.account_id != contact.account_id:
        raise ValidationError({"reports_to": _("Choose a contact of the same account.")})
    seen = {contact.pk}
    while boss is not None:
        if boss.pk in seen:
            raise ValidationError(
                {"reports_to": _("This would make %(name)s report to themselves.") % {"name": contact}}
            )
        seen.add(boss.pk)
        boss = boss.reports_to


def _save_contact(contact: Contact) -> Contact:
    contact.full_clean(validate_constraints=False)
    _check_reports_to(contact)
    if contact.is_primary:
        # One primary contact per account: the new one takes over.
        Contact.objects.filter(account_id=contact.account_id, is_primary=True).exclude(pk=contact.pk).update(
            is_primary=False
        )
    contact.save()
    return contact


def _assign_contact(contact: Contact, *, personal: bool, fields: ContactFields) -> None:
    """The contact's fields; the personal ones only when the author may write them (else ignored)."""
    values = fields_of(ContactFields, fields)
    assign(
        contact,
        {name: value for name, value in values.items() if personal or name not in Contact.PERSONAL_FIELDS},
    )


@transaction.atomic
def contact_create(*, account: Account, personal: bool, **fields: Unpack[ContactFields]) -> Contact:
    """Add a member of the buying centre; personal fields are written only when `personal`."""
    contact = Contact(account=account)
    _assign_contact(contact, personal=personal, fields=fields)
    return _save_contact(contact)


@transaction.atomic
def contact_update(
    *, contact: Contact, personal: bool, version: int | None = None, **fields: Unpack[ContactFields]
) -> Contact:
    """Change the given fields; personal fields only when `personal`. A stale `version` is refused."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    check_version(contact, version)
    _assign_contact(contact, personal=personal, fields=fields)
    contact.version += 1
    return _save_contact(contact)


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    contact.delete()


@transaction.atomic(savepoint=False)
def personal_data_access_log(
    *, user: User | None, contacts: Iterable[Contact], channel: str, action: str = "view"
) -> PersonalDataAccess | None:
    """Record that `user` was shown (or edited) these contacts' personal fields: one row for the
    view, listing the contacts (none shown, nothing written). Two INSERTs, whatever the number."""
    contact_ids = list(dict.fromkeys(c.pk for c in contacts))
    if not contact_ids:
        return None
    access = PersonalDataAccess.objects.create(user=user, channel=channel, action=action)
    shown = PersonalDataAccess.contacts.through
    shown.objects.bulk_create(shown(personaldataaccess_id=access.pk, contact_id=pk) for pk in contact_ids)
    return access


@transaction.atomic
def personal_data_access_purge(*, before: dt.datetime) -> int:
    """Delete the access-log entries older than `before` (the retention period of the management
    policy, applied nightly); returns how many entries went."""
    old = PersonalDataAccess.objects.filter(accessed_at__lt=before)
    PersonalDataAccess.contacts.through.objects.filter(personaldataaccess__in=old).delete()
    deleted, _by_model = old.delete()
    return deleted


# The longest a token may live when it is issued with an expiry.
MAX_TOKEN_EXPIRY_DAYS = 3650


@transaction.atomic
def api_token_issue(*, user: User, expiry: timedelta | None = None, read_only: bool = False) -> str:
    """Issue an API token; only its hash is stored, so the returned secret is shown once.

    A read-only token answers 403 to any request that would change something."""
    instance, secret = AuthToken.objects.create(user=user, expiry=expiry)
    api_token_profile_create(digest=instance.digest, read_only=read_only)
    return secret


@transaction.atomic
def accounts_create_for_ledger(*, accounts: Iterable[tuple[str, str]], department_id: int | None) -> int:
    """Create the accounts a sales import names but the ledger does not know yet.

    They start active (they bought: the nightly run refines it), without an owner, named as in the file
    (or after their external id). Written in bulk, past the signals: the visibility token is renewed here.
    """
    visibility_changed()
    if connection.vendor == "postgresql":
        defaults = Account(status=Account.Status.ACTIVE, department_id=department_id)
        return accounts_copy_create(accounts=accounts, defaults=defaults)
    new = [
        Account(
            external_id=external_id,
            name=(name or external_id)[:200],
            status=Account.Status.ACTIVE,
            department_id=department_id,
        )
        for external_id, name in accounts
    ]
    Account.objects.bulk_create(new, batch_size=1000)
    # Top-level accounts: the path is the id alone.
    Account.objects.filter(path="").update(
        path=Concat(Value("/"), Cast("pk", output_field=CharField()), Value("/"))
    )
    return len(new)
