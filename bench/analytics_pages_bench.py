"""The analytics pages at 1k and at 10k accounts, side by side: p50/p95 ms and queries per page and role.

Two databases built by bench/analytics_pages_data.py (--accounts 1000 and --accounts 10000):

    .venv/bin/python bench/analytics_pages_bench.py \\
        --small postgres://postgres@127.0.0.1:5432/kam_1k --large postgres://postgres@127.0.0.1:5432/kam_10k

One Django process per database serves the requests in-process (Django's test client, the whole
middleware stack, templates rendered); the two are driven in turn, request by request, so a drift in
the machine's speed hits both sizes alike. The first request of each page warms it (and, for the
dashboard, fills the per-run figures of the scope) and is not counted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    ("dashboard", "/analysis/"),
    ("segment list", "/analysis/segments/"),
    ("segments A·X, by value", "/analysis/segments/?abc_class=A&xyz_class=X&ordering=-value"),
    ("segments, page 3 by name", "/analysis/segments/?ordering=name&page=3"),
    ("retention at risk + lost", "/retention/"),
    ("retention lost, by days", "/retention/?status=lost&ordering=days"),
    ("retention, by risk", "/retention/?ordering=score"),
    ("retention, least value first", "/retention/?ordering=-value"),
    ("retention, by name Z-A", "/retention/?ordering=-name"),
    ("retention losses", "/retention/losses/"),
    ("retention campaigns", "/retention/campaigns/"),
]
ROLES = {"head": "bench-head", "kam": "bench-kam3"}


def serve() -> None:
    """Child: read "role path" lines, answer one JSON line (ms, queries, status) per request."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kam.settings.dev")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    clients = {}
    for role, username in ROLES.items():
        clients[role] = Client(HTTP_HOST="127.0.0.1")
        clients[role].force_login(User.objects.get(username=username))
    for line in sys.stdin:
        role, path = line.split(maxsplit=1)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = clients[role].get(path.strip())
            ms = (time.perf_counter() - started) * 1000
        print(json.dumps({"ms": ms, "queries": len(queries), "status": response.status_code}), flush=True)


def _child(url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    return subprocess.Popen(
        [sys.executable, __file__, "--serve"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip


def _ask(child: subprocess.Popen, role: str, path: str) -> dict:
    if child.stdin is None or child.stdout is None:
        raise RuntimeError("the page process has no pipes")
    child.stdin.write(f"{role} {path}\n")
    child.stdin.flush()
    return json.loads(child.stdout.readline())


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", help="DATABASE_URL of the 1k-account database")
    parser.add_argument("--large", help="DATABASE_URL of the 10k-account database")
    parser.add_argument("--requests", type=int, default=15, help="counted requests per page, role and size")
    parser.add_argument("--only", help="pages whose name contains this text")
    parser.add_argument("--role", choices=list(ROLES), action="append", help="only this role (repeatable)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return 0
    children = {"1k": _child(args.small), "10k": _child(args.large)}
    print(
        f"{'page':28} {'role':5} {'1k p50':>7} {'p95':>6} {'10k p50':>8} {'p95':>6} {'ratio':>6} "
        f"{'queries':>9}"
    )
    for name, path in PAGES:
        if args.only and args.only not in name:
            continue
        for role in args.role or ROLES:
            samples: dict[str, list[dict]] = {size: [] for size in children}
            for child in children.values():
                _ask(child, role, path)  # warm-up
            for _ in range(args.requests):
                for size, child in children.items():
                    samples[size].append(_ask(child, role, path))
            ms = {size: [s["ms"] for s in rows] for size, rows in samples.items()}
            queries = {size: {s["queries"] for s in rows} for size, rows in samples.items()}
            bad = {s["status"] for rows in samples.values() for s in rows} - {200}
            p50 = {size: statistics.median(values) for size, values in ms.items()}
            counted = "/".join(",".join(map(str, sorted(q))) for q in queries.values())
            print(
                f"{name:28} {role:5} {p50['1k']:7.1f} {_p95(ms['1k']):6.1f} {p50['10k']:8.1f} "
                f"{_p95(ms['10k']):6.1f} {p50['10k'] / p50['1k']:5.2f}x {counted:>9}"
                + (f"  status {sorted(bad)}" if bad else "")
            )
    for child in children.values():
        if child.stdin:
            child.stdin.close()
        child.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
