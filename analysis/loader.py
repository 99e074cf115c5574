"""Reads what a run needs from the sales rollups (never the raw lines) into the engine's frames."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
import psycopg
from django.db import connection
from django.db.models import Q

from accounts.models import Account
from common.binary_rows import binary_rows
from common.calendar import month_end, month_floor, months_back
from dossiers.selectors import strategic_account_ids
from sales.rhythm import MONTH_RECORD
from sales.sql import month_of

from .engine import Policy, RunInputs, history_months, window_start
from .engine.rfm import CodedDays, coded_accounts

EPOCH = np.datetime64("1970-01-01", "D")


def _full_months(first: dt.date, as_of: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last whole calendar months inside first..as_of, or None."""
    start = first if first.day == 1 else month_end(first) + dt.timedelta(days=1)
    end = as_of.replace(day=1) if as_of == month_end(as_of) else as_of.replace(day=1) - dt.timedelta(days=1)
    end = end.replace(day=1)
    return (start, end) if start <= end else None


def _fetch(sql: str, params: list, columns: list[str]) -> pd.DataFrame:
    """Rows of a query as a frame; on PostgreSQL streamed as CSV through COPY (no Python tuples)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return pd.DataFrame(cursor.fetchall(), columns=columns)
    buffer = io.BytesIO()
    connection.ensure_connection()
    query = psycopg.ClientCursor(connection.connection).mogrify(sql, params)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)") as copy,
    ):
        for chunk in copy:
            buffer.write(chunk)
    buffer.seek(0)
    if not buffer.getbuffer().nbytes:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in columns})
    return pd.read_csv(buffer, names=columns, dtype={"account": str}, keep_default_na=False)


def _monthly(first: dt.date, as_of: dt.date, column: str) -> pd.DataFrame:
    """Value per account and month of first..as_of: whole months from the monthly rollup, the partial
    months at either end from the daily one."""
    cents = f"CAST(ROUND(SUM({{t}}.{column}) * 100) AS BIGINT)"
    parts, params = [], []
    full = _full_months(first, as_of)
    if full:
        parts.append(
            f"SELECT a.external_id, m.month, {cents.format(t='m')} FROM sales_monthlysales m "  # nosec B608 # column from a fixed choice, SQL snippets from code; values are parameters
            "JOIN accounts_account a ON a.id = m.account_id WHERE m.month >= %s AND m.month <= %s "
            "GROUP BY a.external_id, m.month"
        )
        params += [full[0], full[1]]
    partial = "d.date >= %s AND d.date <= %s" + (" AND (d.date < %s OR d.date > %s)" if full else "")
    parts.append(
        f"SELECT a.external_id, {month_of('d.date')}, {cents.format(t='d')} FROM sales_dailysales d "  # nosec B608 # column from a fixed choice, SQL snippets from code; values are parameters
        f"JOIN accounts_account a ON a.id = d.account_id WHERE {partial} "
        f"GROUP BY a.external_id, {month_of('d.date')}"
    )
    params += [first, as_of] + ([full[0], month_end(full[1])] if full else [])
    monthly = _fetch(" UNION ALL ".join(parts), params, ["account", "month", "value_cents"])
    monthly["month"] = pd.to_datetime(monthly["month"])
    monthly["value_cents"] = monthly["value_cents"].astype("int64")
    return monthly


@dataclass(frozen=True)
class _Rhythm:
    """The rhythm rollup (sales.AccountRhythm) of every account with a line up to as_of: one row per
    account, its purchase days and its months packed, so millions of values arrive as one buffer
    per account and numpy reads them at once."""

    accounts: np.ndarray  # external ids
    pks: np.ndarray  # the accounts' primary keys
    days: list[bytes]
    months: list[bytes]

    @classmethod
    def read(cls, as_of: dt.date) -> _Rhythm:
        rows = binary_rows(  # binary: the packed columns arrive as their bytes (14 MB), not as hex
            "SELECT a.external_id, a.id, r.purchase_days, r.months FROM sales_accountrhythm r "
            "JOIN accounts_account a ON a.id = r.account_id WHERE r.first_line <= %s",
            [as_of],
        )
        rows.sort(key=lambda row: row[0])
        return cls(
            accounts=np.array([row[0] for row in rows], dtype=object),
            pks=np.array([row[1] for row in rows], dtype="int64"),
            days=[bytes(row[2]) for row in rows],
            months=[bytes(row[3]) for row in rows],
        )

    @staticmethod
    def _records(packed: list[bytes], dtype: str) -> tuple[np.ndarray, np.ndarray]:
        """(records per account, every record) of one packed column."""
        size = np.dtype(dtype).itemsize
        counts = np.fromiter(map(len, packed), dtype="int64", count=len(packed)) // size
        return counts, np.frombuffer(b"".join(packed), dtype=dtype)

    def _unpacked(self, packed: list[bytes], dtype: str) -> tuple[pd.Categorical | np.ndarray, np.ndarray]:
        """(owner external id per record, the records) of one packed column. The owners are a
        categorical over the sorted external ids, so that the engine groups millions of rows by
        integer codes rather than by strings."""
        counts, records = self._records(packed, dtype)
        categories = pd.Index(self.accounts, dtype=object)
        if not categories.is_unique:  # external ids shared by several accounts: plain strings
            return np.repeat(self.accounts, counts), records
        codes = np.repeat(np.arange(len(categories), dtype="int32"), counts)
        return pd.Categorical.from_codes(codes, categories=categories), records

    def purchase_dates(self, as_of: dt.date) -> tuple[pd.DataFrame, CodedDays | None]:
        """(account, date) of every purchase date up to as_of, and the same dates as the engine's
        `coded_days` codes them (None when external ids repeat: the engine codes those itself).

        A purchase date is a day with at least one line that is not negative: a zero-amount line is a
        delivery and counts; a day of returns only does not. The rollup holds the whole history: a
        backdated run cuts it at its as_of here. The packed days are in account order and ascending
        per account, so the codes need no sort (recoding 3.6M dates took the run 0.1-0.4 s).
        """
        owner, days = self._unpacked(self.days, ">i4")
        days = days.astype("int64")
        upto = days <= (np.datetime64(as_of, "D") - EPOCH).astype("int64")
        days = days[upto]
        frame = pd.DataFrame(
            {"account": owner[upto], "date": days.astype("datetime64[D]").astype("datetime64[s]")}
        )
        if not isinstance(owner, pd.Categorical):
            return frame, None
        # Accounts without a purchase date up to as_of have no code of their own.
        every = pd.Index(np.asarray(self.accounts, dtype=object))  # as coded_days makes its index
        accounts, code = coded_accounts(every, owner.codes[upto].astype("int64"))
        return frame, (accounts, code, days)

    def monthly(self, first: dt.date, as_of: dt.date, column: str) -> pd.DataFrame:
        """Value per account and month of first..as_of, whole months only (first a first day, as_of
        a last one)."""
        owner, records = self._unpacked(self.months, MONTH_RECORD)
        month = records["f0"].astype("int64")
        lo, hi = (np.datetime64(day, "M").astype("int64") for day in (first, as_of))
        inside = (month >= lo) & (month <= hi)
        cents = records["f1" if column == "revenue" else "f2"]
        return pd.DataFrame(
            {
                "account": owner[inside],
                "month": month[inside].astype("datetime64[M]").astype("datetime64[ns]"),
                "value_cents": cents[inside].astype("int64"),
            }
        )

    def revenue_cents(self, first: dt.date, last: dt.date) -> pd.Series:
        """Per account (by primary key): its revenue over the whole months of first..last, in cents."""
        counts, records = self._records(self.months, MONTH_RECORD)
        month = records["f0"].astype("int64")
        lo, hi = (np.datetime64(day, "M").astype("int64") for day in (first, last))
        cents = np.where((month >= lo) & (month <= hi), records["f1"].astype("int64"), 0)
        running, ends = np.r_[0, np.cumsum(cents)], np.cumsum(counts)
        return pd.Series(running[ends] - running[ends - counts], index=self.pks)

    def accounts_index(self) -> pd.Index:
        """Every account with a line up to as_of, those whose lines are all returns included."""
        return pd.Index(self.accounts.astype(str), dtype=object)


@dataclass(frozen=True)
class RunReading:
    """What a run reads: the engine's inputs and, for its segments, each account's primary key (by
    external id) and its revenue in the 12 whole calendar months to as_of's month (cents, by key)."""

    inputs: RunInputs
    pks: pd.Series
    revenue_last_12_months: pd.Series


