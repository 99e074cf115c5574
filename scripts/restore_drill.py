"""The checks of scripts/restore_drill.sh, which runs the steps; this file says what "the same" means.

    url NAME                       DATABASE_URL with the database NAME on the same server
    scratch create|drop NAME…      (re)create empty, or drop, scratch databases
    compare SOURCE_URL SOURCE_MEDIA RESTORED_MEDIA
                                   with DATABASE_URL the restored copy: the row count of every table
                                   and every sequence of both databases, the media files by sha256,
                                   the rollups against their lines on the copy, and the latest
                                   analysis run computed again on the copy (its result hash)

`compare` prints the figures and exits 1 on any difference.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backup_tools import Refused, media_files, pg_environment

TABLES = """
    SELECT schemaname, tablename FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY schemaname, tablename"""
SEQUENCES = "SELECT schemaname, sequencename, last_value FROM pg_sequences ORDER BY 1, 2"


def url_of(name: str) -> str:
    return urlsplit(os.environ["DATABASE_URL"])._replace(path="/" + quote(name)).geturl()


def connect(url: str, dbname: str | None = None) -> psycopg.Connection:
    env = pg_environment(url)
    return psycopg.connect(
        dbname=dbname or env["PGDATABASE"],
        host=env.get("PGHOST"),
        port=env.get("PGPORT"),
        user=env.get("PGUSER"),
        password=env.get("PGPASSWORD"),
        sslmode=env.get("PGSSLMODE"),
        autocommit=True,
    )


def scratch(action: str, names: list[str]) -> str:
    with connect(os.environ["DATABASE_URL"], "postgres") as server:
        for name in names:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            if action == "create":
                server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"scratch databases {'created' if action == 'create' else 'dropped'}: {', '.join(names)}"


def row_counts(url: str) -> dict[str, int]:
    """Every table's exact row count (`schema.table` → rows)."""
    with connect(url) as conn:
        tables = conn.execute(TABLES).fetchall()
        counts = {}
        for schema, table in tables:
            query = sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(table)
            )
            row = conn.execute(query).fetchone()
            counts[f"{schema}.{table}"] = int(row[0]) if row else 0
        return counts


def sequences(url: str) -> dict[str, int | None]:
    with connect(url) as conn:
        return {f"{schema}.{name}": last for schema, name, last in conn.execute(SEQUENCES).fetchall()}


class Drill:
    """The comparisons, each printing its figures and counting what differs."""

    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, ok: bool, what: str) -> str:
        if not ok:
            self.failures.append(what)
        return "ok" if ok else "DIFFERENT"

    def tables(self, source_url: str, restored_url: str) -> None:
        source, restored = row_counts(source_url), row_counts(restored_url)
        width = max(len(name) for name in source.keys() | restored.keys())
        print(f"{'table':<{width}}  {'source rows':>11}  {'restored rows':>13}  ok")
        for name in sorted(source.keys() | restored.keys()):
            mine, theirs = source.get(name), restored.get(name)
            mark = self.check(mine == theirs, f"rows of {name}")
            shown = [f"{n:,}" if n is not None else "missing" for n in (mine, theirs)]
            print(f"{name:<{width}}  {shown[0]:>11}  {shown[1]:>13}  {mark}")
        same = sum(1 for name in source.keys() | restored.keys() if source.get(name) == restored.get(name))
        print(
            f"row counts: {len(source)} tables in the source, {len(restored)} restored, {same} identical; "
            f"{sum(source.values()):,} rows in the source, {sum(restored.values()):,} restored"
        )
        source_seq, restored_seq = sequences(source_url), sequences(restored_url)
        ok = self.check(source_seq == restored_seq, "sequences")
        print(f"sequences: {len(source_seq)} in the source, {len(restored_seq)} restored, last values {ok}")

    def media(self, source_folder: Path, restored_folder: Path) -> None:
        source, restored = media_files(source_folder), media_files(restored_folder)
        same = sum(1 for name, entry in source.items() if restored.get(name) == entry)
        total = sum(entry["bytes"] for entry in source.values())
        ok = self.check(source == restored and bool(source), "media files")
        print(
            f"media: {len(source)} files ({total:,} bytes) in the source, {len(restored)} restored, "
            f"{same} with the same sha256: {ok}"
        )

    def rollups(self) -> None:
        from sales.consistency import rollup_differences
        from sales.models import DailySales, MonthlySales

        differing = rollup_differences()
        ok = self.check(not any(differing.values()), "rollups")
        monthly, daily = MonthlySales.objects.count(), DailySales.objects.count()
        print(
            f"rollups on the copy: {monthly:,} monthly and {daily:,} daily rows; "
            f"keys differing from the sums of their lines: monthly {differing['monthly']}, "
            f"daily {differing['daily']}, rhythm {differing['rhythm']}: {ok}"
        )

    def analysis(self, source_url: str) -> None:
        from analysis.models import AnalysisRun
        from analysis.selectors import complete_runs
        from analysis.services import run_create, run_execute

        latest = complete_runs().first()
        if latest is None:
            self.check(False, "analysis run")
            print("analysis: the copy has no complete run to compute again")
            return
        with connect(source_url) as conn:
            row = conn.execute(
                "SELECT result_hash FROM analysis_analysisrun WHERE id = %s", [latest.pk]
            ).fetchone()
        original = row[0] if row else "missing"
        started = time.monotonic()
        again = run_execute(
            run=run_create(
                by=None,
                as_of=latest.as_of,
                overrides=latest.policy_values,
                trigger=AnalysisRun.Trigger.COMMAND,
            )
        )
        seconds = time.monotonic() - started
        ok = self.check(original == latest.result_hash == again.result_hash, "analysis result hash")
        print(f"analysis: latest run #{latest.pk} as of {latest.as_of}, {latest.account_count} accounts")
        print(f"  result hash, original run in the source: {original}")
        print(f"  result hash, run #{again.pk} again on the copy: {again.result_hash} ({seconds:.1f} s)")
        print(f"  {ok}")


def compare(source_url: str, source_media: Path, restored_media: Path) -> int:
    import django

    django.setup()
    drill = Drill()
    drill.tables(source_url, os.environ["DATABASE_URL"])
    drill.media(source_media, restored_media)
    drill.rollups()  # before the run again, which adds rows to the copy (not to its rollups)
    drill.analysis(source_url)
    if drill.failures:
        print(f"restore drill: FAILED, differences in {', '.join(drill.failures)}")
        return 1
    print("restore drill: OK, the restored copy is identical to the source")
    return 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    if argv[0] == "url" and len(argv) == 2:
        print(url_of(argv[1]))
        return 0
    if argv[0] == "scratch" and len(argv) >= 3 and argv[1] in ("create", "drop"):
        print(scratch(argv[1], argv[2:]))
        return 0
    if argv[0] == "compare" and len(argv) == 4:
        return compare(argv[1], Path(argv[2]), Path(argv[3]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (Refused, psycopg.Error, OSError) as error:
        print(f"restore drill: {error}", file=sys.stderr)
        sys.exit(1)
