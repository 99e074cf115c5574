"""Time a segmentation run against a bare SQL aggregate over the raw lines, on PostgreSQL only.

    createdb -h 127.0.0.1 -U postgres kam_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench \\
        .venv/bin/python bench/analysis_bench.py --lines 10000000 --accounts 100000 --months 24

When the ledger in the database does not already hold exactly --lines lines, it empties the
accounts and sales tables and imports a generated ledger first (through the real import). Then,
each in a child process of its own (so each peak RSS is its own), it times the bare
`SELECT account, month, SUM(amount) FROM sales_salesline GROUP BY account, month` (all rows fetched)
and a full run (`run_create` + `run_execute`: read the rollups, the engine, writing the segments).
The first run after the ledger's import, which gives every account its first status, is timed and
shown apart, before the pairs: a nightly run finds the statuses of the night before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_bench import require_postgres, reset_database, setup_django  # noqa: E402
from bench.memory import peak_rss_mb  # noqa: E402
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
        from analysis.engine.churn_regression import load_model_libraries
        from analysis.services import run_create, run_execute

        # As in the analysis queue's worker, which loads them once at start (kam.celery).
        load_model_libraries()
        started = time.perf_counter()

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
    from django.core.management import call_command

    from accounts.models import Account
    from sales.models import ImportBatch, SalesLine
    from sales.services import import_batch_create, import_batch_run

    call_command("migrate", verbosity=0, interactive=False)  # a new database has no tables yet
    if SalesLine.objects.count() == args.lines and Account.objects.count() == args.accounts:
        print(f"ledger already holds {args.lines:,} lines of {args.accounts:,} accounts: reusing it")
        analyse_tables()
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
    analyse_tables()


def no_run_since_the_import() -> bool:
    """Whether no run has completed since the ledger's last import finished."""
    from django.db.models import Max

    from analysis.models import AnalysisRun
    from sales.models import ImportBatch

    imported = ImportBatch.objects.aggregate(last=Max("finished_at"))["last"]
    runs = AnalysisRun.objects.filter(status=AnalysisRun.Status.COMPLETE)
    return imported is not None and not runs.filter(finished_at__gt=imported).exists()


def analyse_tables() -> None:
    """Planner statistics for the ledger and the tables a run reads, as autovacuum keeps them in production
    (a server with autovacuum off, such as a test server, would plan the run's joins for the
    few hundred rows it saw before the import)."""
    from django.db import connection

    with connection.cursor() as cursor:
        tables = (
            "accounts_account",
            "sales_salesline",
            "sales_accountrhythm",
            "sales_monthlysales",
            "sales_dailysales",
        )
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


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
    parser.add_argument("--pairs", type=int, default=3, help="bare aggregate and run, alternated")
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
    if no_run_since_the_import():
        # The first run after a ledger's import gives every account its first buying status (at 10M
        # lines 32,642 status changes, the accounts' rows and their twelve indexes rewritten: 7.0 to
        # 8.6 s against 4.4 to 5.6 s); a nightly run changes a few. Timed and shown, not paired.
        first = run_child("run", args.end)
        print(f"the first run since the import, not paired: {first['seconds']:.2f} s, {first['detail']}")
    # Side by side: bare, run, bare, run … so that both see the same moment of a shared machine.
    pairs = []
    print(f"\n{'pair':<6}{'bare s':>9}{'bare RSS':>10}{'run s':>9}{'run RSS':>10}{'run / bare':>12}  detail")
    for number in range(1, args.pairs + 1):
        bare = run_child("bare", args.end)
        run = run_child("run", args.end)
        pairs.append((bare, run))
        print(
            f"{number:<6}{bare['seconds']:>9.2f}{bare['rss_mb']:>7.0f} MB{run['seconds']:>9.2f}"
            f"{run['rss_mb']:>7.0f} MB{run['seconds'] / bare['seconds']:>12.2f}  {run['detail']}",
            flush=True,
        )
    ratio = statistics.median(run["seconds"] / bare["seconds"] for bare, run in pairs)
    peak = max(run["rss_mb"] for _bare, run in pairs)
    print(f"\nmedian ratio run / bare aggregate: {ratio:.2f}; peak RSS of the run {peak:.0f} MB")
    print(
        f"targets: ratio ≤ 0.5 [{'ok' if ratio <= 0.5 else 'MISSED'}], "
        f"peak RSS ≤ 1024 MB [{'ok' if peak <= 1024 else 'MISSED'}]"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
