"""The staging table an import loads into before anything reaches the ledger.

PostgreSQL gets the rows through COPY; SQLite through batched inserts. The checks that need the
whole file (line ids repeated inside it, unknown accounts) and the final insert are SQL on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import IntegrityError, connection, transaction

from common.bulk_indexes import written_in_bulk
from common.foreign_keys import keys_checked_once
from common.sql_settings import local_setting

from ..rollups import NEW_LINES
from ..sql import is_postgres
from .rows import Staged

# On PostgreSQL an unlogged table of the import's transaction, not a temporary one: parallel workers
# cannot read a temporary table, and the checks over the whole file (unknown accounts, new product
# lines) and the join that picks the new lines scan every staged row. Made in the transaction (gone
# with it on a rollback) and dropped before it ends (`insert_lines`); other sessions never see it,
# and the import lock keeps a second import from making it meanwhile.
STAGE = "sales_import_stage"
# The stage's columns and their types on PostgreSQL (SQLite keeps dates and numbers as text).
TYPES = {
    "row_no": "integer",
    "account_external_id": "text",
    "account_name": "text",
    "date": "date",
    "amount": "numeric",
    "quantity": "numeric",
    "margin": "numeric",
    "product_line": "text",
    "line_external_id": "text",
    "sku": "text",
}
COLUMNS = tuple(TYPES)
BATCH = 10_000


class Stage:
    """Rows validated one by one, waiting for the whole-file checks and the insert."""

    def __init__(self) -> None:
        self.postgres = is_postgres()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
            types = TYPES if self.postgres else {c: "integer" if c == "row_no" else "text" for c in TYPES}
            kind = "UNLOGGED" if self.postgres else "TEMPORARY"
            cursor.execute(f"CREATE {kind} TABLE {STAGE} ({', '.join(f'{c} {t}' for c, t in types.items())})")

    def refill(self, select: str, params: list) -> int:
        """Make the stage, still empty, again from the rows of `select` (a column per name in
        COLUMNS); returns their number. PostgreSQL only: CREATE TABLE … AS may scan the tables it
        reads in parallel (unless they are temporary), INSERT … SELECT never does."""
        typed = ", ".join(f"CAST(s.{c} AS {t}) AS {c}" for c, t in TYPES.items())
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {STAGE}")
            cursor.execute(
                f"CREATE UNLOGGED TABLE {STAGE} AS SELECT {typed} FROM ({select}) s",  # nosec B608 # constant table and column names, the caller's SQL; values are parameters
                params,
            )
            return cursor.rowcount

    def load(self, rows: Iterable[Staged]) -> None:
        if self.postgres:
            self._copy(rows)
        else:
            self._insert(rows)

    def _copy(self, rows: Iterable[Staged]) -> None:
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def _insert(self, rows: Iterable[Staged]) -> None:
        sql = f"INSERT INTO {STAGE} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # nosec B608 # constant table and column names; values are parameters
        chunk: list[Staged] = []
        with connection.cursor() as cursor:
            for row in rows:
                chunk.append(row)
                if len(chunk) >= BATCH:
                    cursor.executemany(sql, chunk)
                    chunk.clear()
            if chunk:
                cursor.executemany(sql, chunk)

    def analyze(self) -> None:
        """Statistics for the whole-file checks and the insert, once every row is staged (PostgreSQL):
        a table just filled has none, and the planner then guesses how many rows and accounts it
        holds. Only the columns those statements join, group or filter on: half the time of all ten."""
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {STAGE} ({', '.join(PLANNED)})")

    def count(self) -> int:
        return self._scalar(f"SELECT COUNT(*) FROM {STAGE}")  # nosec B608 # constant table and column names; values are parameters

    def _scalar(self, sql: str, params: list | None = None) -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return int(cursor.fetchone()[0] or 0)

    def repeated_line_ids(self) -> list[tuple[int, str, int]]:
        """(row, line id, first row with that id) for every repeat of a line id inside the file.

        On PostgreSQL a unique index on the staged line ids answers first: built by sorting, on
        both cores, it costs 5 s for 10M rows where the query costs 13 s (it hashes every id on one
        core, and spills). Only a file with a repeat runs the query. That runs on one core: in
        parallel each worker would hash every line id of the file for the join."""
        if self.postgres and self._line_ids_unique():
            return []
        with local_setting("max_parallel_workers_per_gather", "0"), connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT s.row_no, s.line_external_id, f.first_row FROM {STAGE} s
                    JOIN (SELECT line_external_id, MIN(row_no) AS first_row FROM {STAGE}
                          WHERE line_external_id IS NOT NULL GROUP BY line_external_id
                          HAVING COUNT(*) > 1) f ON f.line_external_id = s.line_external_id
                    WHERE s.row_no > f.first_row ORDER BY s.row_no"""  # nosec B608 # constant table and column names; values are parameters
            )
            return list(cursor.fetchall())

    def _line_ids_unique(self) -> bool:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"CREATE UNIQUE INDEX ON {STAGE} (line_external_id)")
        except IntegrityError:  # a repeat: the index is gone with its savepoint
            return False
        return True

    def unknown_accounts(self) -> list[tuple[str, str]]:
        """(external id, a name given for it in the file) of accounts the ledger does not know."""
        with connection.cursor() as cursor:
            cursor.execute(
                # Grouped first: one look-up per account of the file, not one per row.
                f"""SELECT s.account_external_id, s.name
                    FROM (SELECT account_external_id, MAX(account_name) AS name FROM {STAGE}
                          GROUP BY account_external_id) s
                    WHERE NOT EXISTS (SELECT 1 FROM accounts_account a
                                      WHERE a.external_id = s.account_external_id)
                    ORDER BY s.account_external_id"""  # nosec B608 # constant table and column names; values are parameters
            )
            return list(cursor.fetchall())

    def staged_rows(self, column: str, values: list) -> Iterator[tuple[int, dict[str, str]]]:
        """(row, {field: text}) of the staged rows whose `column` is one of `values`, in file order."""
        fields = COLUMNS[1:]
        with connection.cursor() as cursor:
            for start in range(0, len(values), 1000):
                part = values[start : start + 1000]
                cursor.execute(
                    f"SELECT {', '.join(COLUMNS)} FROM {STAGE} "  # nosec B608 # constant table and column names; values are parameters
                    f"WHERE {column} IN ({', '.join(['%s'] * len(part))}) ORDER BY row_no",
                    part,
                )
                for row in cursor.fetchall():
                    yield (
                        row[0],
                        {f: "" if v is None else str(v) for f, v in zip(fields, row[1:], strict=True)},
                    )

    def product_line_codes(self) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                # The file's few codes first, then those unknown: the other way round the planner,
                # taking the product lines for many, expected few rows to pass and sorted them all.
                f"""SELECT s.product_line FROM (SELECT DISTINCT product_line FROM {STAGE}
                                                WHERE product_line IS NOT NULL) s
                    WHERE NOT EXISTS (SELECT 1 FROM sales_productline p WHERE p.code = s.product_line)"""  # nosec B608 # constant table and column names; values are parameters
            )
            return [code for (code,) in cursor.fetchall()]

    def drop_rows(
        self, *, rows: list[int] | None = None, account_external_ids: list[str] | None = None
    ) -> None:
        for column, values in (("row_no", rows or []), ("account_external_id", account_external_ids or [])):
            self._delete_where_in(column, list(values))

    def _delete_where_in(self, column: str, values: list) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(values), 1000):
                part = values[start : start + 1000]
                marks = ", ".join(["%s"] * len(part))
                sql = f"DELETE FROM {STAGE} WHERE {column} IN ({marks})"  # nosec B608 # constant names
                cursor.execute(sql, part)

    def insert_lines(self, batch_id: int) -> int:
        """Insert the staged rows into the ledger, skipping line ids already there; returns the count.

        An anti-join rather than ON CONFLICT (faster on large files): the caller holds the import
        lock, so no other import adds the same ids meanwhile; the unique constraint still guards.
        On PostgreSQL the new lines are kept in `sales_new_lines` for the rollups to sum.
        """
        if self.postgres:
            return self._insert_lines_postgres(batch_id)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {LEDGER} ({LINE_COLUMNS}, batch_id)
                    SELECT {NEW_LINE_VALUES}, %s {NEW_LINE_SOURCE}""",
                [batch_id],
            )
            inserted = cursor.rowcount
            cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
        return inserted

    def _insert_lines_postgres(self, batch_id: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {NEW_LINES}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {NEW_LINES} ON COMMIT DROP AS "
                f"SELECT {NEW_LINE_VALUES} {NEW_LINE_SOURCE}"
            )
            inserted = cursor.rowcount
            cursor.execute(f"DROP TABLE {STAGE}")
        if not inserted:
            return 0
        keys = f"SELECT account_id, product_line_id, %s::bigint AS batch_id FROM {NEW_LINES}"  # nosec B608 # constant table and column names
        with (
            written_in_bulk(LEDGER, inserted),
            keys_checked_once(LEDGER, keys, [batch_id]),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"INSERT INTO {LEDGER} ({LINE_COLUMNS}, batch_id) "  # nosec B608 # constant table and column names; values are parameters
                f"SELECT {LINE_COLUMNS}, %s FROM {NEW_LINES}",
                [batch_id],
            )
        return inserted


# The stage's columns that later statements join, group or filter on (see `analyze`).
PLANNED = ("row_no", "account_external_id", "product_line", "line_external_id")
LEDGER = "sales_salesline"
LINE_COLUMNS = "account_id, date, amount, quantity, margin, product_line_id, sku, external_id"
NEW_LINE_VALUES = (
    "a.id AS account_id, s.date, s.amount, s.quantity, s.margin, p.id AS product_line_id, s.sku, "
    "s.line_external_id AS external_id"
)
# A row without a line id matches no ledger line (NULL equals nothing), so NOT EXISTS alone keeps it.
# Written without an "IS NULL OR" beside it, the condition is an anti-join the planner can hash on
# both cores; with one it was a hashed subplan run on one (re-import of 1M lines: 1.09 s → 0.51 s).
NEW_LINE_SOURCE = f"""FROM {STAGE} s
    JOIN accounts_account a ON a.external_id = s.account_external_id
    LEFT JOIN sales_productline p ON p.code = s.product_line
    WHERE NOT EXISTS (SELECT 1 FROM {LEDGER} l WHERE l.external_id = s.line_external_id)"""  # nosec B608 # constant table and column names; values are parameters
