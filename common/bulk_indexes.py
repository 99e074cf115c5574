"""Writing rows that are many against a table (the ledger, a rollup, the accounts of a first ledger):
its secondary indexes are dropped and rebuilt.

Building an index from sorted rows is several times cheaper than updating it row by row, once the
new rows are a fair share of the table. Both the drop and the rebuild run inside the import's
transaction, so a failed import leaves the indexes as they were; meanwhile the import holds the
table's lock (its other readers wait for the import to finish). The definitions are read from the
catalog, so whatever indexes the migrations give the table come back unchanged; a unique one
rebuilt checks every row again. PostgreSQL only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from django.db import connection

from .sql_settings import local_setting

# Rebuild when the batch adds at least this many rows (unless the caller names its own minimum) and
# at least this share of the rows there.
REBUILD_MIN_ROWS = 200_000
REBUILD_MIN_SHARE = 0.25
REBUILD_MEMORY = "256MB"  # maintenance_work_mem for the rebuild's sorts, for the rebuild only


def written_in_bulk(table: str, new_rows: int, min_rows: int | None = None) -> AbstractContextManager[None]:
    """The block that writes `new_rows` rows into `table`: with its secondary indexes dropped, then
    rebuilt, when they are many against it; as it is otherwise."""
    worth = worth_rebuilding(table, new_rows, min_rows)
    return secondary_indexes_dropped(table) if worth else nullcontext()


def worth_rebuilding(table: str, new_rows: int, min_rows: int | None = None) -> bool:
    """Whether `new_rows` is large against `table` (its size as the planner last estimated it): at
    least `min_rows` (REBUILD_MIN_ROWS when not given) and REBUILD_MIN_SHARE of the table."""
    if new_rows < (REBUILD_MIN_ROWS if min_rows is None else min_rows):
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        estimate = max(float(cursor.fetchone()[0]), 0.0)  # -1: never analysed (a new table)
    return new_rows >= REBUILD_MIN_SHARE * estimate


def _secondary_indexes(cursor, table: str) -> list[tuple[str, str | None, str]]:
    """(name, constraint name or None, definition) of every index except the primary key's."""
    cursor.execute(
        """SELECT i.relname, c.conname,
                  COALESCE(pg_get_constraintdef(c.oid), pg_get_indexdef(i.oid))
           FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
           WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
           ORDER BY i.relname""",
        [table],
    )
    return list(cursor.fetchall())


def _check_foreign_keys_now(cursor, table: str) -> None:
    """Run the table's deferred foreign-key checks of the rows written so far (PostgreSQL changes
    no index of a table with checks pending); later rows are checked at COMMIT again."""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [table]
    )
    names = ", ".join(connection.ops.quote_name(name) for (name,) in cursor.fetchall())
    if names:
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
        cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")


@contextmanager
def secondary_indexes_dropped(table: str) -> Iterator[None]:
    """Drop the table's secondary indexes (unique constraints included) and rebuild them after; then
    take the table's statistics afresh. The rows are a quarter of the table or more, and the planner
    would otherwise plan the statements after them for the table as it was: a first ledger's
    100,000 new accounts, taken for a few, made the import join its 10M lines to them by sorting
    both (35 s; 12 s by hashing, once analysed)."""
    with connection.cursor() as cursor:
        _check_foreign_keys_now(cursor, table)
        indexes = _secondary_indexes(cursor, table)
        for name, constraint, _definition in indexes:
            if constraint:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(constraint)}")
            else:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with local_setting("maintenance_work_mem", REBUILD_MEMORY), connection.cursor() as cursor:
        _check_foreign_keys_now(cursor, table)
        for _name, constraint, definition in indexes:
            if constraint:
                quoted = connection.ops.quote_name(constraint)
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quoted} {definition}")
            else:
                cursor.execute(definition)
        cursor.execute(f"ANALYZE {table}")
