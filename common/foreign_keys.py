"""Writing many rows with their foreign keys checked once per referenced row instead of once per row.

PostgreSQL checks a foreign key with a trigger per written row: a lookup of the referenced row that
locks it FOR KEY SHARE. For a million ledger lines of a hundred thousand accounts that is a million
lookups (3 s, more than the rows' own COPY), for a run's hundred thousand segments two hundred
thousand. `keys_checked_once` takes the same locks once per distinct key (per foreign key: the
distinct keys into a temporary table with statistics, then one locking join), then writes the rows
with the row triggers off (`session_replication_role = replica`, the setting `pg_restore
--disable-triggers` uses). The guarantee is the one the triggers give: every key names a row that
exists, and that row cannot be deleted (nor its key changed) until the transaction ends. A key with
no row raises IntegrityError, naming the constraint and a missing key.

Setting the parameter needs a superuser or, from PostgreSQL 15, `GRANT SET ON PARAMETER
session_replication_role TO <role>` (docs/operations.md). Without it the rows are written with the
triggers on: the same result, at the per-row cost. On SQLite nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, transaction


@contextmanager
def keys_checked_once(table: str, source: str, params: Sequence[Any] = ()) -> Iterator[None]:
    """Rows written into `table` inside the block fire no row triggers, their foreign keys having
    been checked and locked before it. `source` is a SELECT whose columns, by name, are every
    foreign-key column of `table`, over the rows about to be written (the same rows, or more)."""
    # Outside a transaction SET LOCAL and the locks would end with the statement: the triggers check.
    if connection.vendor != "postgresql" or not connection.in_atomic_block or not _triggers_off():
        yield
        return
    _lock_referenced(table, source, params)
    yield
    # Only on the way out of a block that succeeded: after an error the transaction (or the
    # caller's savepoint around this block) rolls the setting back with the rest.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")


def _triggers_off() -> bool:
    """Turn row triggers off until the end of the block, if this role may (a savepoint keeps a
    refusal from aborting the transaction)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


KEYS = "common_checked_keys"  # a temporary table, one foreign key at a time


def _lock_referenced(table: str, source: str, params: Sequence[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.conname, a.attname, r.relname, ra.attname
               FROM pg_constraint c
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
               JOIN pg_class r ON r.oid = c.confrelid
               JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
               WHERE c.conrelid = %s::regclass AND c.contype = 'f' AND cardinality(c.conkey) = 1
               ORDER BY c.conname""",
            [table],
        )
        for constraint, column, referenced, key in cursor.fetchall():
            column, referenced, key = (connection.ops.quote_name(name) for name in (column, referenced, key))
            # The distinct keys once, into a table with statistics (the planner, taking a hundred
            # thousand keys for two hundred, probed the referenced index once per key: twice the
            # time of one hash join); then each referenced row locked as the trigger would lock it.
            cursor.execute(f"DROP TABLE IF EXISTS {KEYS}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {KEYS} ON COMMIT DROP AS SELECT DISTINCT s.{column} AS key "  # noqa: S608  # nosec B608 # names from the catalog, quoted; the source is the caller's SQL; values are parameters
                f"FROM ({source}) s WHERE s.{column} IS NOT NULL",
                list(params),
            )
            cursor.execute(f"ANALYZE {KEYS}")
            locking = f"SELECT 1 FROM {referenced} r JOIN {KEYS} k ON r.{key} = k.key FOR KEY SHARE OF r"  # noqa: S608  # nosec B608 # as above
            cursor.execute(f"SELECT (SELECT COUNT(*) FROM {KEYS}), (SELECT COUNT(*) FROM ({locking}) locked)")  # noqa: S608  # nosec B608 # as above
            wanted, locked = cursor.fetchone()
            cursor.execute(f"DROP TABLE {KEYS}")
            if locked != wanted:
                cursor.execute(
                    f"""SELECT s.{column} FROM ({source}) s WHERE s.{column} IS NOT NULL AND NOT EXISTS (
                            SELECT 1 FROM {referenced} r WHERE r.{key} = s.{column}) LIMIT 1""",  # noqa: S608  # nosec B608 # as above
                    list(params),
                )
                (missing,) = cursor.fetchone() or (None,)
                raise IntegrityError(
                    f'insert into "{table}" violates foreign key constraint "{constraint}": '
                    f"key {missing} is not present in {referenced}"
                )
