"""One segmentation run: ABC, XYZ, RFM and concentration over the same accounts and window."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from common.calendar import window_start

from .abc import classify_abc
from .churn import CUTOFF_STEP_MONTHS, LOST, TRAINING_CUTOFFS, ChurnLedger, churn_scores, churn_status
from .concentration import concentration, pareto_points
from .policy import Policy
from .rfm import CodedDays, coded_days, coded_upto, rfm
from .xyz import classify_xyz

SEGMENT_COLUMNS = [
    "rank", "abc_class", "xyz_class", "value_cents", "share", "cum_share", "cv", "months", "mean_cents",
    "std_cents", "months_with_purchase", "orders", "purchase_dates", "months_active", "first_purchase",
    "last_purchase", "days_since_last_purchase", "median_interval_days", "churn_status", "churn_score",
    "churn_drivers", "key_account",
]  # fmt: skip


@dataclass
class RunInputs:
    """What the run reads, already cut at as_of.

    monthly: account, month (first day), value_cents — the window's lines by month, in the basis.
    purchase_dates: account, date — every distinct purchase date up to as_of (a date with a line that
        is not negative; a day of returns only is not one).
    key_flags: accounts flagged as key by hand (index account, bool), for the key-account share.
    monthly_history: account, month, value_cents — like `monthly` but reaching back far enough for
        the churn model's earlier cut-offs (see `history_months`); empty: `monthly` stands in.
    """

    monthly: pd.DataFrame
    purchase_dates: pd.DataFrame
    key_flags: pd.Series = field(default_factory=lambda: pd.Series(dtype=bool))
    monthly_history: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"account": [], "month": [], "value_cents": []})
    )
    # Every account with a line dated <= as_of (ARCHITECTURE.md, "Accounts in a run"), those whose
    # lines are all returns included; empty: the accounts of purchase_dates and monthly stand in.
    accounts: pd.Index = field(default_factory=lambda: pd.Index([], dtype=object))
    # purchase_dates as `coded_days` codes them, when the reader has them so already; None: coded here.
    purchase_days: CodedDays | None = None


@dataclass
class RunResult:
    segments: pd.DataFrame  # one row per account in rank order, SEGMENT_COLUMNS
    concentration: dict[str, Any]
    pareto: list[tuple[float, float]]
    window_first: dt.date
    churn_model: dict[str, Any] = field(default_factory=dict)

    def result_hash(self) -> str:
        """Identical for identical classes and figures: the idempotency check of the nightly run."""
        columns = ["abc_class", "xyz_class", "value_cents", "months", "orders", "last_purchase",
                   "churn_status", "churn_score"]  # fmt: skip
        frame = self.segments[columns].astype(str).fillna("")  # missing (never bought): empty
        cells = [frame.index.astype(str).tolist(), *(frame[column].tolist() for column in columns)]
        text = "\n".join(map("|".join, zip(*cells, strict=True)))  # a line per account, "|" between
        return hashlib.sha256(text.encode()).hexdigest()


def analyse(
    inputs: RunInputs,
    policy: Policy,
    as_of: dt.date,
    *,
    meanwhile: Callable[[pd.Index], None] | None = None,
) -> RunResult:
    """The run's segments and figures. `meanwhile`, if given, is called once, in this thread, with the
    run's accounts (the index of the segments to come) while the churn model still computes: work that
    waits for something else (the database) costs the run nothing there."""
    first = window_start(as_of, policy.window_months)
    cut = pd.Timestamp(as_of)  # dates may come as datetime.date or as datetime64
    dates = inputs.purchase_dates.loc[pd.to_datetime(inputs.purchase_dates["date"]) <= cut]
    monthly = inputs.monthly.loc[pd.to_datetime(inputs.monthly["month"]) <= cut]
    # Accounts and days as integers, once for RFM and the churn model.
    coded = coded_upto(inputs.purchase_days, as_of) if inputs.purchase_days is not None else coded_days(dates)
    history = inputs.monthly_history if len(inputs.monthly_history) else inputs.monthly
    history = history.loc[pd.to_datetime(history["month"]) <= cut]
    # The churn model (the run's longest part) in a thread beside RFM, ABC and XYZ: both read the
    # same frames and write none, and numpy's sorts and sums run outside the interpreter's lock.
    with ThreadPoolExecutor(max_workers=1) as pool:
        churning = pool.submit(lambda: churn_scores(ChurnLedger.build(dates, history, coded), policy, as_of))
        recency = _with_accounts_without_purchases(
            rfm(dates, as_of=as_of, window_first=first, coded=coded), _run_accounts(inputs, monthly)
        )
        accounts = recency.index  # every account with a line dated <= as_of
        values = monthly.groupby("account")["value_cents"].sum().reindex(accounts).fillna(0).astype("int64")
        abc = classify_abc(values, policy.abc_a, policy.abc_b)
        xyz = classify_xyz(
            monthly,
            recency["first_purchase"],
            as_of=as_of,
            window_first=first,
            method=policy.xyz_method,
            x=policy.xyz_x,
            y=policy.xyz_y,
            min_months=policy.min_months,
        )
        if meanwhile is not None:
            meanwhile(accounts)
        churn = churning.result()
    bought = recency["purchase_dates"] > 0
    recency["churn_status"] = LOST  # no purchase date at all: nothing but returns
    recency.loc[bought, "churn_status"] = churn_status(recency.loc[bought], policy)
    recency = recency.join(churn.scores)
    segments = abc.join(xyz).join(recency)
    flagged = inputs.key_flags.reindex(segments.index).fillna(False).astype(bool)
    class_a = segments["abc_class"] == "A"
    segments["key_account"] = {"abc_a": class_a, "flagged": flagged, "both": class_a | flagged}[
        policy.key_accounts
    ]
    segments = segments[SEGMENT_COLUMNS]
    return RunResult(
        segments,
        concentration(segments, segments["key_account"]),
        pareto_points(segments),
        first,
        churn.model,
    )


def _run_accounts(inputs: RunInputs, monthly: pd.DataFrame) -> pd.Index:
    if len(inputs.accounts):
        return pd.Index(inputs.accounts.astype(str))
    return pd.Index(monthly["account"].astype(str).unique())


def _with_accounts_without_purchases(recency: pd.DataFrame, accounts: pd.Index) -> pd.DataFrame:
    """The RFM frame plus a row for every account of the run that has no purchase date (its lines
    are all returns): no dates, no recency, no interval."""
    missing = accounts.difference(recency.index)
    if not len(missing):
        return recency
    empty = pd.DataFrame(
        {
            "purchase_dates": 0,
            "orders": 0,
            "months_active": 0,
            "days_since_last_purchase": pd.Series(None, index=missing, dtype=object),
            "first_purchase": pd.Series(None, index=missing, dtype=object),
            "last_purchase": pd.Series(None, index=missing, dtype=object),
            "median_interval_days": pd.Series(None, index=missing, dtype=object),
        },
        index=missing,
    )
    days = recency["days_since_last_purchase"].astype(object)
    combined = pd.concat([recency.assign(days_since_last_purchase=days), empty])
    combined.index.name = recency.index.name
    return combined


def history_months(policy: Policy) -> int:
    """Calendar months of monthly values the churn model reads before as_of: its earliest cut-off
    (horizon + 9 months back) and the 12 months of value before it."""
    return policy.churn_horizon_months + CUTOFF_STEP_MONTHS * (TRAINING_CUTOFFS - 1) + 12 + 1
