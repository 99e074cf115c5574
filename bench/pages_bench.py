"""Time the main pages at two sizes of company (default 1,000 and 10,000 accounts) and print, per page
and role, p50/p95 in ms, the query count at each size and the ratio of the p50s.

    createdb -h 127.0.0.1 -U postgres kam_bench   # only its name is used: see below
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kam_bench
    .venv/bin/python bench/pages_bench.py                      # builds the data once, ~1-2 min
    .venv/bin/python bench/pages_bench.py --runs 30 --only "accounts"

Each size gets a database of its own, `<DATABASE_URL's name>_pages_<size>`, created, migrated and
filled by tests/scale_data.build_company on the first run (`--rebuild` to build it again) and reused
afterwards. The pages are those of tests/scale_data.PAGES, fetched in-process through Django's test
client (no network, no gunicorn) as a department head (sees every account) and as a KAM (owns a
twentieth). The sizes are timed in turn, a few requests at a time, so that a drift of the machine's
speed falls on both; read the ratio, not the absolute figures, on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings.dev")
    os.environ.setdefault("DEBUG", "0")  # as in production: no query log kept in memory
    import logging
    import warnings

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per login otherwise
    warnings.filterwarnings("ignore", message="No directory at")  # static files are not served here


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000", help="Accounts per company, comma-separated.")
    parser.add_argument("--contacts", type=int, default=5, help="Contacts per account.")
    parser.add_argument("--runs", type=int, default=15, help="Timed requests per page, role and size.")
    parser.add_argument("--only", default="", help="Only the pages whose name contains this text.")
    parser.add_argument("--rebuild", action="store_true", help="Drop and build the databases again.")
    return parser.parse_args(argv)


# --- databases --------------------------------------------------------------------------------------


def use_database(name: str) -> None:
    """Point Django's default connection (and cache keys) at the company database `name`."""
    from django.core.cache import cache
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name
    cache.key_prefix = name  # ids repeat across the databases


def ensure_company(name: str, size: int, contacts: int, rebuild: bool):
    """The company of database `name`, built first if missing (or `rebuild`)."""
    import psycopg
    from django.core.management import call_command
    from django.db import connection

    server = connection.settings_dict
    with psycopg.connect(
        host=server["HOST"], port=server["PORT"] or 5432, user=server["USER"], password=server["PASSWORD"],
        dbname="postgres", autocommit=True,
    ) as admin:  # fmt: skip
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and rebuild:
            connection.close()
            admin.execute(f'DROP DATABASE "{name}"')
            exists = False
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    use_database(name)
    if not exists:
        from tests.scale_data import build_company

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        build_company(accounts=size, contacts_per_account=contacts)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"built {name}: {size:,} accounts in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return company_of()


def company_of():
    from accounts.models import Account, User
    from tests.scale_data import Company

    kam = User.objects.get(username="kam00")
    account = Account.objects.filter(owner=kam, parent__isnull=True, subsidiaries__isnull=False).first()
    return Company(head=User.objects.get(username="head"), kam=kam, account=account, accounts=0)


# --- timing -----------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(databases: dict[int, str], companies: dict, name: str, url_of, role: str, runs: int):
    """{size: (times in ms, query count)} for one page and role, the sizes in turn."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients, urls, times, queries = {}, {}, {size: [] for size in databases}, {}
    for size, db in databases.items():
        use_database(db)
        clients[size] = Client(HTTP_HOST="127.0.0.1")
        clients[size].force_login(getattr(companies[size], role))
        urls[size] = url_of(companies[size])
    block = 5
    for start in range(0, runs, block):
        for size, db in databases.items():
            use_database(db)
            clients[size].get(urls[size])  # a fresh connection's first request is not timed
            for _ in range(min(block, runs - start)):
                began = time.perf_counter()
                response = clients[size].get(urls[size])
                times[size].append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                sys.exit(f"{name} as {role} at {size:,} accounts answered {response.status_code}")
            if size not in queries:
                with CaptureQueriesContext(connection) as captured:
                    clients[size].get(urls[size])
                queries[size] = len(captured)
    return {size: (times[size], queries[size]) for size in databases}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_django()
    from django.db import connection

    from tests.scale_data import PAGES, ROLES

    if connection.vendor != "postgresql":
        sys.exit("pages_bench measures PostgreSQL: set DATABASE_URL=postgres://…")
    base = connection.settings_dict["NAME"]
    sizes = [int(s) for s in args.sizes.split(",")]
    databases = {size: f"{base}_pages_{size}" for size in sizes}
    companies = {
        size: ensure_company(db, size, args.contacts, args.rebuild) for size, db in databases.items()
    }
    small, large = sizes[0], sizes[-1]
    print(
        f"{'page':30} {'role':5} {f'{small:,} p50/p95':>14} {f'{large:,} p50/p95':>15} "
        f"{'p50 ratio':>9} {'queries':>9}"
    )
    for name, url_of in PAGES:
        if args.only and args.only not in name:
            continue
        for role in ROLES:
            result = measure(databases, companies, name, url_of, role, args.runs)
            (t1, q1), (t2, q2) = result[small], result[large]
            p50 = (statistics.median(t1), statistics.median(t2))
            print(
                f"{name:30} {role:5} {p50[0]:6.0f}/{percentile(t1, 0.95):<7.0f} "
                f"{p50[1]:6.0f}/{percentile(t2, 0.95):<8.0f} {p50[1] / p50[0]:8.2f}x {q1:>4}/{q2:<4}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
