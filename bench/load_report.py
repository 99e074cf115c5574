"""Print the load test's table (p50/p95/p99 per page) from locust's CSV statistics.

    .venv/bin/python bench/load_report.py /tmp/kam-load-…/kam_stats.csv /tmp/kam-load-…/head_stats.csv

One row per page name in the order the files list them (the login rows, named "(…)", left out),
as a Markdown table. Exit status 1 when any request failed; the failures are listed after the table.
Locust rounds times above 100 ms to 2 significant digits (and above 1 s to 100 ms).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HEADER = "| page | requests | failures | p50 ms | p95 ms | p99 ms | max ms | avg KB |"


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


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv]
    print(HEADER)
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    failed = 0
    for path in paths:
        for row in rows(path):
            failed += int(row["Failure Count"])
            if row["Name"].startswith("("):
                continue
            size = float(row["Average Content Size"]) / 1024
            print(
                f"| {row['Name']} | {int(row['Request Count']):,} | {row['Failure Count']} | {row['50%']} | "
                f"{row['95%']} | {row['99%']} | {float(row['Max Response Time']):,.0f} | {size:,.0f} |"
            )
    problems = [line for path in paths for line in failures(path)]
    if failed or problems:
        print(f"\n{failed} requests failed:", *problems, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
