"""Rows made once for all the tests of a module (and parallel worker), not once per test.

They are written in a transaction that is rolled back after the module. Each test runs in a savepoint
inside it, as every django_db test does, so what a test writes is gone before the next one starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


@contextmanager
def module_transaction(django_db_blocker: Any) -> Iterator[None]:
    """Use in a module-scoped fixture that asks for `django_db_setup` and `django_db_blocker`."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
