"""Celery wrappers around the sales services: ids in, the service does the work."""

from __future__ import annotations

from celery import Task, shared_task

from common.tasks import RETRY_ON_DATABASE_LOSS, TRANSIENT_ERRORS

from .models import ImportBatch
from .services import import_batch_give_up, import_batch_run


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, **RETRY_ON_DATABASE_LOSS)
def run_import(self: Task, batch_id: int) -> str:
    """Run a stored import; a retried or duplicated delivery finds the batch finished and stops.

    The database or Redis lost under it, the batch waits (pending) for the retry; when the last
    retry is interrupted as well, it is failed."""
    try:
        batch = import_batch_run(batch=ImportBatch.objects.get(pk=batch_id))
    except TRANSIENT_ERRORS as error:
        if self.request.retries >= (self.max_retries or 0):
            import_batch_give_up(batch_id=batch_id, error=error)
        raise
    return batch.status
