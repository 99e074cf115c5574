"""Turning a cross-sell opportunity of a group's white space into work: a task or a draft proposal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from dossiers.models import Task
from dossiers.services import task_create
from proposals.models import Proposal
from proposals.services import line_create, proposal_create
from sales.white_space import Opportunity

TASK_DAYS = 14  # two weeks to make the first call about the line


def _prize(opportunity: Opportunity) -> str:
    return f"{opportunity.prize:,.2f} {settings.KAM_CURRENCY}"


def opportunity_title(opportunity: Opportunity) -> str:
    """'Offer <line> to <member>: sisters buy a median of <prize> a year'."""
    return _("Offer %(line)s to %(account)s: sister companies buy a median %(prize)s a year") % {
        "line": opportunity.product_line,
        "account": opportunity.account.name,
        "prize": _prize(opportunity),
    }


def opportunity_task_create(*, opportunity: Opportunity, by: User, today: dt.date | None = None) -> Task:
    """A task about the member account for its owner (or `by` when it has none), due in two weeks."""
    account = opportunity.account
    owner = account.owner if account.owner is not None and account.owner.is_active else by
    due = (today or timezone.localdate()) + dt.timedelta(days=TASK_DAYS)
    return task_create(
        by=by, owner=owner, title=opportunity_title(opportunity)[:255], due_on=due, account=account
    )


@transaction.atomic
def opportunity_proposal_create(*, opportunity: Opportunity, by: User) -> Proposal:
    """A draft for the member with one line of the product line, priced at zero: the prize is what sisters
    buy, not a price, so the KAM fills in quantity and price."""
    proposal = proposal_create(
        account=opportunity.account,
        by=by,
        title=(
            _("%(line)s for %(account)s")
            % {"line": opportunity.product_line, "account": opportunity.account.name}
        )[:200],
    )
    line_create(
        proposal=proposal,
        product_line=opportunity.product_line,
        description=opportunity_title(opportunity)[:255],
        quantity=Decimal(1),
        unit_price=Decimal(0),
    )
    proposal.refresh_from_db()
    return proposal
