"""The consent register: when and how a contact agreed to us keeping their personal fields, and
their withdrawal. The contact's own consent fields repeat the newest record (lists filter on them)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .kept import state_changed
from .models import Contact, ContactConsent, User

GIVEN, WITHDRAWN, UNKNOWN = "given", "withdrawn", "unknown"


def consent_state(contact: Contact) -> str:
    """ "given", "withdrawn" or "unknown" (no record: data from before the register)."""
    if contact.consent_withdrawn_on is not None:
        return WITHDRAWN
    return GIVEN if contact.consent_given else UNKNOWN


def _lock(contact: Contact) -> Contact:
    return Contact.objects.select_for_update().get(pk=contact.pk)


@transaction.atomic
def consent_record(
    *, contact: Contact, given_on: dt.date, channel: str, note: str = "", by: User | None
) -> ContactConsent:
    """Record a consent (a new one after a withdrawal too): the personal fields may be shown again."""
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Consent cannot be given in the future.")})
    contact = _lock(contact)
    consent = ContactConsent(contact=contact, given_on=given_on, channel=channel, note=note, recorded_by=by)
    consent.full_clean()
    consent.save()
    Contact.objects.filter(pk=contact.pk).update(
        consent_given=True, consent_date=given_on, consent_withdrawn_on=None, version=contact.version + 1
    )
    state_changed()  # the kept birthday cards
    return consent


@transaction.atomic
def consent_withdraw(*, contact: Contact, withdrawn_on: dt.date, by: User | None) -> Contact:
    """The contact withdraws consent: from now on their personal fields are shown nowhere (they stay
    stored until erased). A contact with no record gets one, of unknown channel, closed at once."""
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("A withdrawal cannot be dated in the future.")})
    contact = _lock(contact)
    current = contact.consents.filter(withdrawn_on__isnull=True).first()
    if current is None:
        given_on = contact.consent_date or withdrawn_on
        current = ContactConsent(
            contact=contact, given_on=min(given_on, withdrawn_on), channel=ContactConsent.Channel.UNSPECIFIED
        )
    if withdrawn_on < current.given_on:
        raise ValidationError({"withdrawn_on": _("The withdrawal cannot come before the consent.")})
    current.withdrawn_on = withdrawn_on
    current.withdrawn_by = by
    current.save()
    Contact.objects.filter(pk=contact.pk).update(
        consent_given=False, consent_withdrawn_on=withdrawn_on, version=contact.version + 1
    )
    state_changed()  # the kept birthday cards
    contact.refresh_from_db()
    return contact
