"""Celery wrappers: the nightly segmentation and runs started from pages or the API."""

from __future__ import annotations

from celery import shared_task

from common.tasks import RETRY_ON_DATABASE_LOSS

from .models import AnalysisRun
from .services import run_execute, run_nightly


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY_ON_DATABASE_LOSS)
def execute_run(run_id: int) -> str:
    """A killed worker's delivery comes back (acks late); the run's transaction never committed."""
    return run_execute(run=AnalysisRun.objects.get(pk=run_id)).status


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY_ON_DATABASE_LOSS)
def nightly() -> int:
    """Delivered again or retried, it takes up the month's unfinished nightly run: never a second one."""
    return run_nightly().pk
