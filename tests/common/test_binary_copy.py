"""Binary COPY tuples built column by column: what PostgreSQL reads back is what was meant, and a
value that would not travel intact is refused with its column named."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import numpy as np
import pandas as pd
import psycopg
import pytest
from django.db import connection

from analysis.models import AccountSegment
from common.binary_copy import HEADER, TRAILER, Column, binary_tuples

TYPES = {
    "big": "bigint",
    "whole": "integer",
    "small": "smallint",
    "ratio": "double precision",
    "flag": "boolean",
    "day": "date",
    "money": "numeric(16, 2)",
    "label": "varchar(8)",
    "note": "text",
    "doc": "json",
    "tree": "jsonb",
}
FRAME = pd.DataFrame(
    {
        "big": [2**62, -1, 0],
        "whole": pd.Series([7, None, -2_147_483_648], dtype=object),
        "small": [32_767, -32_768, 0],
        "ratio": [0.1 + 0.2, float("nan"), -1e-300],
        "flag": [True, False, None],
        "day": [dt.date(1999, 12, 31), None, dt.date(2025, 2, 28)],
        # cents: the largest numeric(16, 2), -0.05, NULL (as objects: a float column would round them)
        "money": pd.Series([99_999_999_999_999_99, -5, None], dtype=object),
        "label": ["at_risk", "", None],
        "note": ["tab\there, line\nbreak, back\\slash", "Zürich — 東京", None],
        "doc": ['[{"feature": "recency_days", "value": 41.0}]', "[]", '"[1]"'],
        "tree": ['{"b": 1, "a": [1, 2]}', None, "null"],
    }
)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY")
def test_every_type_reads_back_as_it_was_meant():
    columns = ", ".join(f"{name} {kind}" for name, kind in TYPES.items())
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE copied (n serial, {columns})")
        with cursor.cursor.copy(f"COPY copied ({', '.join(TYPES)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(HEADER)
            copy.write(binary_tuples(FRAME, [Column(kind) for kind in TYPES.values()]))
            copy.write(TRAILER)
        cursor.execute(f"SELECT {', '.join(TYPES)}, doc::text, tree::text FROM copied ORDER BY n")  # noqa: S608 # names from the test
        rows = cursor.fetchall()

    assert [row[:9] for row in rows] == [
        (2**62, 7, 32_767, 0.30000000000000004, True, dt.date(1999, 12, 31), Decimal("99999999999999.99"),
         "at_risk", "tab\there, line\nbreak, back\\slash"),
        (-1, None, -32_768, None, False, None, Decimal("-0.05"), "", "Zürich — 東京"),
        (0, -2_147_483_648, 0, -1e-300, None, dt.date(2025, 2, 28), None, None, None),
    ]  # fmt: skip
    assert [row[-2] for row in rows] == ['[{"feature": "recency_days", "value": 41.0}]', "[]", '"[1]"']
    assert [row[-1] for row in rows] == ['{"a": [1, 2], "b": 1}', None, "null"]
    assert str(rows[0][6]) == "99999999999999.99" and str(rows[1][6]) == "-0.05"  # the scale kept


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY")
def test_the_server_still_checks_what_it_is_sent():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE narrow (label varchar(3) NOT NULL)")
        with (
            pytest.raises(psycopg.DataError, match="too long"),
            cursor.cursor.copy("COPY narrow (label) FROM STDIN (FORMAT BINARY)") as copy,
        ):
            copy.write(HEADER + binary_tuples(pd.DataFrame({"label": ["four"]}), [Column("varchar(3)")]))
            copy.write(TRAILER)


@pytest.mark.parametrize(
    ("values", "kind", "error"),
    [
        ([32_768], "smallint", "out of range"),
        ([2.5], "integer", "not a whole number"),
        ([10**16], "numeric(16, 2)", "more than 16 digits"),
        ([-(2**63)], "numeric(16, 2)", "more than 16 digits"),
        ([1.5], "numeric(16, 2)", "not a whole number"),
        ([1], "interval", "no binary COPY for the type 'interval'"),
    ],
)
def test_a_value_that_would_not_travel_intact_is_refused_with_its_column(values, kind, error):
    with pytest.raises(ValueError, match=re.escape(f"column 'x' ({kind}): ") + f".*{error}"):
        binary_tuples(pd.DataFrame({"x": values}), [Column(kind)])


def test_no_rows_make_no_bytes_and_the_columns_must_match():
    assert binary_tuples(pd.DataFrame({"x": np.array([], dtype="int64")}), [Column("bigint")]) == b""
    with pytest.raises(ValueError, match="1 frame columns for 2 column types"):
        binary_tuples(pd.DataFrame({"x": [1]}), [Column("bigint"), Column("bigint")])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's column types")
def test_a_models_columns_by_name_or_by_foreign_key_column():
    assert Column.of(AccountSegment, "account_id") == Column("bigint")
    assert Column.of(AccountSegment, "value") == Column("numeric(16, 2)")
    assert Column.of(AccountSegment, "churn_drivers") == Column("json")
