"""Celery wrappers around the sales services: ids in, the service does the work."""

from __future__ import annotations

from celery import shared_task

from common.tasks import RETRY_ON_DATABASE_LOSS

from .models import ImportBatch
from .services import import_batch_run


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY_ON_DATABASE_LOSS)
def run_import(batch_id: int) -> str:
    """Run a stored import; a retried or duplicated delivery finds the batch finished and stops.

    The database lost under it, the batch is marked failed, or (unable to be marked) stays running
    and the retry imports it."""
    batch = import_batch_run(batch=ImportBatch.objects.get(pk=batch_id))
    return batch.status
