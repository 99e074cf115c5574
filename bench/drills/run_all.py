"""Every fault drill on one private stack, then the combined table.

    .venv/bin/python bench/drills/run_all.py                               # 200,000-line ledger
    .venv/bin/python bench/drills/run_all.py --import-lines 1000000 --lines 200000

--import-lines sets the ledger of the worker-kill drill alone (default: --lines); the Redis and
PostgreSQL drills import --lines lines and run the nightly analysis over them.
Exit status: non-zero when a drill did not pass.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))

from bench.drills import gunicorn_kill, pg_restart_nightly, redis_restart, worker_kill_import
from bench.drills._stack import Row, Stack, common_arguments, log, print_table


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    common_arguments(parser)
    parser.add_argument("--import-lines", type=int, help="ledger lines of the worker-kill drill")
    parser.add_argument("--kill-after", type=float, default=1, help="seconds into the import's writing")
    args = parser.parse_args()
    import_args = argparse.Namespace(**{**vars(args), "lines": args.import_lines or args.lines})
    drills = (
        ("gunicorn worker kill -9", gunicorn_kill.run, args),
        ("Celery worker kill -9 during an import", worker_kill_import.run, import_args),
        ("Redis restart during an import / the nightly run", redis_restart.run, args),
        ("PostgreSQL restart during the nightly run", pg_restart_nightly.run, args),
    )
    rows: list[Row] = []
    started = time.monotonic()
    with Stack(args) as stack:
        stack.django()
        for name, run, drill_args in drills:
            log(f"drill: {name}")
            try:
                rows.extend(run(stack, drill_args))
            except Exception as error:
                traceback.print_exc()
                rows.append(
                    Row(name, f"did not finish: {error.__class__.__name__}: {error}", 0, 0, -1, "FAIL")
                )
            log(f"so far: {rows[-1].outcome}")
    print(
        f"Fault drills {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{time.monotonic() - started:.0f} s"
    )
    print_table(rows)
    return 0 if all(row.outcome == "pass" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
