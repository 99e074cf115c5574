"""The lines of a proposal; every change recomputes the proposal's totals."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.db.models import Max
from typing_extensions import Unpack

from common.fields import assign, fields_of
from sales.models import ProductLine

from .. import rules
from ..models import Proposal, ProposalLine
from ._common import clean, editable_draft


class LineFields(TypedDict, total=False):
    product_line: ProductLine | None
    sku: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    position: int


def recompute_totals(proposal: Proposal) -> None:
    """The proposal's gross, net and largest discount, from its lines (exact Decimal sums)."""
    gross = total = Decimal(0)
    largest = Decimal(0)
    for quantity, unit_price, discount, line_total in proposal.lines.values_list(
        "quantity", "unit_price", "discount_percent", "line_total"
    ):
        gross += rules.money(quantity * unit_price)
        total += line_total
        largest = max(largest, discount)
    proposal.gross_amount, proposal.total_amount, proposal.max_line_discount = gross, total, largest
    proposal.version += 1
    proposal.save(
        update_fields=["gross_amount", "total_amount", "max_line_discount", "version", "updated_at"]
    )


def _save(line: ProposalLine, proposal: Proposal) -> ProposalLine:
    clean(line, exclude=["proposal", "line_total"])
    line.line_total = rules.line_total(line.quantity, line.unit_price, line.discount_percent)
    line.save()
    recompute_totals(proposal)
    return line


@transaction.atomic
def line_create(
    *, proposal: Proposal, expected_version: int | None = None, **fields: Unpack[LineFields]
) -> ProposalLine:
    """Add a line at the end (or at `position`)."""
    proposal = editable_draft(proposal, expected_version)
    line = ProposalLine(proposal=proposal)
    assign(line, fields_of(LineFields, fields))
    if "position" not in fields:
        line.position = (proposal.lines.aggregate(last=Max("position"))["last"] or 0) + 1
    return _save(line, proposal)


@transaction.atomic
def line_update(
    *, line: ProposalLine, expected_version: int | None = None, **fields: Unpack[LineFields]
) -> ProposalLine:
    """Change the given fields of a line; `expected_version` is the proposal's version."""
    proposal = editable_draft(line.proposal, expected_version)
    line = ProposalLine.objects.get(pk=line.pk, proposal=proposal)
    assign(line, fields_of(LineFields, fields))
    return _save(line, proposal)


@transaction.atomic
def line_delete(*, line: ProposalLine, expected_version: int | None = None) -> Proposal:
    proposal = editable_draft(line.proposal, expected_version)
    ProposalLine.objects.filter(pk=line.pk, proposal=proposal).delete()
    recompute_totals(proposal)
    return proposal
