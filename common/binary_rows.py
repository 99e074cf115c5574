"""Reading a query's rows in PostgreSQL's binary format.

Django's cursors bind parameters on the client, and such cursors get text results only: a bytea
value then travels as hex text twice its size, encoded by the server and decoded by the driver. A
cursor that binds on the server may ask for binary results, and each bytea arrives as its bytes.
For queries that return megabytes of packed values (the rhythm rollup the nightly run reads). The
cursor runs on Django's connection, in its transaction, but past Django's wrappers. Elsewhere than
on PostgreSQL, Django's own cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from django.db import connection


def binary_rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Every row of `sql` (placeholders %s)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall()
