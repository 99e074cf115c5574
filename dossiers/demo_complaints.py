"""Demo complaint cases: one in every state, two past their SLA, one resolved with a cost.

Written through the services, dates counted from today; safe to run twice (nothing is added once a
demo account has a case).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, User
from sales.models import ProductLine, SalesLine

from . import services
from .models import ComplaintCase

Status = ComplaintCase.Status
# (KAM, days ago opened, severity, description, the states it goes through, resolution, cost)
CASES = (
    ("kam1", 9, "high", "Coils delivered with rust spots on the outer turns", (), "", None),
    ("kam2", 30, "medium", "Invoice quantities do not match the delivery notes", (Status.IN_PROGRESS,),
     "", None),
    ("kam1", 1, "critical", "Line stopped: wrong grade delivered", (Status.IN_PROGRESS,), "", None),
    ("kam3", 25, "medium", "Late delivery of the March order", (Status.RESOLVED,),
     "Expedited the remaining pallets; credit note for the freight.", Decimal("480.00")),
    ("kam2", 40, "low", "Packaging labels in the wrong language", (Status.RESOLVED, Status.CONFIRMED),
     "Labels reprinted and sent with the next delivery.", None),
    ("kam3", 3, "low", "Missing certificates of conformity", (), "", None),
)  # fmt: skip


def _account(username: str) -> Account | None:
    """The KAM's first account with contacts that is still buying (a line in the last 60 days): a
    complaint about a delivery needs a recent delivery."""
    recent = timezone.localdate() - dt.timedelta(days=60)
    return (
        Account.objects.filter(
            owner__username=username, contacts__isnull=False, sales_lines__date__gte=recent
        )
        .distinct()
        .order_by("external_id")
        .first()
    )


def _open(username: str, days_ago: int, severity: str, description: str) -> ComplaintCase | None:
    account = _account(username)
    owner = User.objects.filter(username=username).first()
    if account is None or owner is None:
        return None
    line = SalesLine.objects.filter(account=account).order_by("-date").first()
    opened_at = timezone.now() - dt.timedelta(days=days_ago)
    return services.complaint_create(
        account=account,
        by=owner,
        opened_at=opened_at,
        severity=severity,
        description=description,
        contact=account.contacts.order_by("pk").first(),
        product_line=line.product_line if line else ProductLine.objects.order_by("code").first(),
        sales_lines=[line] if line else [],
    )


@transaction.atomic
def load_demo_complaints() -> str:
    """The demo cases; a second run adds nothing."""
    if ComplaintCase.objects.exists():
        return "Complaint cases: already there, nothing added."
    made = 0
    for username, days_ago, severity, description, steps, resolution, cost in CASES:
        case = _open(username, days_ago, severity, description)
        if case is None:
            continue
        made += 1
        for step in steps:
            resolving = step == Status.RESOLVED
            case = services.complaint_transition(
                case=case,
                to=step,
                resolution=resolution if resolving else None,
                resolution_cost=cost if resolving else None,
            )
        if case.resolved_at:  # resolved some days after it was opened, for the resolution times
            resolved_at = case.opened_at + dt.timedelta(days=days_ago // 2)
            ComplaintCase.objects.filter(pk=case.pk).update(resolved_at=resolved_at)
    late = ComplaintCase.objects.past_sla().count()
    return f"Complaint cases: {made} in every state, {late} past their SLA."
