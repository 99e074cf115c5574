"""Drill: kill -9 the Celery worker in the middle of a ledger import, then start it again.

    .venv/bin/python bench/drills/worker_kill_import.py --lines 200000
    .venv/bin/python bench/drills/worker_kill_import.py --lines 1000000 --accounts 100000

At the kill the batch must be wholly out (no line, no rollup); the task, acknowledged late, comes
back once the visibility timeout has passed and the restarted worker completes it: every line in,
the monthly and daily rollups equal to the lines.
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
    batch_state,
    empty_sales,
    import_phase,
    ledger,
    ledger_check,
    log,
    main,
    resubmit_import,
    submit_import,
    wait_for,
)  # fmt: skip


def run(stack: Stack, args: argparse.Namespace) -> list[Row]:
    empty_sales(stack)
    path = ledger(stack, lines=args.lines, accounts=args.accounts, months=args.months, seed=1)
    with RequestLoop(stack) as loop:
        batch_id, task_id = submit_import(stack, path)
        wait_for(lambda: batch_state(stack, batch_id)[0] == "running", 120, "import running", 0.2)
        # Into the writing: the file read, checked and staged, the lines going into the ledger.
        wait_for(lambda: import_phase(batch_id) == "writing", 1800, "import writing", 0.1)
        time.sleep(args.kill_after)
        status_at_kill = batch_state(stack, batch_id)[0]
        stack.worker_kill()
        log(f"worker killed, batch {batch_id} {status_at_kill}")
        at_kill = ledger_check(stack, args.lines)
        stack.worker_restart()
        restarted = time.monotonic()
        # The task was acknowledged late: the broker hands it out again once the visibility timeout
        # has passed. Should that not happen, the batch is submitted again (the table says which).
        how = "redelivered"
        try:
            wait_for(lambda: stack.deliveries(task_id) >= 2, VISIBILITY_TIMEOUT + 60, "redelivery", 1)
        except TimeoutError:
            how = "NOT redelivered, re-submitted"
            resubmit_import(batch_id)
            log(f"no redelivery within {VISIBILITY_TIMEOUT + 60} s: batch {batch_id} submitted again")
        wait_for(
            lambda: batch_state(stack, batch_id)[0] not in ("pending", "running"), 1800, "import done", 1
        )
        took = time.monotonic() - restarted
        status, inserted, _ = batch_state(stack, batch_id)
        after = ledger_check(stack, args.lines)
    ok, failed = loop.counts()
    deliveries = stack.deliveries(task_id)
    passed = (
        at_kill["lines"] == 0 and status == "done" and after["lost"] == 0 and after["rollups_equal"]
        and inserted == args.lines and status_at_kill == "running"
    )  # fmt: skip
    return [
        Row(
            drill=f"Celery worker kill -9 during a {args.lines:,}-line import",
            done=(
                f"kill -9 {args.kill_after:.0f} s into the writing "
                f"({at_kill['lines']} lines visible at the kill); "
                f"worker restarted, task {how} ({deliveries} deliveries), done {took:.0f} s later: "
                f"{status}, {inserted:,} inserted, rollups {'equal' if after['rollups_equal'] else 'DIFFER'}"
            ),
            requests_ok=ok,
            requests_failed=failed,
            lost=after["lost"],
            outcome="pass" if passed else "FAIL",
        )
    ]


if __name__ == "__main__":

    def kill_after(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--kill-after", type=float, default=1)

    sys.exit(main(run, __doc__ or "", more_arguments=kill_after))
