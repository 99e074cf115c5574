"""Rollups kept exactly equal to the lines they summarise.

Rather than adding and subtracting (which drifts when anything goes wrong), every write recomputes
the rollup rows of the account-months it touched, from the lines, in the same transaction.
"""

from __future__ import annotations

from django.db import connection

from accounts.models import Account

from .rhythm import refresh_rhythm_of_touched
from .signals import purchases_recorded
from .sql import is_postgres, month_of, next_month

TOUCHED = "sales_touched"


def collect_touched_from_batch(batch_id: int) -> int:
    """Put the (account, month) keys of a batch's lines into the temporary `sales_touched` table."""
    with connection.cursor() as cursor:
        _create_touched(cursor)
        cursor.execute(
            f"INSERT INTO {TOUCHED} (account_id, month) "
            f"SELECT DISTINCT account_id, {month_of('date')} FROM sales_salesline WHERE batch_id = %s",
            [batch_id],
        )
        return cursor.rowcount


def collect_touched(keys: list[tuple[int, str]]) -> None:
    """Put explicit (account id, first day of month) keys into `sales_touched`."""
    with connection.cursor() as cursor:
        _create_touched(cursor)
        cursor.executemany(f"INSERT INTO {TOUCHED} (account_id, month) VALUES (%s, %s)", keys)


def _create_touched(cursor) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {TOUCHED}")
    suffix = " ON COMMIT DROP" if is_postgres() else ""
    cursor.execute(f"CREATE TEMPORARY TABLE {TOUCHED} (account_id bigint, month date){suffix}")


# A prospect stays one until its first purchase: then it is a customer at once (active); the nightly
# run refines the status from its buying rhythm.
PROSPECTS_WHO_BOUGHT = f"""
    UPDATE accounts_account SET status = %s
    WHERE status = %s
      AND id IN (SELECT t.account_id FROM {TOUCHED} t)
      AND EXISTS (SELECT 1 FROM sales_dailysales d
                  WHERE d.account_id = accounts_account.id AND d.purchase_lines > 0)"""


def recompute_touched() -> None:
    """Rebuild the monthly and daily rollup rows of every key in `sales_touched` from the lines, and
    make the prospects among those accounts that now have a purchase customers."""
    end = next_month("t.month")
    in_touched = (
        f"EXISTS (SELECT 1 FROM {TOUCHED} t WHERE t.account_id = r.account_id "
        f"AND r.{{col}} >= t.month AND r.{{col}} < {end})"
    )
    statements = [
        f"DELETE FROM sales_monthlysales AS r WHERE {in_touched.format(col='month')}",
        f"DELETE FROM sales_dailysales AS r WHERE {in_touched.format(col='date')}",
        f"""INSERT INTO sales_monthlysales
              (account_id, month, product_line_id, revenue, margin, margin_lines, quantity,
               line_count, purchase_dates)
            SELECT l.account_id, t.month, l.product_line_id, SUM(l.amount), COALESCE(SUM(l.margin), 0),
                   COUNT(l.margin), COALESCE(SUM(l.quantity), 0), COUNT(*), COUNT(DISTINCT l.date)
            FROM sales_salesline l
            JOIN {TOUCHED} t ON t.account_id = l.account_id AND l.date >= t.month AND l.date < {end}
            GROUP BY l.account_id, t.month, l.product_line_id""",
        f"""INSERT INTO sales_dailysales (account_id, date, revenue, margin, line_count, purchase_lines)
            SELECT l.account_id, l.date, SUM(l.amount), COALESCE(SUM(l.margin), 0), COUNT(*),
                   SUM(CASE WHEN l.amount >= 0 THEN 1 ELSE 0 END)
            FROM sales_salesline l
            JOIN {TOUCHED} t ON t.account_id = l.account_id AND l.date >= t.month AND l.date < {end}
            GROUP BY l.account_id, l.date""",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(PROSPECTS_WHO_BOUGHT, [Account.Status.ACTIVE, Account.Status.PROSPECT])
        cursor.execute(f"SELECT DISTINCT account_id FROM {TOUCHED}")
        account_ids = [row[0] for row in cursor.fetchall()]
        # per-account rollups of the touched accounts are refreshed here
        refresh_rhythm_of_touched(cursor)
        cursor.execute(f"DROP TABLE IF EXISTS {TOUCHED}")
    purchases_recorded.send(sender=None, account_ids=account_ids)
