"""A worker killed (SIGKILL) in the middle of a run leaves nothing visible; the retried run completes.

Real PostgreSQL, Redis and Celery worker processes: skipped without them (CI has them).

To land the kill mid-run without a pause written into the code, another database session holds the
accounts' rows (FOR UPDATE). The run computes and writes its segments, and then, at its commit, waits
for those rows (the segments' foreign keys are checked at commit). The test sees in pg_locks that
the worker's transaction is open, holds the run lock and has written segments, and only then kills.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from accounts.models import Account
from analysis.models import AccountSegment, AnalysisRun
from analysis.services import RUN_LOCK_KEY, run_create
from analysis.tasks import execute_run
from kam.celery import app
from sales.services import sales_lines_bulk_import

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL), as in CI",
)

# A backend that holds the run lock and has written segments in its open transaction, and waits for
# a lock held by the session %(blocker)s.
RUN_IN_FLIGHT = """
SELECT a.pid, a.query FROM pg_stat_activity a
WHERE %(blocker)s = ANY(pg_blocking_pids(a.pid))
  AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.granted AND l.locktype = 'advisory'
              AND (l.classid::bigint << 32 | l.objid::bigint) = %(key)s)
  AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.granted AND l.mode = 'RowExclusiveLock'
              AND l.relation = %(segments)s::regclass)
"""


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def start_worker(name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kam.settings.test",
        "DATABASE_URL": database_url(),
        # The server notices within 0.2 s that a backend's client is gone, even while the backend
        # waits for a lock, and rolls its transaction back (rather than commit once the lock comes).
        "PGOPTIONS": "-c client_connection_check_interval=200",
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_RESTORE_INTERVAL": "1",  # look for abandoned tasks every second
        "CELERY_RESTORE_THROTTLE": "1",
    }
    command = [sys.executable, "-m", "celery", "-A", "kam", "worker", "--pool", "solo", "-n", f"{name}@%h",
               "--without-mingle", "--without-gossip", "--loglevel", "WARNING"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


def wait_for(condition: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def status(run: AnalysisRun) -> str:
    return AnalysisRun.objects.get(pk=run.pk).status


def observe(query: str, params: Any) -> Any:
    """The first row of a query, in a transaction of its own (pg_stat_activity is fixed per transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()


@contextmanager
def accounts_held_by_another_session() -> Iterator[psycopg.Connection]:
    """A second session that holds every account row until the block ends."""
    with psycopg.connect(database_url()) as blocker:
        blocker.execute(f"SELECT id FROM {Account._meta.db_table} FOR UPDATE")  # noqa: S608
        yield blocker
        blocker.rollback()


@pytest.mark.slow(30)
def test_a_killed_worker_leaves_no_half_run_and_the_retry_completes(transactional_db, admin_user):
    lines = [{"account_external_id": f"A{n % 9}", "date": f"2025-0{1 + n % 9}-15", "amount": str(10 + n)}
             for n in range(200)]  # fmt: skip
    assert sales_lines_bulk_import(by=admin_user, lines=lines).status == "done"
    app.control.purge()
    run = run_create(
        by=None, as_of=AnalysisRun._meta.get_field("as_of").to_python("2025-09-30"), trigger="api"
    )
    with accounts_held_by_another_session() as blocker:
        blocker_pid = blocker.info.backend_pid
        params = {"blocker": blocker_pid, "key": RUN_LOCK_KEY, "segments": AccountSegment._meta.db_table}
        first = start_worker("doomed")
        try:
            execute_run.delay(run.pk)
            in_flight = wait_for(lambda: observe(RUN_IN_FLIGHT, params), 60, "the run's open transaction")
            assert status(run) == "running"
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            if first.poll() is None:
                first.kill()
        worker_pid = in_flight[0]
        # The server rolls the dead worker's transaction back by itself, while the rows are still held.
        wait_for(
            lambda: not observe("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [worker_pid]),
            30,
            f"the killed worker's backend to end (it was running {in_flight[1]!r})",
        )
    assert status(run) == "running"
    assert not AccountSegment.objects.filter(run=run).exists()  # nothing of the half run is visible
    time.sleep(3)  # the task has now been out longer than the visibility timeout

    second = start_worker("rescuer")
    try:
        wait_for(lambda: status(run) == "complete", 60, "the redelivered run to complete")
    finally:
        second.terminate()
        second.wait(20)
    run.refresh_from_db()
    assert run.attempts == 2
    assert AccountSegment.objects.filter(run=run).count() == run.account_count == 9
