"""Erasing a contact's personal data: the person goes, the business history stays.

Cleared: the personal fields, e-mail and phones; the name becomes "Erased contact #<id>". Kept: the
contact row with its account, DMU role, influence, attitude, position and reporting lines, so the
interactions, proposals, timelines and the analysis are what they were. Free texts elsewhere that
name the person are not rewritten by a machine: each is flagged for a person to review.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Contact, PersonalDataAccess, User
from accounts.services import personal_data_access_log
from audit.services import history_mask
from dossiers.models import Commitment, ComplaintCase, Interaction, RecommendationLetter, Referral
from proposals.models import Proposal, ProposalArgument
from retention.models import SurveyAnswer

from .models import ErasureReviewFlag, PersonalDataErasure

PSEUDONYM = "Erased contact"
# What an erasure clears, with the value it leaves (the name is handled apart).
CLEARED: dict[str, Any] = {
    **{name: None if name == "birthday" else "" for name in Contact.PERSONAL_FIELDS},
    "email": "",
    "phone": "",
    "mobile": "",
}
# Free texts that may name a person: the model, the lookup of their account, the text fields.
FREE_TEXTS: tuple[tuple[type[models.Model], str, tuple[str, ...]], ...] = (
    (Interaction, "account", ("summary", "outcome", "next_step")),
    (ComplaintCase, "account", ("description", "resolution")),
    (Proposal, "account", ("title", "payment_terms", "delivery_terms", "benefits", "uniqueness",
                           "exclusivity", "outcome_notes")),
    (ProposalArgument, "proposal__account", ("text",)),
    (Commitment, "account", ("what", "note")),
    (Referral, "account", ("note",)),
    (RecommendationLetter, "account", ("note",)),
    (SurveyAnswer, "invitation__account", ("text",)),
)  # fmt: skip


def is_erased(contact: Contact) -> bool:
    return contact.first_name == PSEUDONYM and contact.last_name == f"#{contact.pk}"


def _names(contact: Contact) -> list[str]:
    """What a text would call the person: the full name, and the last name when it is distinctive."""
    names = [contact.full_name]
    if len(contact.last_name) >= 4 and contact.last_name != contact.full_name:
        names.append(contact.last_name)
    return [n for n in names if n.strip()]


def _mentions(contact: Contact) -> list[tuple[models.Model, str]]:
    """Every (record, field) of the contact's account (and of the referrals they gave) whose text
    names them."""
    names = _names(contact)
    found: list[tuple[models.Model, str]] = []
    for model, account_lookup, fields in FREE_TEXTS:
        scope = Q(**{account_lookup: contact.account_id})
        if model is Referral:
            scope |= Q(referrer=contact)
        matches = Q()
        for field in fields:
            for name in names:
                matches |= Q(**{f"{field}__icontains": name})
        for record in model.objects.filter(scope).filter(matches).order_by("pk"):  # type: ignore[attr-defined]
            for field in fields:
                text = (getattr(record, field) or "").casefold()
                if any(name.casefold() in text for name in names):
                    found.append((record, field))
    return found


def _label(name: str) -> str:
    return str(getattr(Contact._meta.get_field(name), "verbose_name", name))


def erasure_preview(contact: Contact) -> dict[str, Any]:
    """What an erasure of the contact would do, for the confirmation page."""
    return {
        "cleared": [_label(name) for name in CLEARED if getattr(contact, name)],
        "flags": len(_mentions(contact)) if not is_erased(contact) else 0,
        "already_erased": is_erased(contact),
    }


@transaction.atomic
def personal_data_erase(*, contact: Contact, by: User) -> PersonalDataErasure:
    """Erase the contact's personal data in one transaction, and record who did it, when and which
    fields were cleared (not their values). Idempotent: erasing an erased contact changes nothing
    and returns the erasure on record."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    cleared = [name for name, blank in CLEARED.items() if getattr(contact, name) != blank]
    previous = PersonalDataErasure.objects.filter(contact_ref=contact.pk).first()
    if is_erased(contact) and not cleared and previous is not None:
        return previous
    mentions = [] if is_erased(contact) else _mentions(contact)
    if not is_erased(contact):
        cleared += ["first_name", "last_name"]
    erasure = PersonalDataErasure.objects.create(
        contact=contact, contact_ref=contact.pk, erased_by=by, cleared_fields=cleared
    )
    ErasureReviewFlag.objects.bulk_create(
        ErasureReviewFlag(
            erasure=erasure,
            account_id=contact.account_id,
            record_type=record._meta.label_lower,
            record_id=record.pk,
            field=field,
        )
        for record, field in mentions
    )
    for name, blank in CLEARED.items():
        setattr(contact, name, blank)
    contact.first_name, contact.last_name = PSEUDONYM, f"#{contact.pk}"
    contact.version += 1
    contact.save()  # the save signal renews the kept figures (birthday cards)
    # The change history held the values too, this erasure's own entry among them.
    history_mask(obj=contact, fields=[*CLEARED, "first_name", "last_name"])
    personal_data_access_log(
        user=by,
        contacts=[contact],
        channel=PersonalDataAccess.Channel.PAGE,
        action=PersonalDataAccess.Action.ERASE,
    )
    return erasure


@transaction.atomic
def erasure_flags_resolve(*, flags: models.QuerySet[ErasureReviewFlag], by: User) -> int:
    """Mark flags resolved: the texts were read and rewritten or kept."""
    return flags.filter(resolved_at__isnull=True).update(resolved_at=timezone.now(), resolved_by=by)
