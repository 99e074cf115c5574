"""Celery wrappers of the management app: ids in, the services do the work."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from sales.periods import parse

from .consumption.models import ConsumptionRun
from .consumption.services import consumption_run_execute, consumption_run_scheduled
from .digests.kinds import DAILY, WEEKLY
from .digests.services import digests_send
from .personal_data.retention import access_log_purge


@shared_task(acks_late=True, reject_on_worker_lost=True)
def execute_consumption_run(run_id: int) -> str:
    """A bulk run started from the page; a redelivery goes on where the killed worker stopped."""
    return consumption_run_execute(run=ConsumptionRun.objects.get(pk=run_id)).status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def semester_consumption_reports(half: str | None = None) -> int:
    """After a half-year closes (2 January, 2 July): every account's report of it, owners told.
    `half` ("2026H1") redoes an earlier one; by default the half-year that has just closed."""
    run = consumption_run_scheduled(half=parse(half) if half else None)
    return consumption_run_execute(run=run).pk


@shared_task
def send_daily_digests() -> int:
    """The KAMs' daily digest (06:30); run twice on a day, it sends nothing the second time."""
    return digests_send(kind=DAILY, today=timezone.localdate())


@shared_task
def send_weekly_digests() -> int:
    """The department heads' weekly digest (Monday 07:00); idempotent per day like the daily one."""
    return digests_send(kind=WEEKLY, today=timezone.localdate())


@shared_task
def purge_personal_data_access_log() -> int:
    """Nightly (03:15): access-log entries older than the policy's retention period go."""
    return access_log_purge()
