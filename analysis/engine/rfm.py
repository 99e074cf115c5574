"""Recency, frequency and rhythm figures per account (ARCHITECTURE.md, "RFM")."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

EPOCH = np.datetime64("1970-01-01", "D")


def rfm(
    purchase_dates: pd.DataFrame, *, as_of: dt.date, window_first: dt.date, coded: CodedDays | None = None
) -> pd.DataFrame:
    """From each account's distinct purchase dates up to as_of (all history, any amount).

    Returns per account: first_purchase, last_purchase, purchase_dates (all history), orders
    (distinct purchase dates inside the window), months_active (calendar months of the window
    with a purchase), days_since_last_purchase and median_interval_days (median gap between
    consecutive purchase dates; None with fewer than two dates). `coded`: the dates' own
    `coded_days`, when the caller has them already.
    """
    uniques, code, day = coded if coded is not None else coded_days(purchase_dates)
    upto = (np.datetime64(as_of, "D") - EPOCH).astype("int64")
    kept = day <= upto
    code, day = code[kept], day[kept]
    n = len(uniques)
    count = np.bincount(code, minlength=n)
    present = count > 0
    starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.zeros(0, "int64")
    ends = np.r_[starts[1:] - 1, len(code) - 1] if len(code) else starts
    first, last = np.zeros(n, "int64"), np.zeros(n, "int64")
    first[code[starts]], last[code[ends]] = day[starts], day[ends]
    same = np.r_[False, code[1:] == code[:-1]][: len(code)]  # no dates at all: nothing is "same"
    gaps = grouped_median(code[same], np.diff(day, prepend=0)[same], n)
    since = (np.datetime64(window_first, "D") - EPOCH).astype("int64")
    inside = day >= since
    orders = np.bincount(code[inside], minlength=n)
    month = (day[inside].astype("datetime64[D]").astype("datetime64[M]")).astype("int64")
    month_code, _month = _distinct_sorted(code[inside], month)
    months_active = np.bincount(month_code, minlength=n)
    index = pd.Index(uniques[present], name="account")
    median = gaps[present]
    return pd.DataFrame(
        {
            "purchase_dates": count[present].astype("int64"),
            "orders": orders[present].astype("int64"),
            "months_active": months_active[present].astype("int64"),
            "days_since_last_purchase": (upto - last[present]).astype("int64"),
            "first_purchase": (first[present] + EPOCH).astype(object),
            "last_purchase": (last[present] + EPOCH).astype(object),
            "median_interval_days": _floats_or_none(median),
        },
        index=index,
    )


def _floats_or_none(values: np.ndarray) -> np.ndarray:
    """An object array of Python floats, None where a value is NaN (a test per value took 0.1 s of
    a 100,000-account run, in the thread the churn model shares)."""
    out = values.astype("float64").astype(object)
    out[np.isnan(values)] = None
    return out


CodedDays = tuple[pd.Index, np.ndarray, np.ndarray]  # what coded_days returns


def coded_days(purchase_dates: pd.DataFrame) -> CodedDays:
    """(sorted account ids, account code, days since 1970) of the distinct purchase dates, sorted by
    account then day: integer codes and one sort, so millions of dates take a second or two."""
    codes, uniques = _factorized(pd.Series(purchase_dates["account"]))
    day = (pd.to_datetime(purchase_dates["date"]).to_numpy("datetime64[D]") - EPOCH).astype("int64")
    code, day = _distinct_sorted(codes.astype("int64"), day)
    return pd.Index(np.asarray(uniques, dtype=object)), code, day


def coded_upto(coded: CodedDays, as_of: dt.date) -> CodedDays:
    """`coded` (as `coded_days` gives them) cut at as_of: the later days dropped, and with them the
    accounts left without a day, as `coded_days` of the dates up to as_of would give them."""
    accounts, code, day = coded
    kept = day <= (np.datetime64(as_of, "D") - EPOCH).astype("int64")
    if kept.all():
        return coded
    return (*coded_accounts(accounts, code[kept]), day[kept])


def coded_accounts(accounts: pd.Index, code: np.ndarray) -> tuple[pd.Index, np.ndarray]:
    """The accounts that some code names, and the codes renumbered to index into them."""
    named = np.bincount(code, minlength=len(accounts)) > 0
    if named.all():
        return accounts, code
    return accounts[named], (np.cumsum(named) - 1)[code]


def _factorized(accounts: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """(codes, sorted distinct ids as text): from a categorical over sorted text ids, its own codes
    (no string hashing); otherwise `pd.factorize`."""
    if isinstance(accounts.dtype, pd.CategoricalDtype) and _sorted_text(accounts.cat.categories):
        codes, categories = accounts.cat.codes.to_numpy(dtype="int64"), accounts.cat.categories
        used = np.bincount(codes[codes >= 0], minlength=len(categories)) > 0
        if used.all():  # as the loader gives them: nothing to drop
            return codes, categories
        kept = np.cumsum(used) - 1  # the unused categories dropped, the codes renumbered
        return np.where(codes >= 0, kept[codes], -1), categories[used]
    return pd.factorize(accounts.astype(str), sort=True)


def _sorted_text(categories: pd.Index) -> bool:
    return categories.is_monotonic_increasing and all(isinstance(v, str) for v in categories[:1])


def account_codes(accounts: pd.Index, column: pd.Series) -> np.ndarray:
    """Position in `accounts` of each id of `column` (-1: not there); a categorical column is
    looked up once per category."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        found = accounts.get_indexer(column.cat.categories.astype(str))
        codes = column.cat.codes.to_numpy()
        return np.where(codes >= 0, found[codes], -1)
    return accounts.get_indexer(column.astype(str))


def _distinct_sorted(code: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (code, value) pairs, sorted by code then value: one integer sort (none when they
    arrive sorted, as the loader gives the purchase dates)."""
    if not len(code):
        return code, value
    keys, offset, span = _sort_keys(code, value)
    if not (keys[1:] >= keys[:-1]).all():
        keys = np.sort(keys)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    return keys // span, keys % span + offset


def _sort_keys(code: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, int, int]:
    """(one int64 per (code, integer value) pair, ordered as the pairs are; the values' offset and
    span that decode it)."""
    offset = int(value.min())
    span = int(value.max()) - offset + 1
    return code.astype("int64") * span + (value.astype("int64") - offset), offset, span


def grouped_median(code: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """Per code 0..n-1, the median of its whole-number values (NaN: none), as a float: one integer
    sort of all of them rather than a sort per group."""
    if not len(code):
        return np.full(n, np.nan)
    keys, offset, span = _sort_keys(code, value)
    keys = np.sort(keys)
    return ordered_median(keys // span, keys % span + offset, n)


def sorted_by_value(code: np.ndarray, value: np.ndarray) -> np.ndarray:
    """The positions of (code, whole-number value) pairs in order of code then value."""
    return np.argsort(_sort_keys(code, value)[0], kind="stable") if len(code) else np.zeros(0, "int64")


def ordered_median(code: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """Per code 0..n-1, the median of its values, given sorted by code then value (NaN: none)."""
    median = np.full(n, np.nan)
    count = np.bincount(code, minlength=n)
    has = np.flatnonzero(count)
    start = np.cumsum(count)[has] - count[has]
    low, high = value[start + (count[has] - 1) // 2], value[start + count[has] // 2]
    median[has] = (low + high) / 2
    return median
