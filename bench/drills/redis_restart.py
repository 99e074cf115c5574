"""Drill: restart Redis (the broker and the cache) during an import and during the nightly run.

    .venv/bin/python bench/drills/redis_restart.py --lines 200000

Redis is stopped with SHUTDOWN SAVE and started again from its dump three seconds later, as
redis:7 does on a graceful restart. The worker reconnects; the task out at the restart comes back
once the visibility timeout has passed; the second delivery finds the work done and does nothing:
one batch with every line, one nightly run with the undisturbed run's result hash.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.drills._stack import (
    VISIBILITY_TIMEOUT,
    RequestLoop,
    Row,
    Stack,
    baseline,
    batch_state,
    clear_runs,
    empty_sales,
    half_visible,
    import_phase,
    ledger,
    ledger_check,
    log,
    main,
    nightly_done,
    runs,
    submit_import,
    submit_nightly,
    wait_for,
    wait_running,
    watching,
)  # fmt: skip

LATE = VISIBILITY_TIMEOUT + 15  # long enough for a late redelivery to show


def during_import(stack: Stack, args: argparse.Namespace) -> Row:
    empty_sales(stack)
    path = ledger(stack, lines=args.lines, accounts=args.accounts, months=args.months, seed=1)
    with RequestLoop(stack) as loop:
        batch_id, task_id = submit_import(stack, path)
        wait_for(lambda: import_phase(batch_id) in ("checking", "writing"), 1800, "import checking", 0.1)
        stack.redis_restart()
        back = time.monotonic()
        log(f"redis restarted during import {batch_id}")
        wait_for(
            lambda: batch_state(stack, batch_id)[0] not in ("pending", "running"), 1800, "import done", 1
        )
        time.sleep(LATE)
        status, inserted, duplicates = batch_state(stack, batch_id)
        after = ledger_check(stack, args.lines)
        batches = stack.sql_value("SELECT count(*) FROM sales_importbatch")
    ok, failed = loop.counts()
    ok_after, failed_after = loop.counts(started_after=back)
    deliveries = stack.deliveries(task_id)
    passed = status == "done" and inserted == args.lines and after["lost"] == 0 and after["rollups_equal"]
    return Row(
        drill=f"Redis restart during a {args.lines:,}-line import",
        done=(
            f"SHUTDOWN SAVE + start while the import checked its rows; {deliveries} deliveries, "
            f"{batches} batch: {status}, {inserted:,} inserted, {duplicates} duplicates, "
            f"rollups {'equal' if after['rollups_equal'] else 'DIFFER'}"
        ),
        requests_ok=ok,
        requests_failed=failed,
        lost=after["lost"],
        outcome="pass" if passed else "FAIL",
        notes=f"requests once Redis was back: {ok_after} ok, {failed_after} failed",
    )


def during_nightly(stack: Stack, args: argparse.Namespace) -> Row:
    expected_hash, seconds = baseline(stack)
    clear_runs(stack)
    with RequestLoop(stack) as loop, watching(lambda: half_visible(stack)) as problems:
        task_id = submit_nightly()
        wait_running(stack, 0.3, seconds)
        stack.redis_restart()
        back = time.monotonic()
        log("redis restarted during the nightly run")
        wait_for(lambda: nightly_done(stack) is not None, 300 + 5 * seconds, "nightly run complete", 1)
        time.sleep(LATE)
        found = runs(stack)
    ok, failed = loop.counts()
    ok_after, failed_after = loop.counts(started_after=back)
    deliveries = stack.deliveries(task_id)
    complete = [run for run in found if run[1] == "complete"]
    same_hash = len(complete) == 1 and complete[0][3] == expected_hash
    passed = len(found) == 1 and same_hash and not problems
    return Row(
        drill="Redis restart during the nightly run",
        done=(
            f"SHUTDOWN SAVE + start {seconds * 0.3:.0f} s into the run; {deliveries} deliveries, "
            f"{len(found)} run ({', '.join(f'{r[1]}, {r[2]} attempt(s)' for r in found)}), result hash "
            f"{'equal to' if same_hash else 'DIFFERENT from'} the undisturbed run's"
            + (f"; seen half visible: {problems[0]}" if problems else "")
        ),
        requests_ok=ok,
        requests_failed=failed,
        lost=0 if same_hash else 1,
        outcome="pass" if passed else "FAIL",
        notes=f"requests once Redis was back: {ok_after} ok, {failed_after} failed",
    )


def run(stack: Stack, args: argparse.Namespace) -> list[Row]:
    return [during_import(stack, args), during_nightly(stack, args)]


if __name__ == "__main__":
    sys.exit(main(run, __doc__ or ""))
