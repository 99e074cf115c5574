"""Writes of the consumption report: bulk runs, the files they store, the owners' notifications."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, User
from common.locale import in_language_of
from retention.services import notification_create
from sales.periods import Period, parse

from .files import report_files
from .models import ConsumptionReportFile, ConsumptionRun
from .selectors import accounts_with_sales, last_closed_half, report_of
from .tables import half_label

logger = logging.getLogger(__name__)
NOTIFICATION_KIND = "consumption_report"
S = ConsumptionRun.Status


def can_run_reports(user: User) -> bool:
    """Heads (over their departments' accounts) and admins (over all) start bulk runs."""
    return user.is_admin_role or user.is_head


def run_accounts(run: ConsumptionRun) -> list[Account]:
    """What a run covers: every account with sales for the schedule, what its starter sees otherwise."""
    if run.scheduled:
        user = None
    elif run.started_by is None:  # the starter has been deleted: nobody's view to go by
        return []
    else:
        user = run.started_by
    return list(accounts_with_sales(user=user, half=parse(run.half)).select_related("owner"))


@transaction.atomic
def consumption_run_create(*, by: User, half: Period) -> ConsumptionRun:
    """A waiting run of `half` over the accounts `by` may see; the one already waiting or running for
    the same starter and half when there is one (a second click starts nothing new)."""
    if not can_run_reports(by):
        raise PermissionDenied(_("Only department heads and administrators run the consumption reports."))
    open_run = ConsumptionRun.objects.filter(
        started_by=by, half=half.label, status__in=(S.PENDING, S.RUNNING)
    ).first()
    if open_run:
        return open_run
    total = accounts_with_sales(user=by, half=half).count()
    return ConsumptionRun.objects.create(half=half.label, started_by=by, total=total)


def consumption_run_scheduled(*, half: Period | None = None) -> ConsumptionRun:
    """The schedule's run of the half-year that has just closed, over every account; an earlier
    scheduled run of that half is returned as it is (a repeated delivery writes nothing twice)."""
    half = half or last_closed_half()
    run, _created = ConsumptionRun.objects.get_or_create(
        half=half.label, scheduled=True, defaults={"total": accounts_with_sales(user=None, half=half).count()}
    )
    return run


def _store(run: ConsumptionRun, account: Account, taken: set[str]) -> ConsumptionReportFile:
    files = report_files(report_of(account, parse(run.half)), taken)
    row = ConsumptionReportFile(run=run, account=account, name=files.stem)
    row.xlsx.save(f"{files.stem}.xlsx", ContentFile(files.xlsx), save=False)
    row.pdf.save(f"{files.stem}.pdf", ContentFile(files.pdf), save=False)
    with transaction.atomic():
        row.save()
        ConsumptionRun.objects.filter(pk=run.pk).update(done=F("done") + 1)
    taken.add(files.stem)
    return row


def consumption_run_execute(*, run: ConsumptionRun) -> ConsumptionRun:
    """Write the run's files account by account, the progress counted after each. A retried delivery,
    or a failed run started again, goes on where the last one stopped; a done run is left as it is."""
    run.refresh_from_db()
    if run.status == S.DONE:
        return run
    accounts = run_accounts(run)
    written = dict(run.files.values_list("account_id", "name"))
    ConsumptionRun.objects.filter(pk=run.pk).update(
        status=S.RUNNING, started_at=run.started_at or timezone.now(), total=len(accounts),
        done=len(written), message="",
    )  # fmt: skip
    taken = set(written.values())
    try:
        for account in accounts:
            if account.pk not in written:
                _store(run, account, taken)
    except Exception as error:
        ConsumptionRun.objects.filter(pk=run.pk).update(
            status=S.FAILED, finished_at=timezone.now(), message=str(error)[:1000]
        )
        raise
    ConsumptionRun.objects.filter(pk=run.pk).update(status=S.DONE, finished_at=timezone.now())
    if run.scheduled:
        notify_owners(half=parse(run.half), accounts=accounts)
    run.refresh_from_db()
    return run


def notify_owners(*, half: Period, accounts: list[Account]) -> int:
    """Tell each account's owner that its report of `half` is ready, linking to the account's report."""
    sent = 0
    for account in accounts:
        if account.owner is None:
            continue
        url = reverse("management:consumption", args=[account.pk]) + f"?half={half.label}"
        with in_language_of(account.owner):
            notification_create(
                user=account.owner, kind=NOTIFICATION_KIND, account=account, url=url,
                title=_("Consumption report %(half)s of %(account)s is ready")
                % {"half": half_label(half), "account": account.name},
                body=_("The semester consumption report for the client's budgeting: XLSX and PDF."),
            )  # fmt: skip
        sent += 1
    return sent
