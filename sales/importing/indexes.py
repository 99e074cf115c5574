"""Writing a batch that is large against the ledger: its secondary indexes are dropped and rebuilt.

Building an index from sorted rows is several times cheaper than updating it row by row, once the
new rows are a fair share of the table. Both the drop and the rebuild run inside the import's
transaction, so a failed import leaves the indexes as they were; meanwhile the import holds the
ledger's table lock (other readers of `sales_salesline` wait for it to finish). The definitions are
read from the catalog, so whatever indexes the migrations give the ledger come back unchanged.
PostgreSQL only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

LEDGER = "sales_salesline"
# Rebuild when the batch adds at least this many rows and at least this share of the rows there.
REBUILD_MIN_ROWS = 200_000
REBUILD_MIN_SHARE = 0.25
REBUILD_MEMORY = "256MB"  # maintenance_work_mem for the rebuild's sorts, for this transaction only


def worth_rebuilding(new_rows: int) -> bool:
    """Whether `new_rows` is large against the ledger (its size as the planner last estimated it)."""
    if new_rows < REBUILD_MIN_ROWS:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [LEDGER])
        estimate = max(float(cursor.fetchone()[0]), 0.0)  # -1: never analysed (a new table)
    return new_rows >= REBUILD_MIN_SHARE * estimate


def _secondary_indexes(cursor) -> list[tuple[str, str | None, str]]:
    """(name, constraint name or None, definition) of every index except the primary key's."""
    cursor.execute(
        """SELECT i.relname, c.conname,
                  COALESCE(pg_get_constraintdef(c.oid), pg_get_indexdef(i.oid))
           FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
           WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
           ORDER BY i.relname""",
        [LEDGER],
    )
    return list(cursor.fetchall())


def _check_foreign_keys_now(cursor) -> None:
    """Run the ledger's deferred foreign-key checks of the rows written so far (PostgreSQL changes
    no index of a table with checks pending); later rows are checked at COMMIT again."""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [LEDGER]
    )
    names = ", ".join(connection.ops.quote_name(name) for (name,) in cursor.fetchall())
    if names:
        cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
        cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")


@contextmanager
def secondary_indexes_dropped() -> Iterator[None]:
    """Drop the ledger's secondary indexes (unique constraints included) and rebuild them after."""
    with connection.cursor() as cursor:
        _check_foreign_keys_now(cursor)
        indexes = _secondary_indexes(cursor)
        for name, constraint, _definition in indexes:
            if constraint:
                cursor.execute(
                    f"ALTER TABLE {LEDGER} DROP CONSTRAINT {connection.ops.quote_name(constraint)}"
                )
            else:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        _check_foreign_keys_now(cursor)
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{REBUILD_MEMORY}'")
        for _name, constraint, definition in indexes:
            if constraint:
                quoted = connection.ops.quote_name(constraint)
                cursor.execute(f"ALTER TABLE {LEDGER} ADD CONSTRAINT {quoted} {definition}")
            else:
                cursor.execute(definition)