def read_run(as_of: dt.date, policy: Policy) -> RunReading:
    """The engine's inputs (see `load_inputs`) and the segments' account keys and 12-month revenue,
    all from one read of the rhythm rollup."""
    first = window_start(as_of, policy.window_months)
    column = "margin" if policy.basis == "margin" else "revenue"
    history_first = min(months_back(as_of, history_months(policy) - 1).replace(day=1), first.replace(day=1))
    rhythm = _Rhythm.read(as_of)
    if as_of == month_end(as_of):  # whole months: the rhythm rollup holds them
        history = rhythm.monthly(history_first, as_of, column)
    else:  # a partial last month: summed from the daily rollup
        history = _monthly(history_first, as_of, column)
    if first.day == 1:  # the window is whole months of the history: no second query
        monthly = history.loc[history["month"] >= pd.Timestamp(first)].reset_index(drop=True)
    else:
        monthly = _monthly(first, as_of, column)
    purchase_dates, purchase_days = rhythm.purchase_dates(as_of)
    inputs = RunInputs(
        monthly=monthly,
        purchase_dates=purchase_dates,
        purchase_days=purchase_days,
        key_flags=pd.Series(True, index=_key_accounts(), dtype=bool),
        monthly_history=history,
        accounts=rhythm.accounts_index(),
    )
    pks = pd.Series(rhythm.pks, index=rhythm.accounts_index())
    last = month_floor(as_of)
    return RunReading(
        inputs,
        pks[~pks.index.duplicated(keep="last")],
        rhythm.revenue_cents(months_back(last, 11), last),
    )


