"""Drill: restart PostgreSQL (an immediate stop, as a crash) in the middle of the nightly run.

    .venv/bin/python bench/drills/pg_restart_nightly.py --lines 200000

The run's transaction dies with the server: the run is marked failed (or its task retried), its
segments are never visible half written, and the next attempt completes the same run with the
result hash of an undisturbed run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.drills._stack import (
    RequestLoop,
    Row,
    Stack,
    baseline,
    clear_runs,
    ensure_ledger,
    half_visible,
    log,
    main,
    nightly_done,
    runs,
    submit_nightly,
    wait_for,
    wait_running,
    watching,
)  # fmt: skip


def run(stack: Stack, args: argparse.Namespace) -> list[Row]:
    lines = ensure_ledger(stack, args)
    expected_hash, seconds = baseline(stack)
    clear_runs(stack)
    with RequestLoop(stack) as loop, watching(lambda: half_visible(stack)) as problems:
        task_id = submit_nightly()
        wait_running(stack, 0.5, seconds)
        stack.pg_restart()
        back = time.monotonic()
        log("postgresql restarted during the nightly run")
        wait_for(lambda: nightly_done(stack) is not None, 300 + 5 * seconds, "nightly run complete", 2)
        found = runs(stack)
    ok, failed = loop.counts()
    ok_after, failed_after = loop.counts(started_after=back + 1)
    deliveries = stack.deliveries(task_id)
    complete = [run for run in found if run[1] == "complete"]
    same_hash = len(complete) == 1 and complete[0][3] == expected_hash
    stray = [run for run in found if run[1] not in ("complete", "failed")]
    lines_after = stack.sql_value("SELECT count(*) FROM sales_salesline")
    passed = same_hash and not stray and not problems and lines_after == lines
    return [
        Row(
            drill="PostgreSQL restart during the nightly run",
            done=(
                f"pg_ctl stop -m immediate + start {seconds * 0.5:.0f} s into the run; "
                f"{deliveries} deliveries; "
                f"runs: {'; '.join(f'#{r[0]} {r[1]}, {r[2]} attempt(s)' for r in found)}; result hash "
                f"{'equal to' if same_hash else 'DIFFERENT from'} the undisturbed run's"
                + (f"; seen half visible: {problems[0]}" if problems else "")
            ),
            requests_ok=ok,
            requests_failed=failed,
            lost=(lines - lines_after) + (0 if same_hash else 1),
            outcome="pass" if passed else "FAIL",
            notes=(
                f"requests from 1 s after PostgreSQL was back: {ok_after} ok, {failed_after} failed "
                "(the failures before: the outage itself)"
            ),
        )
    ]


if __name__ == "__main__":
    sys.exit(main(run, __doc__ or ""))
