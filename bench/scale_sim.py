"""The nightly run's engine at 100k and 1M accounts x 24 months, on generated rollups, not raw lines.

    .venv/bin/python bench/scale_sim.py                        # 100k and 1M accounts
    .venv/bin/python bench/scale_sim.py --accounts 200000 --months 24 --seed 2

No database: each size runs in a child process of its own (so each peak RSS is its own) that
generates what the loader hands the engine (`RunInputs`: per account the monthly values and the
purchase dates, as a 10M-line ledger of 100k accounts has them, about 100 lines per account) and
runs the pure engine (`analysis.engine.analyse`), printing time, resident memory and peak RSS after
each stage. The engine's own steps are timed by wrapping the functions `analyse` calls.

Only `make_inputs` knows the shape of `RunInputs`: when the engine's inputs change, it is the one
function to adapt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.engine import Policy, RunInputs, analyse  # noqa: E402
from analysis.engine import run as engine_run  # noqa: E402
from bench.memory import peak_rss_mb, rss_mb  # noqa: E402

SIZE_SIGMA = 1.7  # log-normal account sizes, as sales/ledger_generator.py: the top 5 % carry ~half
SEASON = np.array([0.85, 0.9, 1.05, 1.0, 1.0, 1.05, 0.9, 0.8, 1.05, 1.1, 1.1, 1.2])
MONTH_VALUE = 400_000  # cents a month of an account of size 1
WEEKLY, MONTHLY, IRREGULAR = 0, 1, 2
# The functions `analyse` calls, timed one by one (a name the engine no longer has is skipped).
ENGINE_STEPS = ("rfm", "classify_abc", "classify_xyz", "churn_scores", "churn_status", "concentration",
                "pareto_points")  # fmt: skip


def _lifecycles(rng: np.random.Generator, n: int, months: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last month each account buys in: full span, churned, new, or came and went."""
    kind = rng.random(n)
    start, stop = np.zeros(n, dtype=np.int64), np.full(n, months - 1, dtype=np.int64)
    churned, new, both = kind < 0.14, (kind >= 0.14) & (kind < 0.30), (kind >= 0.30) & (kind < 0.34)
    stop[churned] = (months * rng.uniform(0.2, 0.8, churned.sum())).astype(np.int64)
    start[new] = (months * rng.uniform(0.25, 0.92, new.sum())).astype(np.int64)
    start[both] = (months * rng.uniform(0.05, 0.6, both.sum())).astype(np.int64)
    stop[both] = np.minimum(
        months - 1, start[both] + (months * rng.uniform(0.1, 0.3, both.sum())).astype(np.int64)
    )
    return start, stop


def make_inputs(accounts: int, months: int, as_of: dt.date, seed: int) -> RunInputs:
    """What the loader would read from the rollups of a ledger with `accounts` accounts over the
    `months` months up to as_of: monthly values (window and history) and every purchase date."""
    rng = np.random.default_rng(seed)
    ids = np.char.mod("%07d", np.arange(accounts)).astype(object)
    size = rng.lognormal(0.0, SIZE_SIGMA, accounts)
    rhythm = np.select(
        [rng.random(accounts) < 0.15, rng.random(accounts) < 0.35], [WEEKLY, MONTHLY], IRREGULAR
    )
    start, stop = _lifecycles(rng, accounts, months)
    # One row per account and active month.
    active = stop - start + 1
    account = np.repeat(np.arange(accounts), active)
    month = np.repeat(start - np.cumsum(active) + active, active) + np.arange(active.sum())
    # Purchase days in the month: weekly ~4 (a skipped week now and then), monthly 1 (3 % skipped),
    # irregular a Poisson count that grows with the account's size.
    kind = rhythm[account]
    days = np.where(
        kind == WEEKLY,
        rng.binomial(4, 0.9, len(account)),
        np.where(
            kind == MONTHLY,
            rng.random(len(account)) > 0.03,
            rng.poisson(np.clip(1.0 * size[account] ** 0.6, 0.05, 8)),
        ),
    ).astype(np.int64)
    first_day = np.array(
        [np.datetime64(f"{y}-{m:02d}-01") for y, m in _calendar(as_of, months)], dtype="datetime64[D]"
    )
    purchase_dates = _purchase_dates(rng, ids, account, month, days, kind, first_day)
    bought = days > 0
    noise = np.where(kind == IRREGULAR, 0.8, 0.08)
    value = MONTH_VALUE * size[account] * SEASON[(first_day[month].astype("datetime64[M]").astype(int)) % 12]
    value = value * rng.lognormal(0.0, noise)
    value[rng.random(len(value)) < 0.01] *= -0.2  # a month of credit notes
    history = pd.DataFrame(
        {
            "account": ids[account[bought]],
            "month": first_day[month[bought]].astype("datetime64[s]"),
            "value_cents": value[bought].astype(np.int64),
        }
    )
    window_first = np.datetime64(first_day[-12], "s")
    monthly = history.loc[history["month"] >= window_first].reset_index(drop=True)
    flagged = ids[rng.random(accounts) < 0.03]
    return RunInputs(
        monthly=monthly,
        purchase_dates=purchase_dates,
        key_flags=pd.Series(True, index=pd.Index(flagged), dtype=bool),
        monthly_history=history,
        accounts=pd.Index(ids),
    )


