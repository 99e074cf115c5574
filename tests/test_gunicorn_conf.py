"""The web workers' gunicorn settings: every start of gunicorn names them, and a worker freezes what
it loaded with Django out of the garbage collector's walks (docs/operations.md)."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STARTS = ("Dockerfile", "bench/load.sh", "scripts/stack_smoke.py", "bench/drills/_stack.py")


def test_a_worker_freezes_what_it_loaded() -> None:
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    gc.unfreeze()
    try:
        hooks["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_every_start_of_gunicorn_names_the_settings() -> None:
    for name in STARTS:
        text = (ROOT / name).read_text()
        assert "kam.wsgi:application" in text, name
        for line in text.splitlines():
            if "kam.wsgi:application" in line:
                assert "gunicorn.conf.py" in line, f"{name}: {line.strip()}"
