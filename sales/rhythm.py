"""Per-account buying rhythm (`AccountRhythm`), kept equal to the daily rollup it is read from.

Like the other rollups it is recomputed, never adjusted: the rows of the accounts whose lines
changed are deleted and rebuilt from `sales_dailysales` in the same transaction. The nightly run
then reads one row per account instead of millions of daily rows.

A purchase date is a day with at least one line that is not negative (`DailySales.purchase_lines`);
the purchase days are kept packed, 4 bytes each (days since 1970-01-01, big-endian, ascending), so
that the churn model still sees every date and a backdated run can cut them at its as_of.
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
import struct
from decimal import ROUND_HALF_EVEN, Decimal

from .sql import is_postgres, sorted_aggregates

EPOCH = dt.date(1970, 1, 1)
TABLE = "sales_accountrhythm"
COLUMNS = (
    "account_id, first_line, last_line, first_purchase, last_purchase, purchase_dates, "
    "median_gap_days, purchase_days, months"
)
MONTH_RECORD = ">i4,>i8,>i8"  # one calendar month of `months`: months since 1970-01, revenue, margin

# One pass over the daily rows of the accounts in scope, in the order of their unique index: the gap
# to the previous purchase date is a running maximum of the purchase dates before each row (a window
# over the purchase dates alone sorted every account's rows again: 5.4 s against 4.2 s at 10M
# lines), then one aggregate per account. Joined to one pass over their monthly rows (product lines
# summed, in cents).
_POSTGRES_INSERT = f"""
    INSERT INTO {TABLE} ({COLUMNS})
    SELECT days.*, COALESCE(months.packed, ''::bytea)
    FROM (
        SELECT account_id, MIN(date), MAX(date),
               MIN(date) FILTER (WHERE bought), MAX(date) FILTER (WHERE bought),
               COUNT(*) FILTER (WHERE bought),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) FILTER (WHERE gap IS NOT NULL),
               COALESCE(string_agg(int4send(date - DATE '1970-01-01'), ''::bytea ORDER BY date)
                        FILTER (WHERE bought), ''::bytea)
        FROM (
            SELECT d.account_id, d.date, d.purchase_lines > 0 AS bought,
                   CASE WHEN d.purchase_lines > 0 THEN d.date - MAX(d.date) FILTER (
                       WHERE d.purchase_lines > 0) OVER (PARTITION BY d.account_id ORDER BY d.date
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS gap
            FROM sales_dailysales d {{where}}
        ) dated
        GROUP BY account_id
    ) days
    LEFT JOIN (
        SELECT account_id,
               string_agg(int4send(month_number) || int8send(revenue) || int8send(margin), ''::bytea
                          ORDER BY month_number) AS packed
        FROM (
            SELECT d.account_id,
                   (EXTRACT(YEAR FROM d.month)::int - 1970) * 12 + EXTRACT(MONTH FROM d.month)::int - 1
                       AS month_number,
                   CAST(ROUND(SUM(d.revenue) * 100) AS BIGINT) AS revenue,
                   CAST(ROUND(SUM(d.margin) * 100) AS BIGINT) AS margin
            FROM sales_monthlysales d {{where}}
            GROUP BY d.account_id, d.month
        ) monthly
        GROUP BY account_id
    ) months ON months.account_id = days.account_id"""  # nosec B608 # constant table, column and subquery texts; values are parameters


def refresh_rhythm_of_all(cursor) -> None:
    """Rebuild the rhythm of every account (a ledger imported before the table existed)."""
    cursor.execute(f"DELETE FROM {TABLE}")  # nosec B608 # constant table, column and subquery texts; values are parameters
    refresh_rhythm_of(cursor, None)


def refresh_rhythm_of(cursor, accounts_sql: str | None) -> None:
    """Rebuild the rhythm of the accounts `accounts_sql` selects, each once (`sales.rollups` gives the
    accounts a write touched as a keyed table); None: of every account, whose rows are gone."""
    if accounts_sql:
        cursor.execute(f"DELETE FROM {TABLE} WHERE account_id IN ({accounts_sql})")  # nosec B608 # constant table, column and subquery texts; values are parameters
    where = f"WHERE d.account_id IN ({accounts_sql})" if accounts_sql else ""
    if is_postgres():
        # Grouped by sorting: the rollups' unique indexes give the rows in account order, so no group
        # is hashed (a first import's 700,000 monthly rows spilled a hash: 5.0 s against 3.7 s).
        with sorted_aggregates():
            cursor.execute(_POSTGRES_INSERT.format(where=where))
        return
    # SQLite has neither percentile_cont nor bytea functions: the same figures, summed in Python.
    cursor.execute(
        f"SELECT d.account_id, d.date, d.purchase_lines FROM sales_dailysales d {where} "  # nosec B608 # constant table, column and subquery texts; values are parameters
        "ORDER BY d.account_id, d.date"
    )
    rows: dict[int, list[tuple[dt.date, bool]]] = {}
    for account_id, day, purchase_lines in cursor.fetchall():
        rows.setdefault(account_id, []).append((_date(day), purchase_lines > 0))
    cursor.execute(
        f"SELECT d.account_id, d.month, SUM(d.revenue), SUM(d.margin) FROM sales_monthlysales d {where} "  # nosec B608 # constant table, column and subquery texts; values are parameters
        "GROUP BY d.account_id, d.month ORDER BY d.account_id, d.month"
    )
    months: dict[int, list[tuple[dt.date, Decimal, Decimal]]] = {}
    for account_id, month, revenue, margin in cursor.fetchall():
        months.setdefault(account_id, []).append((_date(month), Decimal(revenue), Decimal(margin)))
    values = [rhythm_row(account_id, days, months.get(account_id, [])) for account_id, days in rows.items()]
    if values:
        marks = ", ".join(["%s"] * len(COLUMNS.split(",")))
        cursor.executemany(f"INSERT INTO {TABLE} ({COLUMNS}) VALUES ({marks})", values)  # nosec B608 # constant table, column and subquery texts; values are parameters


def _date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def rhythm_row(
    account_id: int, days: list[tuple[dt.date, bool]], months: list[tuple[dt.date, Decimal, Decimal]]
) -> tuple:
    """The stored row of one account from its (date, is a purchase date) pairs in date order and its
    (month, revenue, margin) in month order."""
    bought = [day for day, purchase in days if purchase]
    gaps = [(b - a).days for a, b in itertools.pairwise(bought)]
    return (
        account_id,
        days[0][0],
        days[-1][0],
        bought[0] if bought else None,
        bought[-1] if bought else None,
        len(bought),
        float(statistics.median(gaps)) if gaps else None,
        pack_days(bought),
        b"".join(
            struct.pack(">iqq", (month.year - 1970) * 12 + month.month - 1, _cents(revenue), _cents(margin))
            for month, revenue, margin in months
        ),
    )


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value(rounding=ROUND_HALF_EVEN))


def pack_days(days: list[dt.date]) -> bytes:
    return struct.pack(f">{len(days)}i", *((day - EPOCH).days for day in days))
