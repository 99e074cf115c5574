"""Set-based account writes for the ledger import on PostgreSQL: one COPY and one INSERT … SELECT.

An import may name 100,000 accounts the CRM does not know yet; creating them in ORM batches took
longer than writing the import's million lines. Every column Django would fill is filled the same
way (each field's default, `auto_now` stamps, the path "/<id>/"), in one statement.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from .models import Account

NEW_ACCOUNTS = "accounts_new_from_ledger"
SET_HERE = ("id", "external_id", "name", "path")  # the INSERT computes these per row


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
        # The id is drawn first so that the path can be written with the row, not updated after;
        # drawn in the order the accounts came, then the rows go in by name: the three indexes that
        # lead with the name (or a column all new accounts share, then the name) grow at one end
        # instead of at random pages.
        cursor.execute(
            f"""INSERT INTO accounts_account (id, external_id, name, path, {columns})
                SELECT n.id, n.external_id, n.name, '/' || n.id || '/', {", ".join(["%s"] * len(values))}
                FROM (SELECT nextval(pg_get_serial_sequence('accounts_account', 'id')) AS id, external_id,
                             LEFT(COALESCE(NULLIF(name, ''), external_id), 200) AS name
                      FROM {NEW_ACCOUNTS}) n
                ORDER BY n.name, n.id""",  # nosec B608 # constant table name, model columns quoted; values are parameters
            values,
        )
        created = cursor.rowcount
        cursor.execute(f"DROP TABLE {NEW_ACCOUNTS}")
    return created
