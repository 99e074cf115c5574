"""A setting changed for a few statements of the import's transaction, then put back."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from common.sql_settings import local_setting
from sales.sql import sorted_aggregates

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's settings"),
]


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def test_a_local_setting_holds_inside_and_is_put_back_after():
    workers, hashagg = _setting("max_parallel_workers_per_gather"), _setting("enable_hashagg")
    with transaction.atomic():
        with local_setting("max_parallel_workers_per_gather", "0"):
            assert _setting("max_parallel_workers_per_gather") == "0"
        assert _setting("max_parallel_workers_per_gather") == workers
        with sorted_aggregates():
            assert _setting("enable_hashagg") == "off"
        assert _setting("enable_hashagg") == hashagg


def test_a_local_setting_put_back_to_a_value_set_earlier_in_the_transaction():
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
        with local_setting("work_mem", "8MB"):
            assert _setting("work_mem") == "8MB"
        assert _setting("work_mem") == "64MB"
