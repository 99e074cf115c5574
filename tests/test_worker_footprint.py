"""What a web or import worker loads and how it connects: the nightly run's model libraries stay out
of it, and its PostgreSQL sessions compile no query (JIT)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent

# Each probe is a fresh interpreter: once imported, a library stays in sys.modules.
LOADED = 'print("loaded:", sorted(name for name in ("sklearn", "scipy") if name in sys.modules))'
START = """
import sys
import django
django.setup()
from kam.celery import app, load_model_libraries_for_analysis

def start_worker(queues):
    app.amqp.queues.select(queues)  # what -Q does
    worker = type("Worker", (), {"app": app})()
    load_model_libraries_for_analysis(sender="probe", instance=worker)
"""
# Every view, form and service a web worker serves, what the Celery workers run, and a worker of
# each queue but the analysis one starting in the same process: none of it loads a model library.
NOTHING_LOADED_PROBE = f"""{START}
import kam.urls
import sales.tasks, analysis.tasks
{LOADED}
for queues in (["imports"], ["default", "notifications"]):
    start_worker(queues)
    {LOADED}
"""


def probe(source: str) -> list[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "kam.settings.dev", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(  # noqa: S603 (a fixed probe, run by this interpreter)
        [sys.executable, "-c", source], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return [line for line in out.stdout.splitlines() if line.startswith("loaded:")]


def test_scikit_learn_and_scipy_are_loaded_by_no_page_no_task_and_no_other_queues_worker():
    """The web and import workers, and the workers of the imports and notifications queues."""
    assert probe(NOTHING_LOADED_PROBE) == ["loaded: []"] * 3


@pytest.mark.parametrize("queues", [["analysis"], None])
def test_a_worker_of_the_analysis_queue_loads_the_model_libraries_at_start(queues):
    """Before its pool forks, so that no run spends its first second importing them (None: a worker
    of every queue)."""
    assert probe(f"{START}\nstart_worker({queues!r})\n{LOADED}\n") == ["loaded: ['scipy', 'sklearn']"]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT compilation")
def test_connections_run_without_jit_compilation():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
