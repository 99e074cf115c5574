"""Hold a PostgreSQL advisory lock until given threads all wait for it: two deliveries of one task
made to overlap for certain, whatever the threads' start-up times."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import connection

WAITING = (
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


def run_while_locked(key: int, work: Callable[[], None], copies: int = 2, timeout: float = 60) -> None:
    """Start `copies` threads running `work` while this thread holds the lock `key`; release it once
    they all wait for it (or after `timeout`), then wait for them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        threads = [threading.Thread(target=work) for _ in range(copies)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                cursor.execute(WAITING, [key])
                if cursor.fetchone()[0] >= copies:
                    break
                time.sleep(0.05)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    for thread in threads:
        thread.join(timeout)
