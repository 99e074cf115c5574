"""Set-based account writes for the ledger import on PostgreSQL: one COPY and one INSERT … SELECT.

An import may name 100,000 accounts the CRM does not know yet; creating them in ORM batches took
longer than writing the import's million lines. Every column Django would fill is filled the same
way (each field's default, `auto_now` stamps, the path "/<id>/"), in one statement.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from common.bulk_indexes import written_in_bulk
from common.foreign_keys import keys_checked_once

from .models import Account

NEW_ACCOUNTS = "accounts_new_from_ledger"
SET_HERE = ("id", "external_id", "name", "path")  # the INSERT computes these per row
# The accounts' secondary indexes (twelve, two of them GIN for the search; thirteen when measured)
# cost 49 µs per account written: 100,000 new accounts took 4.9 s with them, 0.3 s without and
# 1.8 s to build them after.
# From this many new accounts, when they are also a quarter of the table (a first ledger), the
# indexes are dropped and rebuilt (`common.bulk_indexes`).
REBUILD_FROM = 10_000


def accounts_copy_create(*, accounts: Iterable[tuple[str, str]], defaults: Account) -> int:
    """Insert one account per (external id, name), the other columns taken from `defaults`."""
    fields = [f for f in Account._meta.concrete_fields if f.attname not in SET_HERE]
    values = [f.get_db_prep_save(f.pre_save(defaults, add=True), connection) for f in fields]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {NEW_ACCOUNTS}")
        cursor.execute(f"CREATE TEMPORARY TABLE {NEW_ACCOUNTS} (external_id text, name text) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY {NEW_ACCOUNTS} (external_id, name) FROM STDIN") as copy:
            for external_id, name in accounts:
                copy.write_row((external_id, name))
        new = cursor.cursor.rowcount
    # The new accounts share their foreign keys (department, owner …): checked once, not per row.
    shared_keys = [(f, v) for f, v in zip(fields, values, strict=True) if f.is_relation]
    keys = "SELECT " + ", ".join(
        f"CAST(%s AS {f.db_type(connection)}) AS {connection.ops.quote_name(str(f.column))}"
        for f, _v in shared_keys
    )
    with (
        written_in_bulk("accounts_account", new, min_rows=REBUILD_FROM),
        keys_checked_once("accounts_account", keys, [v for _f, v in shared_keys]),
        connection.cursor() as cursor,
    ):
        sequence = id_sequence(cursor)
        # The id is drawn first so that the path can be written with the row, not updated after;
        # drawn in the order the accounts came, then the rows go in by name: the three indexes that
        # lead with the name (or a column all new accounts share, then the name) grow at one end
        # instead of at random pages.
        cursor.execute(
            f"""INSERT INTO accounts_account (id, external_id, name, path, {columns})
                SELECT n.id, n.external_id, n.name, '/' || n.id || '/', {", ".join(["%s"] * len(values))}
                FROM (SELECT nextval(%s::regclass) AS id, external_id,
                             LEFT(COALESCE(NULLIF(name, ''), external_id), 200) AS name
                      FROM {NEW_ACCOUNTS}) n
                ORDER BY n.name, n.id""",  # nosec B608 # constant table name, model columns quoted; values are parameters
            [*values, sequence],
        )
        created = cursor.rowcount
        cursor.execute(f"DROP TABLE {NEW_ACCOUNTS}")
    return created


def id_sequence(cursor) -> str:
    """The name of the sequence the accounts' ids are drawn from, for `nextval(%s::regclass)`.

    Looked up once, before the statement that draws the ids: `pg_get_serial_sequence()` written
    into that statement runs once per row (100,000 ids: 0.6 s of look-ups for 0.05 s of nextval)."""
    cursor.execute("SELECT pg_get_serial_sequence('accounts_account', 'id')")
    return cursor.fetchone()[0]
