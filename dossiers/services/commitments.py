"""Promises made to the client: logged (from an interaction or not), then kept or broken."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from typing_extensions import Unpack

from accounts.models import Account, Contact, User

from ..models import Commitment, Interaction
from ._common import assign, check_version, clean, fields_of

Status = Commitment.Status


class CommitmentFields(TypedDict, total=False):
    what: str
    due_on: dt.date
    contact: Contact | None
    interaction: Interaction | None
    note: str


def _check_links(commitment: Commitment) -> None:
    """The contact and the interaction are the account's own; the owner is someone who may act."""
    errors: dict[str, str] = {}
    for name in ("contact", "interaction"):
        linked = getattr(commitment, name)
        if linked is not None and linked.account_id != commitment.account_id:
            errors[name] = _("Choose one of the same account.")
    owner = commitment.owner
    if not owner.is_active or owner.is_analyst:
        errors["owner"] = _("Choose an active user who may act on accounts.")
    if errors:
        raise ValidationError(errors)


def _write(commitment: Commitment, fields: CommitmentFields, owner: User | None) -> Commitment:
    assign(commitment, fields_of(CommitmentFields, fields))
    if owner is not None:
        commitment.owner = owner
    clean(commitment, exclude=["account", "created_by", "owner"])
    _check_links(commitment)
    commitment.save()
    return commitment


@transaction.atomic
def commitment_create(
    *, account: Account, by: User, owner: User | None = None, **fields: Unpack[CommitmentFields]
) -> Commitment:
    """Log a promise made to the client; `owner` (by default the author) keeps it."""
    commitment = Commitment(account=account, owner=owner or by, created_by=by)
    return _write(commitment, fields, owner)


def _locked(commitment: Commitment, version: int | None) -> Commitment:
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    check_version(commitment, version)
    return commitment


@transaction.atomic
def commitment_update(
    *,
    commitment: Commitment,
    by: User,
    version: int | None = None,
    owner: User | None = None,
    **fields: Unpack[CommitmentFields],
) -> Commitment:
    """Change what, to whom, by when or by whom; an edit on a stale copy (`version`) is refused."""
    commitment = _locked(commitment, version)
    commitment.version += 1
    return _write(commitment, fields, owner)


@transaction.atomic
def commitment_keep(
    *,
    commitment: Commitment,
    by: User,
    on: dt.date | None = None,
    note: str = "",
    version: int | None = None,
) -> Commitment:
    """The promise was kept on `on` (default today). Only an open promise can be kept."""
    commitment = _locked(commitment, version)
    if commitment.status != Status.OPEN:
        raise ValidationError({"status": _("This promise is already closed.")})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"kept_on": _("A promise cannot be kept in the future.")})
    commitment.status, commitment.kept_on = Status.KEPT, on
    if note:
        commitment.note = note
    commitment.version += 1
    commitment.save()
    return commitment


@transaction.atomic
def commitment_break(
    *,
    commitment: Commitment,
    by: User,
    note: str,
    on: dt.date | None = None,
    version: int | None = None,
) -> Commitment:
    """The promise was broken (`note` says why, required). Only an open promise can be broken."""
    commitment = _locked(commitment, version)
    if commitment.status != Status.OPEN:
        raise ValidationError({"status": _("This promise is already closed.")})
    if not note.strip():
        raise ValidationError({"note": _("Say why the promise was broken.")})
    commitment.status, commitment.broken_on = Status.BROKEN, on or timezone.localdate()
    commitment.note = note.strip()
    commitment.version += 1
    commitment.save()
    return commitment


@transaction.atomic
def commitment_delete(*, commitment: Commitment) -> None:
    commitment.delete()
