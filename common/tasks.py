"""What the long Celery tasks share."""

from __future__ import annotations

from typing import Any

from django.db import InterfaceError, OperationalError

# The database gone for a moment (restarted, failed over): the task is tried again, a few times,
# further apart each time (5, 10, 20 … s). The work's transaction never committed, so the retry
# starts it afresh; the services find a finished piece of work and do not repeat it.
RETRY_ON_DATABASE_LOSS: dict[str, Any] = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 6,
}
