"""The few SQL expressions that differ between PostgreSQL and SQLite."""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.db import connection

from common.sql_settings import local_setting


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def month_of(column: str) -> str:
    """The first day of the column's month, as a date (for statements run with parameters)."""
    if is_postgres():
        return f"date_trunc('month', {column})::date"
    return f"strftime('%%Y-%%m-01', {column})"


def next_month(column: str) -> str:
    if is_postgres():
        return f"({column} + interval '1 month')::date"
    return f"date({column}, '+1 month')"


def advisory_lock(key: int) -> None:
    """Serialise a critical section across processes until the transaction ends (PostgreSQL);
    SQLite serialises writers by itself."""
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


IMPORT_WORK_MEM = "64MB"


def more_memory_for_this_transaction() -> None:
    """Let the import's hash aggregates and joins over a million rows stay in memory (PostgreSQL's
    default of 4 MB spills them to disk) until the transaction ends. (JIT compilation, which cost
    the import up to a second per statement, is off for every connection: kam.settings.)"""
    if is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{IMPORT_WORK_MEM}'")


def sorted_aggregates() -> AbstractContextManager[None]:
    """Group by sorting rather than hashing in the statements run inside. For the import's rollups:
    a hash aggregate of numeric sums over a million groups outgrows work_mem and spills, then its
    output is sorted again for key order; a sort spills less and its groups come out in key order."""
    return local_setting("enable_hashagg", "off")
