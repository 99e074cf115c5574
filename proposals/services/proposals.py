"""Writing a proposal: its header, value argument, addressees and team, arguments; copies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from typing_extensions import Unpack

from accounts.models import Account, Contact, User
from common.fields import assign, fields_of

from ..models import Proposal, ProposalArgument, ProposalLine, ProposalSequence, SuccessStory
from ..rules import current_rules
from ._common import clean, editable_draft
from .lines import recompute_totals


class ProposalFields(TypedDict, total=False):
    title: str
    currency: str
    valid_until: dt.date
    payment_terms: str
    delivery_terms: str
    benefits: str
    uniqueness: str
    exclusivity: str
    annual_savings: Decimal | None
    annual_extra_margin: Decimal | None
    payback_months: Decimal | None
    team: Iterable[User]
    contacts: Iterable[Contact]
    references: Iterable[SuccessStory]


RELATIONS = ("team", "contacts", "references")
FRESH_ON_COPY = ("valid_until",)  # a copy is valid for the policy's days from today


def next_number(year: int) -> str:
    """P-<year>-<nnnn>: one sequence a year, taken under a row lock so two drafts never share one."""
    sequence, _created = ProposalSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"P-{year}-{sequence.last:04d}"


def _check_contacts(account: Account, contacts: Iterable[Contact] | None, field: str = "contacts") -> None:
    if contacts is not None and any(contact.account_id != account.pk for contact in contacts):
        raise ValidationError({field: _("Choose contacts of this account's buying centre.")})


def _check_valid_until(proposal: Proposal, fields: ProposalFields) -> None:
    if "valid_until" in fields and proposal.valid_until < timezone.localdate():
        raise ValidationError({"valid_until": _("The validity date cannot lie in the past.")})


def _write(proposal: Proposal, fields: ProposalFields) -> Proposal:
    values = fields_of(ProposalFields, fields)
    relations = {name: list(values.pop(name)) for name in RELATIONS if name in values}
    assign(proposal, values)
    _check_contacts(proposal.account, relations.get("contacts"))
    _check_valid_until(proposal, fields)
    clean(proposal, exclude=["account", "author", "number", "status", "team", "contacts", "references"])
    proposal.save()
    for name, objects in relations.items():
        getattr(proposal, name).set(objects)
    return proposal


@transaction.atomic
def proposal_create(
    *, account: Account, by: User, author: User | None = None, **fields: Unpack[ProposalFields]
) -> Proposal:
    """A new draft for `account`, written by `author` (by default `by`); numbered in this year's
    sequence, valid for the policy's number of days unless `valid_until` is given."""
    today = timezone.localdate()
    proposal = Proposal(
        account=account,
        author=author or by,
        currency=settings.KAM_CURRENCY,
        valid_until=today + dt.timedelta(days=current_rules().validity_days),
    )
    proposal.number = next_number(today.year)
    return _write(proposal, fields)


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, expected_version: int | None = None, **fields: Unpack[ProposalFields]
) -> Proposal:
    """Change the given fields of a draft."""
    proposal = editable_draft(proposal, expected_version)
    proposal.version += 1
    return _write(proposal, fields)


@transaction.atomic
def proposal_copy(*, proposal: Proposal, by: User) -> Proposal:
    """A new draft with the same content (lines, arguments, references, addressees, team), a new
    number and a fresh validity: how an expired or lost proposal is offered again."""
    source = Proposal.objects.get(pk=proposal.pk)
    content: dict[str, Any] = {
        name: getattr(source, name).all() if name in RELATIONS else getattr(source, name)
        for name in ProposalFields.__optional_keys__
        if name not in FRESH_ON_COPY
    }
    copy = proposal_create(account=source.account, by=by, **content)
    copy.copied_from = source
    copy.save(update_fields=["copied_from"])
    ProposalLine.objects.bulk_create(
        ProposalLine(
            proposal=copy,
            position=line.position,
            product_line_id=line.product_line_id,
            sku=line.sku,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount_percent=line.discount_percent,
            line_total=line.line_total,
        )
        for line in source.lines.all()
    )
    for argument in source.arguments.prefetch_related("contacts"):
        new = ProposalArgument.objects.create(proposal=copy, audience=argument.audience, text=argument.text)
        new.contacts.set(argument.contacts.all())
    recompute_totals(copy)
    return copy


class ArgumentFields(TypedDict, total=False):
    audience: str
    text: str
    contacts: Iterable[Contact]


def _write_argument(argument: ProposalArgument, fields: ArgumentFields) -> ProposalArgument:
    values = fields_of(ArgumentFields, fields)
    contacts = list(values.pop("contacts")) if "contacts" in values else None
    assign(argument, values)
    _check_contacts(argument.proposal.account, contacts)
    clean(argument, exclude=["proposal", "contacts"])
    argument.save()
    if contacts is not None:
        argument.contacts.set(contacts)
    return argument


@transaction.atomic
def argument_create(
    *, proposal: Proposal, expected_version: int | None = None, **fields: Unpack[ArgumentFields]
) -> ProposalArgument:
    """An argument for one audience of the buying centre; by default it is addressed to the
    account's contacts in that role."""
    proposal = editable_draft(proposal, expected_version)
    if "contacts" not in fields and fields.get("audience"):
        fields["contacts"] = proposal.account.contacts.filter(dmu_role=fields["audience"])
    argument = _write_argument(ProposalArgument(proposal=proposal), fields)
    _touch(proposal)
    return argument


@transaction.atomic
def argument_update(
    *, argument: ProposalArgument, expected_version: int | None = None, **fields: Unpack[ArgumentFields]
) -> ProposalArgument:
    proposal = editable_draft(argument.proposal, expected_version)
    argument = _write_argument(ProposalArgument.objects.get(pk=argument.pk, proposal=proposal), fields)
    _touch(proposal)
    return argument


@transaction.atomic
def argument_delete(*, argument: ProposalArgument, expected_version: int | None = None) -> None:
    proposal = editable_draft(argument.proposal, expected_version)
    ProposalArgument.objects.filter(pk=argument.pk, proposal=proposal).delete()
    _touch(proposal)


def _touch(proposal: Proposal) -> None:
    proposal.version += 1
    proposal.save(update_fields=["version", "updated_at"])
