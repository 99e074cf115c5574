"""Referrals given by customers' contacts and recommendation letters received."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from typing_extensions import Unpack

from accounts.models import Account, Contact, LeadSource, User

from ..models import Interaction, RecommendationLetter, Referral
from ._common import assign, check_version, clean, fields_of


class ReferralFields(TypedDict, total=False):
    referrer: Contact
    referred_on: dt.date
    referrer_called: bool
    called_on: dt.date | None
    outcome: str
    note: str


class LetterFields(TypedDict, total=False):
    contact: Contact | None
    delivery: Interaction | None
    received_on: dt.date
    file: Any
    note: str


# What a letter may be: a scan or a PDF, recognised by its first bytes (the browser's word is not enough).
LETTER_TYPES = {
    "application/pdf": b"%PDF-",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "image/jpeg": b"\xff\xd8\xff",
}
LETTER_MAX_BYTES = 10 * 1024 * 1024


def _check_referral(referral: Referral) -> None:
    errors: dict[str, str] = {}
    referrer = referral.referrer
    if referrer.account_id == referral.account_id:
        errors["referrer"] = _("A prospect cannot be referred by one of its own contacts.")
    elif referral._state.adding and referrer.account.status == Account.Status.PROSPECT:
        errors["referrer"] = _("The referrer must be a contact of a customer, not of a prospect.")
    if referral.called_on is not None and not referral.referrer_called:
        errors["called_on"] = _("A call date needs the referrer to have phoned the prospect.")
    if errors:
        raise ValidationError(errors)


def _file_as_referral_source(account: Account) -> None:
    """The referred prospect's lead source becomes "referral" (a new version: open edits are stale)."""
    # Seeded by a migration; created here if someone deleted it from the list.
    source, _created = LeadSource.objects.get_or_create(
        code=LeadSource.REFERRAL, defaults={"name": "Referral"}
    )
    Account.objects.filter(pk=account.pk).exclude(lead_source=source).update(
        lead_source=source, version=F("version") + 1
    )


@transaction.atomic
def referral_create(*, account: Account, by: User | None, **fields: Unpack[ReferralFields]) -> Referral:
    """Record that a customer's contact referred the prospect `account`; files it under "referral"."""
    if account.status != Account.Status.PROSPECT:
        raise ValidationError({"account": _("Only a prospect can be referred.")})
    referral = Referral(account=account, created_by=by)
    assign(referral, fields_of(ReferralFields, fields))
    clean(referral)
    _check_referral(referral)
    referral.save()
    _file_as_referral_source(account)
    return referral


@transaction.atomic
def referral_update(
    *, referral: Referral, version: int | None = None, **fields: Unpack[ReferralFields]
) -> Referral:
    """Change the given fields (outcome, call…); refuses a stale version."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    check_version(referral, version)
    assign(referral, fields_of(ReferralFields, fields))
    clean(referral)
    _check_referral(referral)
    referral.version += 1
    referral.save()
    return referral


@transaction.atomic
def referral_delete(*, referral: Referral) -> None:
    referral.delete()


def letter_file_check(upload: Any) -> None:
    """A PDF, PNG or JPEG of at most 10 MB, its declared type matching its first bytes."""
    if not isinstance(upload, UploadedFile):
        return  # the file already stored, unchanged
    if upload.size is not None and upload.size > LETTER_MAX_BYTES:
        raise ValidationError({"file": _("The letter is larger than 10 MB.")})
    magic = LETTER_TYPES.get(upload.content_type or "")
    head = upload.read(8)
    upload.seek(0)
    if magic is None or not head.startswith(magic):
        raise ValidationError({"file": _("Upload the letter as a PDF, PNG or JPEG file.")})


def _check_letter(letter: RecommendationLetter) -> None:
    errors: dict[str, str] = {}
    if letter.contact is not None and letter.contact.account_id != letter.account_id:
        errors["contact"] = _("Choose a contact of this account.")
    delivery = letter.delivery
    if delivery is not None and (
        delivery.account_id != letter.account_id or delivery.kind != Interaction.Kind.DELIVERY
    ):
        errors["delivery"] = _("Choose a delivery logged on this account.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def letter_create(
    *, account: Account, by: User | None, **fields: Unpack[LetterFields]
) -> RecommendationLetter:
    """Record a recommendation letter received from `account`, with its scan."""
    letter_file_check(fields.get("file"))
    letter = RecommendationLetter(account=account, created_by=by)
    assign(letter, fields_of(LetterFields, fields))
    clean(letter)
    _check_letter(letter)
    letter.save()
    return letter


@transaction.atomic
def letter_update(
    *, letter: RecommendationLetter, version: int | None = None, **fields: Unpack[LetterFields]
) -> RecommendationLetter:
    """Change the given fields; refuses a stale version."""
    letter_file_check(fields.get("file"))
    letter = RecommendationLetter.objects.select_for_update().get(pk=letter.pk)
    check_version(letter, version)
    assign(letter, fields_of(LetterFields, fields))
    clean(letter)
    _check_letter(letter)
    letter.version += 1
    letter.save()
    return letter


@transaction.atomic
def letter_delete(*, letter: RecommendationLetter) -> None:
    name, storage = letter.file.name, letter.file.storage
    letter.delete()
    if name:  # the scan goes once the row is gone for good, not before a rollback
        transaction.on_commit(lambda: storage.delete(name))
