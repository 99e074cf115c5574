"""The complaint cases on the account timeline: each one opened, resolved and confirmed by the client."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account

from .models import ComplaintCase
from .timeline import Entry, register


def case_events(case: ComplaintCase) -> list[Entry]:
    """A case appears when it was opened, and when it was resolved and confirmed, if it was."""
    url = reverse("dossiers:complaint-detail", args=[case.pk])
    kind, label = "complaint_case", _("Complaint case")
    severity = case.get_severity_display().lower()
    events = [
        Entry(
            at=case.opened_at,
            title=_("Complaint opened (%(severity)s): %(text)s")
            % {"severity": severity, "text": case.description[:120]},
            detail=_("Due %(day)s") % {"day": date_format(case.due_on, "SHORT_DATE_FORMAT")},
            by=str(case.owner),
            people=(str(case.contact),) if case.contact else (),
            type=kind,
            label=label,
            url=url,
        )
    ]
    if case.resolved_at:
        events.append(
            Entry(
                at=case.resolved_at,
                title=_("Complaint resolved: %(text)s") % {"text": case.description[:120]},
                detail=case.resolution,
                by=str(case.owner),
                amount=case.resolution_cost,
                type=kind,
                label=label,
                url=url,
            )
        )
    if case.confirmed_at:
        events.append(
            Entry(
                at=case.confirmed_at,
                title=_("Resolution confirmed by the client: %(text)s") % {"text": case.description[:120]},
                type=kind,
                label=label,
                url=url,
            )
        )
    return events


def complaint_cases(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    cases = ComplaintCase.objects.filter(account=account).select_related("owner", "contact")
    entries = [e for case in cases.order_by("-opened_at", "-pk")[:limit] for e in case_events(case)]
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]


def register_sources() -> None:
    register([("complaint_case", gettext_lazy("Complaint cases"))], complaint_cases)
