"""What the long Celery tasks share."""

from __future__ import annotations

from typing import Any

from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# The database or Redis (the cache) gone for a moment: restarted, failed over.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)

# Such a task is tried again, a few times, further apart each time (5, 10, 20 … s). The work's
# transaction never committed, so the retry starts it afresh; the services find a finished piece
# of work and do not repeat it.
RETRY_ON_DATABASE_LOSS: dict[str, Any] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 6,
}
