"""The handover brief: what a KAM taking over an account must know, on one printable page.

The buying centre with attitudes, open tasks and tenders, the last interactions, the plans (the
account plan with its actions, the service plan, the sales plans), and the risks (buying status,
health score, churn drivers, open losses and refusals, competitors present).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Account, AccountChange, Contact, PersonalDataAccess, User
from accounts.permissions import can_see_personal_data, consent_allows
from accounts.services import personal_data_access_log
from accounts.standing import Standing, standing_of
from dossiers.models import AccountPlan, CompetitorPresence, Interaction, Task, Tender, TenderMilestone
from dossiers.selectors import OPEN_TENDER_STATUSES, account_plans
from dossiers.service_plan_selectors import ServiceProgress, service_progress
from retention.selectors import AccountRetention, account_retention
from sales.models import SalesPlan

from . import neglect
from .selectors import policy_current

LAST_INTERACTIONS = 10


@dataclass
class HandoverBrief:
    account: Account
    standing: Standing
    contacts: list[Contact]
    personal: bool  # the reader may see the contacts' personal fields (logged as shown)
    open_tasks: list[Task]
    open_tenders: list[Tender]
    interactions: list[Interaction]
    plans: list[AccountPlan]
    service: ServiceProgress
    sales_plans: list[SalesPlan]
    retention: AccountRetention
    presences: list[CompetitorPresence]
    owner_changes: list[AccountChange]
    neglect_days: int = 45  # the management policy's limit

    @property
    def days_since_contact(self) -> int | None:
        """Calendar days from the newest interaction's date to today (None: never contacted): the
        brief shows that date beside the count, so the two agree at any hour of the day."""
        if not self.interactions:
            return None
        return (timezone.localdate() - timezone.localdate(self.interactions[0].occurred_at)).days

    @property
    def neglected(self) -> bool:
        """The one rule of management.neglect: the newest interaction before the cutoff."""
        newest = self.interactions[0].occurred_at if self.interactions else None
        return newest is not None and newest < neglect.cutoff(neglect_days=self.neglect_days)


def handover_brief(*, user: User, account: Account, today: dt.date | None = None) -> HandoverBrief:
    """The brief of an account `user` already sees (from `account_queryset(user=…)`).

    Showing the contacts' personal fields writes one row of the personal-data access log."""
    today = today or timezone.localdate()
    contacts = list(
        Contact.objects.filter(account=account)
        .select_related("reports_to")
        .order_by("-influence", "last_name", "pk")
    )
    personal = can_see_personal_data(user, account)
    for contact in contacts:
        contact.personal = personal_values(contact) if personal else []  # type: ignore[attr-defined]
    if personal:
        shown = [c for c in contacts if c.personal]  # type: ignore[attr-defined]
        personal_data_access_log(user=user, contacts=shown, channel=PersonalDataAccess.Channel.PAGE)
    return HandoverBrief(
        account=account,
        standing=standing_of(account),
        contacts=contacts,
        personal=personal,
        open_tasks=list(
            Task.objects.visible_to(user).filter(account=account, done=False).select_related("owner")
        ),
        open_tenders=list(
            Tender.objects.filter(account=account, status__in=OPEN_TENDER_STATUSES).prefetch_related(
                Prefetch("milestones", TenderMilestone.objects.order_by("due_on", "pk"))
            )
        ),
        interactions=list(
            Interaction.objects.filter(account=account)
            .select_related("created_by")
            .prefetch_related("contacts")[:LAST_INTERACTIONS]
        ),
        plans=[p for p in account_plans(user=user, account=account) if p.year >= today.year - 1],
        service=service_progress(user=user, account=account, year=today.year, today=today),
        sales_plans=_sales_plans(account, today),
        retention=account_retention(user=user, account=account),
        presences=list(
            CompetitorPresence.objects.filter(account=account)
            .select_related("competitor")
            .order_by("-threat_level", "pk")
        ),
        owner_changes=list(
            AccountChange.objects.filter(account=account, field="owner").select_related("changed_by")[:5]
        ),
        neglect_days=policy_current().neglect_days,
    )


def _sales_plans(account: Account, today: dt.date) -> list[SalesPlan]:
    """The account's revenue targets of this year and later (sales plans live in the ledger app)."""
    start = today.replace(month=1, day=1)
    return list(
        SalesPlan.objects.filter(account=account, period_start__gte=start)
        .select_related("product_line")
        .order_by("period_start", "period_kind", "pk")
    )


def personal_values(contact: Contact) -> list[tuple[str, Any]]:
    """The contact's personal fields that are filled in, with their labels (none once consent is
    withdrawn)."""
    if not consent_allows(contact):
        return []
    return [
        (str(getattr(Contact._meta.get_field(name), "verbose_name", name)), getattr(contact, name))
        for name in Contact.PERSONAL_FIELDS
        if getattr(contact, name)
    ]
