"""Time a segmentation run against a bare SQL aggregate over the raw lines, on PostgreSQL only.

    createdb -h 127.0.0.1 -U postgres kam_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench \\
        .venv/bin/python bench/analysis_bench.py --lines 10000000 --accounts 100000 --months 24

When the ledger in the database does not already hold exactly --lines lines, it empties the
accounts and sales tables and imports a generated ledger first (through the real import). Then,
each in a child process of its own (so each peak RSS is its own), it times the bare
`SELECT account, month, SUM(amount) FROM sales_salesline GROUP BY account, month` (all rows fetched)
and a full run (`run_create` + `run_execute`: read the rollups, the engine, writing the segments).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_bench import peak_rss_mb, require_postgres, reset_database, setup_django  # noqa: E402
from sales.ledger_generator import generate_lines, write_csv  # noqa: E402

BARE = (
    "SELECT account_id, date_trunc('month', date) AS month, SUM(amount) FROM sales_salesline "
    "GROUP BY account_id, date_trunc('month', date)"
)


def child(step: str, as_of: str) -> None:
    setup_django()
    from django.db import connection

    started = time.perf_counter()
    if step == "bare":
        with connection.cursor() as cursor:
            cursor.execute(BARE)
            rows = len(cursor.fetchall())
        detail = f"{rows:,} account-months"
    else:
        from analysis.services import run_create, run_execute

        run = run_execute(run=run_create(by=None, as_of=dt.date.fromisoformat(as_of), trigger="command"))
        detail = f"{run.account_count:,} accounts, result {run.result_hash[:12]}"
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rss_mb": peak_rss_mb(), "detail": detail}))


def run_child(step: str, as_of: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, "--as-of", as_of],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def ensure_ledger(args: argparse.Namespace, end: dt.date) -> None:
    setup_django()
    from django.core.files import File

    from accounts.models import Account
    from sales.models import ImportBatch, SalesLine
    from sales.services import import_batch_create, import_batch_run

    if SalesLine.objects.count() == args.lines and Account.objects.count() == args.accounts:
        print(f"ledger already holds {args.lines:,} lines of {args.accounts:,} accounts: reusing it")
        return
    reset_database()
    path = Path(args.data_dir) / (
        f"kam-ledger-{args.lines}l-{args.accounts}a-{args.months}m-s{args.seed}-{end}.csv"
    )
    if not path.exists():
        print(f"writing {path} …", flush=True)
        write_csv(
            path,
            generate_lines(
                lines=args.lines, accounts=args.accounts, months=args.months, seed=args.seed, end=end
            ),
        )
    print("importing it …", flush=True)
    started = time.perf_counter()
    with path.open("rb") as handle:
        batch = import_batch_create(
            by=None, source=ImportBatch.Source.COMMAND, upload=File(handle, name=path.name)
        )
    batch = import_batch_run(batch=batch)
    print(f"imported {batch.inserted:,} lines in {time.perf_counter() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", default="2025-12-31")
    # A stable name, reused by the next run: the system's temporary folder (TMPDIR) unless told.
    parser.add_argument(
        "--data-dir", default=tempfile.gettempdir(), help="where the generated ledger file is kept"
    )
    parser.add_argument("--child")
    parser.add_argument("--as-of")
    parser.add_argument("--allow-any-database", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.as_of)
        return 0
    setup_django()
    require_postgres(args.allow_any_database)
    end = dt.date.fromisoformat(args.end)
    ensure_ledger(args, end)
    bare = run_child("bare", args.end)
    run = run_child("run", args.end)
    print(f"\n{'step':<34}{'seconds':>10}{'peak RSS':>12}  detail")
    for label, result in (("bare SQL GROUP BY account, month", bare), ("segmentation run", run)):
        print(f"{label:<34}{result['seconds']:>10.2f}{result['rss_mb']:>9.0f} MB  {result['detail']}")
    print(f"\nratio run / bare aggregate: {run['seconds'] / bare['seconds']:.2f}")
    print(
        f"targets: run ≤ 60 s [{'ok' if run['seconds'] <= 60 else 'MISSED'}], "
        f"peak RSS ≤ 2048 MB [{'ok' if run['rss_mb'] <= 2048 else 'MISSED'}]"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
