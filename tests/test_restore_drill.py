"""The restore drill (scripts/restore_drill.sh) on PostgreSQL: the demo backed up and restored is the
same database, the same media, the same rollups and the same analysis result.

It makes two scratch databases of its own on the test server, named after the test database and the
parallel worker, so that runs side by side never meet. Select it alone with `pytest -m drill`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

pytestmark = [
    pytest.mark.drill,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="the restore drill needs PostgreSQL (pg_dump, pg_restore): set DATABASE_URL=postgres://…",
    ),
]


def _scratch_prefix() -> str:
    name = urlsplit(os.environ["DATABASE_URL"]).path.strip("/")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return f"test_{name}_{worker}_drill"


@pytest.mark.slow(70)
def test_the_restored_demo_is_identical_to_the_one_backed_up():
    env = {**os.environ, "PYTHON": sys.executable, "KAM_DRILL_PREFIX": _scratch_prefix()}
    result = subprocess.run(
        ["bash", "scripts/restore_drill.sh"],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "restore drill: OK" in output
    tables = re.search(r"row counts: (\d+) tables in the source, (\d+) restored, (\d+) identical", output)
    assert tables and len(set(tables.groups())) == 1 and int(tables[1]) > 50, output
    assert not re.search(r"\bDIFFERENT\b", output)
    original = re.search(r"result hash, original run in the source: ([0-9a-f]{64})", output)
    again = re.search(r"result hash, run #\d+ again on the copy: ([0-9a-f]{64})", output)
    assert original and again and original[1] == again[1], output
    assert re.search(r"media: (\d+) files .* (\d+) restored, \1 with the same sha256: ok", output), output
    assert "rollups on the copy:" in output and "monthly 0, daily 0, rhythm 0: ok" in output
