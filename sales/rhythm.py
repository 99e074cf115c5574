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

from .sql import is_postgres

EPOCH = dt.date(1970, 1, 1)
TABLE = "sales_accountrhythm"
COLUMNS = (
    "account_id, first_line, last_line, first_purchase, last_purchase, purchase_dates, "
    "median_gap_days, purchase_days"
)

# One pass over the daily rows of the accounts in scope: the gap to the previous purchase date
# (a window over the purchase dates only), then one aggregate per account.
_POSTGRES_INSERT = f"""
    INSERT INTO {TABLE} ({COLUMNS})
    SELECT account_id, MIN(date), MAX(date),
           MIN(date) FILTER (WHERE bought), MAX(date) FILTER (WHERE bought),
           COUNT(*) FILTER (WHERE bought),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) FILTER (WHERE gap IS NOT NULL),
           COALESCE(string_agg(int4send(date - DATE '1970-01-01'), ''::bytea ORDER BY date)
                    FILTER (WHERE bought), ''::bytea)
    FROM (
        SELECT d.account_id, d.date, d.purchase_lines > 0 AS bought,
               CASE WHEN d.purchase_lines > 0 THEN d.date - lag(d.date) OVER (
                   PARTITION BY d.account_id, d.purchase_lines > 0 ORDER BY d.date) END AS gap
        FROM sales_dailysales d {{where}}
    ) days
    GROUP BY account_id"""

TOUCHED_ACCOUNTS = "SELECT DISTINCT account_id FROM sales_touched"


def refresh_rhythm_of_touched(cursor) -> None:
    """Rebuild the rhythm of every account in the temporary `sales_touched` table."""
    _refresh(cursor, TOUCHED_ACCOUNTS)


def refresh_rhythm_of_all(cursor) -> None:
    """Rebuild the rhythm of every account (a ledger imported before the table existed)."""
    cursor.execute(f"DELETE FROM {TABLE}")
    _refresh(cursor, None)


def _refresh(cursor, accounts_sql: str | None) -> None:
    if accounts_sql:
        cursor.execute(f"DELETE FROM {TABLE} WHERE account_id IN ({accounts_sql})")
    where = f"WHERE d.account_id IN ({accounts_sql})" if accounts_sql else ""
    if is_postgres():
        cursor.execute(_POSTGRES_INSERT.format(where=where))
        return
    # SQLite has neither percentile_cont nor bytea functions: the same figures, summed in Python.
    cursor.execute(
        f"SELECT d.account_id, d.date, d.purchase_lines FROM sales_dailysales d {where} "
        "ORDER BY d.account_id, d.date"
    )
    rows: dict[int, list[tuple[dt.date, bool]]] = {}
    for account_id, day, purchase_lines in cursor.fetchall():
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
        rows.setdefault(account_id, []).append((day, purchase_lines > 0))
    values = [rhythm_row(account_id, days) for account_id, days in rows.items()]
    if values:
        cursor.executemany(f"INSERT INTO {TABLE} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", values)


def rhythm_row(account_id: int, days: list[tuple[dt.date, bool]]) -> tuple:
    """The stored row of one account from its (date, is a purchase date) pairs in date order."""
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
    )


def pack_days(days: list[dt.date]) -> bytes:
    return struct.pack(f">{len(days)}i", *((day - EPOCH).days for day in days))
