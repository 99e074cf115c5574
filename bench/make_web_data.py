"""Build the data set of the web load test (bench/load.sh) in a PostgreSQL database of its own.

    createdb -h 127.0.0.1 -U postgres kam_web10k
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_web10k \\
        .venv/bin/python bench/make_web_data.py --accounts 10000 --contacts 50000 --lines 1000000
    .venv/bin/python bench/make_web_data.py --accounts 1000 --contacts 5000 --lines 100000  # the 1k set

It migrates the database and empties it of users, accounts, the ledger and everything hanging off
them (so it refuses a database whose name holds neither "bench" nor "web"), then builds:
a department with its head and --kams KAMs (a KAM holds about accounts/kams accounts), an analyst
and an admin, all with the password --password; accounts in groups (one in ten heads a group of
three levels) with their teams; contacts with personal fields and birthdays spread over the year;
a generated ledger of --lines lines (sales/ledger_generator.py) for nine accounts in ten, through the
real import; a segmentation run as of the month before last; interactions and tasks; proposals
through the proposal services; refusals, losses and a win-back campaign; and the complete run as
of the last month end. Bulk inserts where the services would take too long, the services where
the numbers they compute matter. The same arguments give the same data set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.import_bench import PROTECTED, setup_django  # noqa: E402
from bench.make_ledger import default_output, last_month_end  # noqa: E402

# Users, accounts and the ledger; CASCADE empties every table that refers to them.
TABLES = (
    "accounts_user",
    "accounts_department",
    "accounts_account",
    "sales_salesline",
    "sales_monthlysales",
    "sales_dailysales",
    "sales_importbatch",
    "sales_productline",
    "analysis_analysisrun",
    "dossiers_competitor",
    "proposals_proposalsequence",
    "proposals_successstory",
    "django_session",
)


def require_bench_database() -> str:
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("make_web_data builds a PostgreSQL database: set DATABASE_URL=postgres://…")
    name = connection.settings_dict["NAME"]
    if name in PROTECTED or not ("bench" in name or "web" in name):
        sys.exit(
            f"make_web_data empties the database {name!r}: point DATABASE_URL at a database of its "
            "own whose name holds 'bench' or 'web' (e.g. kam_web10k)."
        )
    return name


def reset_database() -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        # A data set built again from scratch if lost: no need to wait for each commit's flush.
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")


def vacuum_analyze() -> None:
    """Planner statistics for the new rows, as a database in service has them (autovacuum may be
    off or not have got round to it yet): without them the pages' plans are not the real ones."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def import_ledger(
    *, customers: list[str], lines: int, months: int, seed: int, end: dt.date, folder: Path
) -> str:
    """Write the generated ledger once (it is kept in `folder`) and import it through the real import."""
    from django.core.files import File

    from sales.ledger_generator import generate_lines, write_csv
    from sales.models import ImportBatch
    from sales.services import import_batch_create, import_batch_run

    path = default_output(lines=lines, accounts=len(customers), months=months, seed=seed, end=end)
    path = folder / f"{path.stem}-of-{customers[-1]}-web.csv"  # the customers' ids are in the file
    if not path.exists():
        write_csv(
            path,
            generate_lines(
                lines=lines, accounts=len(customers), months=months, seed=seed, end=end, account_ids=customers
            ),
        )
    with path.open("rb") as handle:
        batch = import_batch_create(
            by=None, source=ImportBatch.Source.COMMAND, upload=File(handle, name=path.name), options={}
        )
    batch = import_batch_run(batch=batch)
    if batch.status != ImportBatch.Status.DONE:
        raise RuntimeError(f"the ledger import ended {batch.status}: {batch.message} {batch.errors[:3]}")
    return f"{batch.inserted:,} lines for {len(customers):,} accounts ({path.name})"


def analysis_run(as_of: dt.date) -> Any:
    from analysis.models import AnalysisRun
    from analysis.services import run_create, run_execute

    return run_execute(run=run_create(by=None, as_of=as_of, trigger=AnalysisRun.Trigger.COMMAND))


