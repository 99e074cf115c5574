"""Complaint cases: logged with a due date from the SLA of their severity, then moved through their
life (open → in progress → resolved → confirmed by the client; a resolved case may be reopened)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from typing_extensions import Unpack

from accounts.models import Account, Contact, User
from management.selectors import policy_current
from sales.models import ImportBatch, ProductLine, SalesLine

from .. import signals
from ..models import ComplaintCase
from ._common import assign, check_version, clean, fields_of

Status = ComplaintCase.Status

# status now → the statuses it may move to. Reopening a resolved case puts it back in progress.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.OPEN: (Status.IN_PROGRESS, Status.RESOLVED),
    Status.IN_PROGRESS: (Status.RESOLVED,),
    Status.RESOLVED: (Status.CONFIRMED, Status.IN_PROGRESS),
    Status.CONFIRMED: (),
}


class ComplaintFields(TypedDict, total=False):
    contact: Contact | None
    product_line: ProductLine | None
    severity: str
    description: str
    owner: User
    resolution: str
    resolution_cost: Decimal | None
    sales_lines: Iterable[SalesLine]
    import_batch: ImportBatch | None


def sla_due_on(*, severity: str, opened_at: dt.datetime) -> dt.date:
    """The day a case of `severity` opened at `opened_at` falls due: the policy's SLA days later."""
    if severity not in ComplaintCase.Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    return timezone.localtime(opened_at).date() + dt.timedelta(days=policy_current().sla_days(severity))


def _check_links(case: ComplaintCase, sales_lines: Iterable[SalesLine] | None) -> None:
    """The contact, sales lines and import batch all concern the case's own account."""
    errors: dict[str, str] = {}
    if case.contact is not None and case.contact.account_id != case.account_id:
        errors["contact"] = _("Choose a contact of %(account)s.") % {"account": case.account.name}
    if sales_lines is not None and any(line.account_id != case.account_id for line in sales_lines):
        errors["sales_lines"] = _("Choose sales lines of %(account)s.") % {"account": case.account.name}
    batch = case.import_batch
    if batch is not None and not SalesLine.objects.filter(batch=batch, account_id=case.account_id).exists():
        errors["import_batch"] = _("This import brought no sales lines of %(account)s.") % {
            "account": case.account.name
        }
    if not Account.objects.visible_to(case.owner).filter(pk=case.account_id).exists():
        errors["owner"] = _("%(user)s cannot see %(account)s.") % {
            "user": case.owner,
            "account": case.account.name,
        }
    if errors:
        raise ValidationError(errors)


def _check_cost(case: ComplaintCase) -> None:
    if case.resolution_cost is not None and case.resolution_cost < 0:
        raise ValidationError({"resolution_cost": _("A cost cannot be negative.")})


def _write(case: ComplaintCase, fields: ComplaintFields) -> ComplaintCase:
    values = fields_of(ComplaintFields, fields)
    lines = values.pop("sales_lines", None)
    if lines is not None:
        lines = list(lines)
    assign(case, values)
    clean(case, exclude=["account", "created_by", "due_on"])
    _check_cost(case)
    _check_links(case, lines)
    case.save()
    if lines is not None:
        case.sales_lines.set(lines)
    return case


@transaction.atomic
def complaint_create(
    *, account: Account, by: User, opened_at: dt.datetime | None = None, **fields: Unpack[ComplaintFields]
) -> ComplaintCase:
    """Log a complaint of `account` (owned by `by` unless an owner is given); it falls due after the
    SLA days of its severity."""
    opened_at = opened_at or timezone.now()
    case = ComplaintCase(account=account, created_by=by, owner=fields.pop("owner", None) or by)
    case.opened_at = opened_at
    case.due_on = sla_due_on(severity=fields.get("severity", ""), opened_at=opened_at)
    case = _write(case, fields)
    signals.complaint_opened.send(sender=ComplaintCase, case=case)
    return case


@transaction.atomic
def complaint_update(
    *, case: ComplaintCase, version: int | None = None, **fields: Unpack[ComplaintFields]
) -> ComplaintCase:
    """Change the given fields (not the status: see `complaint_transition`); refuses a stale version.
    A new severity moves the due date to that severity's SLA from the opening."""
    case = ComplaintCase.objects.select_for_update().select_related("account").get(pk=case.pk)
    check_version(case, version)
    if "severity" in fields and fields["severity"] != case.severity:
        case.due_on = sla_due_on(severity=fields["severity"], opened_at=case.opened_at)
    case.version += 1
    return _write(case, fields)


def _resolve(case: ComplaintCase, resolution: str | None, cost: Decimal | None) -> None:
    if resolution is not None:
        case.resolution = resolution.strip()
    if cost is not None:
        case.resolution_cost = cost
    if not case.resolution:
        raise ValidationError({"resolution": _("Say how the complaint was resolved.")})
    _check_cost(case)
    case.resolved_at = timezone.now()


@transaction.atomic
def complaint_transition(
    *,
    case: ComplaintCase,
    to: str,
    version: int | None = None,
    resolution: str | None = None,
    resolution_cost: Decimal | None = None,
) -> ComplaintCase:
    """Move the case to status `to` if its life allows it: resolving needs a resolution (and may
    record its cost), a confirmation is the client's, reopening clears the resolution's times."""
    case = ComplaintCase.objects.select_for_update().get(pk=case.pk)
    check_version(case, version)
    if to not in TRANSITIONS.get(case.status, ()):
        raise ValidationError(
            {
                "status": _("A case %(now)s cannot become %(to)s.")
                % {
                    "now": case.get_status_display().lower(),
                    "to": dict(Status.choices).get(to, to).lower(),
                }
            }
        )
    if to == Status.RESOLVED:
        _resolve(case, resolution, resolution_cost)
    elif to == Status.CONFIRMED:
        case.confirmed_at = timezone.now()
    elif case.status == Status.RESOLVED:  # reopened
        case.resolved_at = None
    case.status = to
    case.version += 1
    case.save()
    return case


@transaction.atomic
def complaint_delete(*, case: ComplaintCase) -> None:
    """Remove a case logged by mistake (its history goes with it)."""
    case.delete()


@transaction.atomic
def complaints_announce_past_sla(*, today: dt.date | None = None) -> int:
    """Mark every unresolved case past its due date whose breach was not yet announced, and announce
    them (signal `complaints_past_sla`); run twice, the second run finds nothing. Returns the count."""
    cases = list(
        ComplaintCase.objects.past_sla(today)
        .exclude(sla_breach_announced_for=F("due_on"))
        .select_for_update(skip_locked=True)
        .order_by("pk")
    )
    if not cases:
        return 0
    ComplaintCase.objects.filter(pk__in=[case.pk for case in cases]).update(
        sla_breach_announced_for=F("due_on")
    )
    signals.complaints_past_sla.send(sender=ComplaintCase, cases=cases)
    return len(cases)
