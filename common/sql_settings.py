"""A PostgreSQL setting changed for a few statements of a transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def local_setting(name: str, value: str) -> Iterator[None]:
    """PostgreSQL's setting `name` at `value` for the statements run inside (this transaction only),
    then back to what it was; a rollback undoes it anyway. Nothing on SQLite."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        before = cursor.fetchone()[0]
        cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, true)", [name, before])
