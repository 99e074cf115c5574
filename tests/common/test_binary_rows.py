"""Rows read in PostgreSQL's binary format (common.binary_rows): the same values as Django's cursor
gives, packed bytes as bytes, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
import struct

import pytest
from django.db import connection

from common.binary_rows import binary_rows
from sales.models import AccountRhythm
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

SQL = (
    "SELECT a.external_id, a.id, r.first_line, r.purchase_days FROM sales_accountrhythm r "
    "JOIN accounts_account a ON a.id = r.account_id WHERE r.first_line <= %s ORDER BY a.id"
)


def test_the_rows_are_those_of_a_plain_cursor_with_packed_bytes_as_bytes():
    packed = struct.pack(">3i", 20_000, 20_100, 20_200)
    day = dt.date(2025, 3, 1)
    account = AccountFactory(external_id="C-1")  # written in this test's transaction, not committed
    AccountRhythm.objects.create(
        account=account, first_line=day, last_line=day, purchase_dates=3, purchase_days=packed, months=b""
    )
    AccountRhythm.objects.create(
        account=AccountFactory(external_id="C-2"),
        first_line=dt.date(2026, 1, 1),
        last_line=day,
        purchase_dates=0,
        months=b"",
    )

    rows = binary_rows(SQL, [dt.date(2025, 12, 31)])

    assert rows == [("C-1", account.pk, day, packed)]
    assert type(rows[0][3]) is bytes
    with connection.cursor() as cursor:
        cursor.execute(SQL, [dt.date(2025, 12, 31)])
        assert [(*row[:3], bytes(row[3])) for row in cursor.fetchall()] == rows
