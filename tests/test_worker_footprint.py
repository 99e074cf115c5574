"""What a web or import worker loads and how it connects: the nightly run's model libraries stay out
of it, and its PostgreSQL sessions compile no query (JIT)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys
import django
django.setup()
import kam.urls  # every view, form and service a web worker serves
import sales.tasks, analysis.tasks  # and what the Celery workers run
print("loaded:", sorted(name for name in ("sklearn", "scipy") if name in sys.modules))
"""


def test_scikit_learn_and_scipy_are_loaded_only_by_the_run_that_fits():
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "kam.settings.dev", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(  # noqa: S603 (a fixed probe, run by this interpreter)
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    assert "loaded: []" in out.stdout.splitlines()


WORKER_PROBE = """
import sys
import django
django.setup()
from kam.celery import app, load_model_libraries_for_analysis

app.amqp.queues.select({queues!r})  # what -Q does
worker = type("Worker", (), {{"app": app}})()
load_model_libraries_for_analysis(sender="probe", instance=worker)
print("loaded:", sorted(name for name in ("sklearn", "scipy") if name in sys.modules))
"""


@pytest.mark.parametrize(
    ("queues", "loaded"),
    [(["analysis"], "['scipy', 'sklearn']"), (None, "['scipy', 'sklearn']"), (["imports"], "[]"),
     (["default", "notifications"], "[]")],
)  # fmt: skip
def test_only_a_worker_of_the_analysis_queue_loads_the_model_libraries_at_start(queues, loaded):
    """Before its pool forks, so that no run spends its first second importing them."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "kam.settings.dev", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(  # noqa: S603 (a fixed probe, run by this interpreter)
        [sys.executable, "-c", WORKER_PROBE.format(queues=queues)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"loaded: {loaded}" in out.stdout.splitlines()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT compilation")
def test_connections_run_without_jit_compilation():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