def load_inputs(as_of: dt.date, policy: Policy) -> RunInputs:
    """The window's monthly values, the longer monthly history the churn model reads, every purchase
    date up to as_of, every account with a line up to as_of, and the accounts run as key accounts."""
    return read_run(as_of, policy).inputs


def _key_accounts() -> list[str]:
    """External ids of the accounts run as key accounts: a key-client type, or marked strategic."""
    strategic = strategic_account_ids()
    flagged = Account.objects.exclude(external_id="").filter(~Q(key_client_type="") | Q(pk__in=strategic))
    return sorted(flagged.values_list("external_id", flat=True))


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, in place on uint64: a change of one bit of a value changes about half
    the bits of its hash."""
    shifted = np.empty_like(x)
    with np.errstate(over="ignore"):
        for shift, factor in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB), (31, None)):
            np.right_shift(x, np.uint64(shift), out=shifted)
            np.bitwise_xor(x, shifted, out=x)
            if factor:
                np.multiply(x, np.uint64(factor), out=x)
    return x


def _account_codes(column: pd.Series, accounts: pd.Index) -> np.ndarray:
    """Each row's account as its position in `accounts` (sorted external ids): the same number for
    the same account whether the column holds strings or codes of a categorical."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        positions = accounts.get_indexer(column.cat.categories.astype(str))
        return positions[column.cat.codes.to_numpy()].astype("int64")
    return accounts.get_indexer(column.astype(str)).astype("int64")


def _rows_digest(frame: pd.DataFrame, accounts: pd.Index) -> bytes:
    """An order-independent digest of a frame's rows: each row's columns (account, then days since
    1970 or cents) hashed in turn into one 64-bit value, then the sums of those values and of their
    squares (wrapping), all in numpy."""
    row = np.full(len(frame), INPUT_HASH_SALT, dtype="uint64")
    with np.errstate(over="ignore"):
        for name in frame.columns:
            if name == "account":
                column = _account_codes(frame[name], accounts)
            elif name in ("month", "date"):  # days since 1970, whatever the unit the frame came in
                column = pd.to_datetime(frame[name]).to_numpy("datetime64[D]").astype("int64")
            else:
                column = frame[name].to_numpy(dtype="int64")
            np.bitwise_xor(row, column.astype("uint64"), out=row)
            _mix(row)
        squares = int((row * row).sum(dtype="uint64"))
    return b"%d|%d|%d" % (len(frame), int(row.sum(dtype="uint64")), squares)


INPUT_HASH_SALT = 0x6B616D2D696E7075


def input_hash(inputs: RunInputs) -> str:
    """Same rows in any order → same hash: the check that a rerun would see the same data."""
    frames = (inputs.monthly, inputs.purchase_dates, inputs.monthly_history)
    accounts = pd.Index(inputs.accounts.astype(str), dtype=object)
    for named in [inputs.key_flags.index] + [_accounts_of(frame["account"]) for frame in frames]:
        named = pd.Index(named.astype(str), dtype=object)
        if not named.equals(accounts):
            accounts = accounts.union(named)
    accounts = accounts.unique().sort_values()
    digest = hashlib.sha256()
    digest.update("\n".join(accounts).encode())
    for frame in frames:
        digest.update(_rows_digest(frame, accounts))
    digest.update(",".join(sorted(inputs.accounts.astype(str).tolist())).encode())
    digest.update(",".join(sorted(inputs.key_flags.index.astype(str).tolist())).encode())
    return digest.hexdigest()


def _accounts_of(column: pd.Series) -> pd.Index:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.categories
    return pd.Index(column.astype(str).unique())
