"""Everything held about one contact, as one JSON document (the right of access). The contact page's
download and `manage.py export_personal_data` both call `personal_data_export`."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from accounts.models import Contact, PersonalDataAccess, User
from accounts.services import personal_data_access_log
from dossiers.models import Commitment, ComplaintCase, Interaction, RecommendationLetter, Referral
from proposals.models import Proposal, ProposalArgument
from retention.models import SurveyInvitation

from .models import PersonalDataErasure

FORMAT = "kam-personal-data-export/1"


def row(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every stored column of `obj` (a relation as its id, named like the field)."""
    return {
        field.name: field.value_from_object(obj)
        for field in obj._meta.concrete_fields
        if field.name not in exclude
    }


def _person(contact: Contact | None) -> dict[str, Any] | None:
    return None if contact is None else {"id": contact.pk, "name": contact.full_name}


def _interactions(contact: Contact) -> list[dict[str, Any]]:
    rows = Interaction.objects.filter(contacts=contact).prefetch_related("contacts", "users")
    return [
        {
            **row(i),
            "contacts_present": [_person(c) for c in i.contacts.all()],
            "users_present": [str(u) for u in i.users.all()],
        }
        for i in rows.order_by("occurred_at", "pk")
    ]


def _surveys(contact: Contact) -> list[dict[str, Any]]:
    invitations = (
        SurveyInvitation.objects.filter(contact=contact)
        .select_related("survey")
        .prefetch_related("answers__question")
        .order_by("sent_at", "pk")
    )
    return [
        {
            **row(invitation, exclude=("token_hash",)),
            "survey_title": invitation.survey.title,
            "answers": [
                {"question": a.question.text, "score": a.score, "text": a.text}
                for a in invitation.answers.all()
            ],
        }
        for invitation in invitations
    ]


def _proposals(contact: Contact) -> list[dict[str, Any]]:
    addressed = Proposal.objects.filter(contacts=contact).order_by("created_at", "pk")
    arguments = ProposalArgument.objects.filter(contacts=contact).order_by("proposal_id", "pk")
    by_proposal: dict[int, list[dict[str, Any]]] = {}
    for argument in arguments:
        by_proposal.setdefault(argument.proposal_id, []).append(row(argument))
    found = [{**row(p), "arguments_addressed_to_them": by_proposal.pop(p.pk, [])} for p in addressed]
    # Arguments addressed to them in proposals not addressed to them as a whole.
    for proposal in Proposal.objects.filter(pk__in=list(by_proposal)).order_by("created_at", "pk"):
        found.append({**row(proposal), "arguments_addressed_to_them": by_proposal[proposal.pk]})
    return found


def _access_log(contact: Contact) -> list[dict[str, Any]]:
    rows = (
        PersonalDataAccess.objects.filter(contacts=contact)
        .select_related("user")
        .order_by("accessed_at", "pk")
    )
    return [
        {
            "accessed_at": a.accessed_at,
            "user": a.user.username if a.user else None,
            "channel": a.channel,
            "action": a.action,
        }
        for a in rows
    ]


def personal_data_document(contact: Contact) -> dict[str, Any]:
    """What is held about the contact, read as it is (no access is logged: see `personal_data_export`)."""
    reports_to = contact.reports_to
    return {
        "contact": {**row(contact), "account_name": contact.account.name},
        "consents": [row(c) for c in contact.consents.order_by("given_on", "pk")],
        "reporting_lines": {
            "reports_to": _person(reports_to),
            "direct_reports": [_person(c) for c in contact.direct_reports.order_by("last_name", "pk")],
        },
        "interactions": _interactions(contact),
        "survey_answers": _surveys(contact),
        "complaint_cases": [
            row(c) for c in ComplaintCase.objects.filter(contact=contact).order_by("opened_at", "pk")
        ],
        "proposals": _proposals(contact),
        "commitments": [row(c) for c in Commitment.objects.filter(contact=contact).order_by("due_on", "pk")],
        "referrals_given": [
            row(r) for r in Referral.objects.filter(referrer=contact).order_by("referred_on", "pk")
        ],
        "recommendation_letters": [
            row(r) for r in RecommendationLetter.objects.filter(contact=contact).order_by("received_on", "pk")
        ],
        "erasures": [
            row(e)
            for e in PersonalDataErasure.objects.filter(contact_ref=contact.pk).order_by("erased_at", "pk")
        ],
        "access_log": _access_log(contact),
    }


def personal_data_export(*, contact: Contact, by: User | None, channel: str) -> dict[str, Any]:
    """The export of everything held about `contact`, logged first as a personal-data access
    (action "export"), so the document lists its own export. `contact` must be one `by` may see
    and export (the caller checks); `by` is None only for the command line."""
    personal_data_access_log(
        user=by, contacts=[contact], channel=channel, action=PersonalDataAccess.Action.EXPORT
    )
    contact = Contact.objects.select_related("account", "reports_to").get(pk=contact.pk)
    return {
        "format": FORMAT,
        "exported_at": timezone.now(),
        "exported_by": by.username if by else None,
        **personal_data_document(contact),
    }


def as_json(document: dict[str, Any]) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
