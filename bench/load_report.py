"""Print the load test's table (p50/p95/p99 per page) from locust's CSV statistics.

    .venv/bin/python bench/load_report.py /tmp/kam-load-…/kam_stats.csv /tmp/kam-load-…/head_stats.csv \
        --alone /tmp/kam-load-…/alone-kam_stats.csv --alone /tmp/kam-load-…/alone-head_stats.csv

One row per page name in the order the files list them (the login rows, named "(…)", left out),
as a Markdown table. Exit status 1 when any request failed; the failures are listed after the table.
Locust rounds times above 100 ms to 2 significant digits (and above 1 s to 100 ms).

Two more columns: the page's p50 with one user alone (the `--alone` files, from `load.sh`'s run of
one user before the load; "-" without them), which tells how fast the machine serves the page at
all, so that runs on different machines can be compared; and the page's p95 target under load
(issue 13, item 3; bench/README.md) with "ok" or "over". A line after the table counts the pages
within their target.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

HEADER = (
    "| page | requests | failures | p50 ms | p95 ms | p99 ms | max ms | avg KB "
    "| alone p50 ms | p95 target ms |"
)
# The p95 each page must keep under load (2 gunicorn workers, 4 users, 10k accounts): item 3 of the
# scale issue, as bench/README.md's load test section lists them. Pages not named have no target.
LISTS = ("list", "page", "search", "sorted", "list (head)", "sorted (head)")
TABS = ("overview", "dossier", "sales", "analysis", "retention", "timeline")
TARGETS = {
    **dict.fromkeys(("home", "home (head)", "global search"), 200),
    **{f"accounts {list_}": 150 for list_ in LISTS},
    **{f"account {tab}": 200 for tab in TABS},
    **dict.fromkeys(("segmentation dashboard", "segment list", "retention at risk"), 300),
    "api accounts ?page_size=100": 200,
}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]


def failures(stats: Path) -> list[str]:
    path = stats.with_name(stats.name.replace("_stats.csv", "_failures.csv"))
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [
            f"{r['Method']} {r['Name']}: {r['Error']} x {r['Occurrences']}" for r in csv.DictReader(handle)
        ]


def target_cell(name: str, p95: str) -> tuple[str, bool | None]:
    """The target column's text, and whether the page kept it (None: no target)."""
    target = TARGETS.get(name)
    if target is None:
        return "", None
    kept = float(p95) <= target
    return f"{target} {'ok' if kept else '**over**'}", kept


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="The load test's table from locust's CSV statistics.")
    parser.add_argument("stats", nargs="+", type=Path)
    parser.add_argument("--alone", action="append", type=Path, default=[], help="one user's statistics")
    args = parser.parse_args(argv)
    alone = {row["Name"]: row["50%"] for path in args.alone for row in rows(path)}
    print(HEADER)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed, verdicts = 0, []
    for path in args.stats:
        for row in rows(path):
            failed += int(row["Failure Count"])
            if row["Name"].startswith("("):
                continue
            size = float(row["Average Content Size"]) / 1024
            target, kept = target_cell(row["Name"], row["95%"])
            if kept is not None:
                verdicts.append(kept)
            print(
                f"| {row['Name']} | {int(row['Request Count']):,} | {row['Failure Count']} | {row['50%']} | "
                f"{row['95%']} | {row['99%']} | {float(row['Max Response Time']):,.0f} | {size:,.0f} | "
                f"{alone.get(row['Name'], '-')} | {target} |"
            )
    if verdicts:
        print(f"\n{sum(verdicts)} of {len(verdicts)} pages with a target kept their p95 under load.")
    problems = [line for path in args.stats for line in failures(path)]
    if failed or problems:
        print(f"\n{failed} requests failed:", *problems, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
