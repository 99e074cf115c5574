"""Drill: kill -9 a gunicorn worker under a request loop; the master replaces it, later requests succeed.

.venv/bin/python bench/drills/gunicorn_kill.py
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.drills._stack import RequestLoop, Row, Stack, log, main, wait_for


def run(stack: Stack, args: argparse.Namespace) -> list[Row]:
    before = stack.web_workers()
    with RequestLoop(stack) as loop:
        time.sleep(5)
        victim = before[0]
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        log(f"gunicorn worker {victim} killed")
        wait_for(
            lambda: len(stack.web_workers()) == len(before) and victim not in stack.web_workers(),
            60,
            "replacement",
        )
        replaced_at = time.monotonic()
        log(f"replaced after {replaced_at - killed_at:.1f} s: workers {stack.web_workers()}")
        time.sleep(10)
    ok, failed = loop.counts()
    ok_after, failed_after = loop.counts(started_after=replaced_at)
    in_flight = loop.threads  # at most one request per client can have been in the killed worker
    passed = failed_after == 0 and failed <= in_flight and ok_after > 0
    return [
        Row(
            drill="gunicorn worker kill -9",
            done=(
                f"kill -9 of 1 of {len(before)} workers; "
                f"replaced by the master in {replaced_at - killed_at:.1f} s"
            ),
            requests_ok=ok,
            requests_failed=failed,
            lost=0,
            outcome="pass" if passed else "FAIL",
            notes=f"after the replacement: {ok_after} ok, {failed_after} failed",
        )
    ]


if __name__ == "__main__":
    sys.exit(main(run, __doc__ or ""))