class Steps:
    """Runs the steps in order and prints each one's time."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.started = time.perf_counter()

    def __call__(self, label: str, step: Callable[[], Any]) -> Any:
        began = time.perf_counter()
        result = step()
        if not self.quiet:
            detail = result if isinstance(result, str) else ""
            print(f"  {label:<28}{time.perf_counter() - began:7.1f} s  {detail}", flush=True)
        return result

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def build(args: argparse.Namespace, *, quiet: bool = False) -> dict[str, Any]:
    """Build the data set into the current database (which the caller has checked and emptied)."""
    from bench.web_data import activity, people

    rng = random.Random(args.seed)
    end = args.end or last_month_end(dt.date.today())
    step = Steps(quiet)
    cast = step("users", lambda: people.create_users(kams=args.kams, password=args.password))
    accounts = step("accounts", lambda: people.create_accounts(rng=rng, count=args.accounts, cast=cast))
    contacts = step(
        "contacts", lambda: people.create_contacts(rng=rng, accounts=accounts, count=args.contacts)
    )
    customers = [a.external_id for a in accounts if rng.random() < args.customer_share]
    step(
        "ledger (generate + import)",
        lambda: import_ledger(
            customers=customers,
            lines=args.lines,
            months=args.months,
            seed=args.seed,
            end=end,
            folder=Path(args.ledger_dir),
        ),
    )
    before = step("analysis run (month before)", lambda: analysis_run(last_month_end(end)))
    interactions, tasks = step(
        "interactions and tasks",
        lambda: activity.create_interactions(rng=rng, accounts=accounts, per_account=args.interactions),
    )
    step(
        "proposals",
        lambda: activity.create_proposals(
            rng=rng, accounts=accounts, count=max(args.accounts // 50, 1), cast=cast
        ),
    )
    step("retention", lambda: activity.create_retention(rng=rng, accounts=accounts, run=before, cast=cast))
    run = step("analysis run (complete)", lambda: analysis_run(end))
    return {
        "cast": cast,
        "accounts": len(accounts),
        "contacts": contacts,
        "interactions": interactions,
        "tasks": tasks,
        "run": run,
        "seconds": step.seconds,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, help="default: 5 per account")
    parser.add_argument("--lines", type=int, help="ledger lines (default: 100 per account)")
    parser.add_argument("--kams", type=int, default=20)
    parser.add_argument("--interactions", type=int, default=3, help="per account, on average")
    parser.add_argument("--customer-share", type=float, default=0.9, help="accounts with a ledger")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument(
        "--end", type=dt.date.fromisoformat, help="ledger's last day (default: last month end)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--password", default="kam-load-2026")
    parser.add_argument("--ledger-dir", default=tempfile.gettempdir(), help="where the ledger file is kept")
    args = parser.parse_args(argv)
    args.contacts = args.contacts if args.contacts is not None else 5 * args.accounts
    args.lines = args.lines if args.lines is not None else 100 * args.accounts
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    media = tempfile.mkdtemp(prefix="kam-web-media-")  # where the import keeps its copy of the ledger
    os.environ["MEDIA_ROOT"] = media
    setup_django()
    database = require_bench_database()
    print(
        f"Building into {database}: {args.accounts:,} accounts, {args.contacts:,} contacts, "
        f"{args.lines:,} lines, {args.kams} KAMs",
        flush=True,
    )
    reset_database()
    try:
        built = build(args)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    began = time.perf_counter()
    vacuum_analyze()
    print(f"  {'VACUUM ANALYZE':<28}{time.perf_counter() - began:7.1f} s", flush=True)
    run = built["run"]
    print(
        f"Built in {built['seconds']:.0f} s: {built['accounts']:,} accounts, {built['contacts']:,} contacts, "
        f"{built['interactions']:,} interactions, {built['tasks']:,} tasks; run {run.pk} as of {run.as_of} "
        f"({run.account_count:,} accounts)."
    )
    cast = built["cast"]
    kams = f"{cast.kams[0].username} … {cast.kams[-1].username}" if cast.kams else "none"
    print(
        f"Users (password {args.password}): head (department head, sees every account), KAMs {kams}, "
        "analyst, admin"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
