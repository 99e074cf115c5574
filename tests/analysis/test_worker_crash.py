"""A worker killed (SIGKILL) in the middle of a run leaves nothing visible; the retried run completes.

Real PostgreSQL, Redis and Celery worker processes: skipped without them (CI has them).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from analysis.models import AccountSegment, AnalysisRun
from analysis.services import run_create
from analysis.tasks import execute_run
from kam.celery import app
from sales.services import sales_lines_bulk_import

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not settings.REDIS_URL,
    reason="needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL), as in CI",
)


def start_worker(name: str, pause: float) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kam.settings.test",
        "DATABASE_URL": f"postgres://{connection.settings_dict['USER']}@{connection.settings_dict['HOST']}:"
        f"{connection.settings_dict['PORT']}/{connection.settings_dict['NAME']}",
        "KAM_ANALYSIS_PAUSE_BEFORE_COMMIT": str(pause),
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CELERY_RESTORE_INTERVAL": "1",  # look for abandoned tasks every second
        "CELERY_RESTORE_THROTTLE": "1",
    }
    command = [sys.executable, "-m", "celery", "-A", "kam", "worker", "--pool", "solo", "-n", f"{name}@%h",
               "--without-mingle", "--without-gossip", "--loglevel", "WARNING"]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def status(run: AnalysisRun) -> str:
    return AnalysisRun.objects.get(pk=run.pk).status


def test_a_killed_worker_leaves_no_half_run_and_the_retry_completes(transactional_db, admin_user):
    lines = [{"account_external_id": f"A{n % 9}", "date": f"2025-0{1 + n % 9}-15", "amount": str(10 + n)}
             for n in range(200)]  # fmt: skip
    assert sales_lines_bulk_import(by=admin_user, lines=lines).status == "done"
    app.control.purge()
    run = run_create(
        by=None, as_of=AnalysisRun._meta.get_field("as_of").to_python("2025-09-30"), trigger="api"
    )
    first = start_worker("doomed", pause=60)
    try:
        execute_run.delay(run.pk)
        wait_for(lambda: status(run) == "running", 30, "the run to start")
        time.sleep(1.5)  # segments written, not committed
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert status(run) == "running"
    assert not AccountSegment.objects.filter(run=run).exists()  # nothing of the half run is visible
    time.sleep(3)  # the task has now been out longer than the visibility timeout

    second = start_worker("rescuer", pause=0)
    try:
        wait_for(lambda: status(run) == "complete", 60, "the redelivered run to complete")
    finally:
        second.terminate()
        second.wait(20)
    run.refresh_from_db()
    assert run.attempts == 2
    assert AccountSegment.objects.filter(run=run).count() == run.account_count == 9
