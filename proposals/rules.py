"""The business rules of a proposal that the workflow checks: each condition says, in words, why
it holds a move back. Pure reads: the policy in force and the proposal's own fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .policy import DEFAULTS

if TYPE_CHECKING:
    from .models import Proposal, ProposalPolicy

CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    """Round to the cent, half up, as an invoice does."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal, places: str = "0.01") -> Decimal | None:
    """part as a % of whole, rounded half up to `places` (None when whole is zero)."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def line_total(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    return money(quantity * unit_price * (100 - discount_percent) / 100)


@dataclass(frozen=True)
class Rules:
    """The policy in force, as plain values (the defaults until someone saves a policy)."""

    validity_days: int
    line_discount_threshold: Decimal
    average_discount_threshold: Decimal
    approval_total: Decimal
    expiring_soon_days: int
    follow_up_steps: tuple[dict[str, Any], ...]


def current_rules() -> Rules:
    from .models import ProposalPolicy

    policy: ProposalPolicy | Any = ProposalPolicy.objects.order_by("-created_at", "-pk").first() or DEFAULTS
    return Rules(
        validity_days=policy.validity_days,
        line_discount_threshold=Decimal(policy.line_discount_threshold),
        average_discount_threshold=Decimal(policy.average_discount_threshold),
        approval_total=Decimal(policy.approval_total),
        expiring_soon_days=policy.expiring_soon_days,
        follow_up_steps=tuple(dict(step) for step in policy.follow_up_steps),
    )


def approval_reasons(proposal: Proposal, rules: Rules | None = None) -> list[str]:
    """Why the department head must approve this proposal before it is sent (empty: no need)."""
    rules = rules or current_rules()
    reasons = []
    if proposal.max_line_discount > rules.line_discount_threshold:
        reasons.append(
            _("a line is discounted %(discount)s %% (above %(limit)s %%)")
            % {"discount": proposal.max_line_discount, "limit": rules.line_discount_threshold}
        )
    # On the exact ratio, not the rounded one: 12.004 % is above a 12 % limit.
    if proposal.discount_amount * 100 > rules.average_discount_threshold * proposal.gross_amount:
        reasons.append(
            _("the average discount is %(discount)s %% (above %(limit)s %%)")
            % {"discount": proposal.average_discount, "limit": rules.average_discount_threshold}
        )
    if proposal.total_amount > rules.approval_total:
        reasons.append(
            _("the total %(total)s is above %(limit)s")
            % {"total": f"{proposal.total_amount:,.2f}", "limit": f"{rules.approval_total:,.2f}"}
        )
    return reasons


Condition = Callable[[Any], bool]


def explained(message: Callable[[Any], str]) -> Callable[[Condition], Condition]:
    """Attach to a workflow condition the sentence that explains a refusal."""

    def attach(condition: Condition) -> Condition:
        condition.refusal = message  # type: ignore[attr-defined]
        return condition

    return attach


@explained(lambda p: _("The proposal has no lines: add what you offer first."))
def has_lines(proposal: Any) -> bool:
    return proposal.gross_amount > 0 or proposal.lines.exists()


@explained(
    lambda p: (
        _("The proposal expired on %(date)s. It can no longer be sent or won: copy it to a new draft.")
        % {"date": date_format(p.valid_until)}
    )
)
def not_past_validity(proposal: Any) -> bool:
    return proposal.valid_until >= timezone.localdate()


@explained(lambda p: _("The proposal is still valid until %(date)s.") % {"date": date_format(p.valid_until)})
def past_validity(proposal: Any) -> bool:
    return proposal.valid_until < timezone.localdate()


@explained(
    lambda p: (
        _("The department head must approve it before it is sent: %(reasons)s. Submit it for approval.")
        % {"reasons": "; ".join(approval_reasons(p))}
    )
)
def approval_settled(proposal: Any) -> bool:
    """Approved, or needing no approval."""
    return proposal.status == "approved" or not approval_reasons(proposal)