def _calendar(as_of: dt.date, months: int) -> list[tuple[int, int]]:
    last = as_of.year * 12 + as_of.month - 1
    return [((last - i) // 12, (last - i) % 12 + 1) for i in range(months - 1, -1, -1)]


def _purchase_dates(
    rng: np.random.Generator,
    ids: np.ndarray,
    account: np.ndarray,
    month: np.ndarray,
    days: np.ndarray,
    kind: np.ndarray,
    first_day: np.ndarray,
) -> pd.DataFrame:
    """(account, date) distinct: weekly buyers a week apart, monthly ones on their day, irregular ones
    on random days (two on one day are one purchase date)."""
    row = np.repeat(np.arange(len(account)), days)
    nth = np.arange(len(row)) - np.repeat(np.cumsum(days) - days, days)  # 0, 1, … inside a month
    anchor = (account * 7919) % 7  # each account's weekday / day of month
    day = np.where(kind[row] == IRREGULAR, rng.integers(0, 28, len(row)), anchor[account[row]] + 7 * nth)
    stamp = first_day[month[row]].astype(np.int64) + day
    key = np.unique(account[row].astype(np.int64) * 100_000 + stamp)  # sorted by account, then date
    return pd.DataFrame(
        {
            "account": ids[key // 100_000],
            "date": (key % 100_000).astype("datetime64[D]").astype("datetime64[s]"),
        }
    )


class Stages:
    """Time, resident memory and peak RSS after each stage."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.clock = (time.perf_counter(), time.process_time())

    def start(self) -> None:
        self.clock = (time.perf_counter(), time.process_time())

    def record(self, name: str, detail: str = "") -> None:
        """The stage that ends now, begun at the last start(): wall and CPU seconds (the CPU time is
        the steadier figure on a shared machine)."""
        wall, cpu = time.perf_counter() - self.clock[0], time.process_time() - self.clock[1]
        memory = {"rss_mb": rss_mb(), "peak_mb": peak_rss_mb()}
        self.rows.append({"stage": name, "seconds": wall, "cpu": cpu, **memory, "detail": detail})

    def timed(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self.start()
            result = function(*args, **kwargs)
            self.record(f"  engine: {name}")
            return result

        return wrapper


def _wrap_engine(stages: Stages) -> None:
    for name in ENGINE_STEPS:
        if hasattr(engine_run, name):
            setattr(engine_run, name, stages.timed(name, getattr(engine_run, name)))
    if hasattr(engine_run, "ChurnLedger"):
        ledger = engine_run.ChurnLedger
        engine_run.ChurnLedger = SimpleNamespace(build=stages.timed("ChurnLedger.build", ledger.build))


def child(accounts: int, months: int, seed: int) -> None:
    as_of = dt.date(2025, 12, 31)
    stages = Stages()
    stages.record("start (numpy, pandas, engine imported)")
    stages.start()
    inputs = make_inputs(accounts, months, as_of, seed)
    sizes = f"{len(inputs.monthly_history):,} account-months, {len(inputs.purchase_dates):,} purchase dates"
    stages.record("generate the inputs", sizes)
    _wrap_engine(stages)
    begun = time.perf_counter(), time.process_time()
    result = analyse(inputs, Policy(), as_of)
    steps = [row for row in stages.rows if row["stage"].startswith("  engine")]
    stages.clock = begun
    stages.record("engine total (analyse)", f"{len(result.segments):,} segments")
    total = stages.rows.pop()
    rest = {**total, "stage": "  engine: the rest (joins, reindexing)", "detail": ""}
    rest["seconds"] -= sum(row["seconds"] for row in steps)
    rest["cpu"] -= sum(row["cpu"] for row in steps)
    stages.rows += [rest, total]
    stages.start()
    digest = result.result_hash()
    stages.record("result hash", digest[:12])
    stages.start()
    rows = result.segments.reset_index().to_dict("records")  # what the writer turns into rows
    stages.record("segments as row dicts", f"{len(rows):,}")
    print(json.dumps(stages.rows))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.accounts[0], args.months, args.seed)
        return 0
    for accounts in args.accounts:
        sizes = ["--accounts", str(accounts), "--months", str(args.months), "--seed", str(args.seed)]
        out = subprocess.run(
            [sys.executable, __file__, "--child", *sizes], capture_output=True, text=True, check=True
        )
        print(f"\n{accounts:,} accounts x {args.months} months")
        print(f"{'stage':<42}{'wall s':>8}{'CPU s':>8}{'RSS':>9}{'peak RSS':>10}  detail")
        for row in json.loads(out.stdout.strip().splitlines()[-1]):
            print(f"{row['stage']:<42}{row['seconds']:>8.2f}{row['cpu']:>8.2f}{row['rss_mb']:>6.0f} MB"
                  f"{row['peak_mb']:>7.0f} MB  {row['detail']}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
