"""Backtest of the forecast to the period's end: seasonal run-rate against the plain run-rate.

    .venv/bin/python bench/forecast_eval.py                          # 300 accounts, 150k lines, 48 months
    .venv/bin/python bench/forecast_eval.py --accounts 500 --lines 300000 --seed 3

No database: the generated lines (sales/ledger_generator.py) are summed per account and day in plain
Python, and each forecast is made by the app's own `sales.forecast.seasonal` and `run_rate`. For every
quarter with a year before it, each account's quarter is forecast from its first month (days elapsed =
the first month's days): seasonal = revenue so far / share of last year's quarter that was in by the
same day; run-rate = revenue so far x days in quarter / days elapsed. Three ledgers: a strongly
seasonal one, the demo's mild season (`SEASON`) and a flat control without seasonality.

Printed per ledger and method: MAPE of the total (the sum over accounts, per quarter, averaged over
the quarters); median and mean of the per-account APE (accounts with zero actual left out and
counted); and the ratio seasonal / run-rate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sales import forecast as fc
from sales.ledger_generator import SEASON, generate_lines
from sales.periods import Period, containing

STRONG = (0.55, 0.7, 1.1, 0.8, 1.0, 1.35, 0.6, 0.45, 1.25, 1.0, 1.25, 1.7)  # January … December
FLAT = (1.0,) * 12
LEDGERS = (("strongly seasonal", STRONG), ("demo season (mild)", SEASON), ("flat (control)", FLAT))
METHODS = ("seasonal", "own share", "run-rate")


def monthly_revenue(rows) -> dict[str, dict[dt.date, Decimal]]:
    """Account → month → revenue: a quarter's first month is the forecasting day, so the month grain
    is enough (the app reads the day grain, DailySales)."""
    by_account: dict[str, dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        by_account[row["account_external_id"]][row["date"].replace(day=1)] += row["amount"]
    return by_account


def _months(period: Period) -> list[dt.date]:
    return [period.start.replace(month=period.start.month + k) for k in range(3)]


def evaluate(args: argparse.Namespace, season: tuple[float, ...]) -> dict[str, dict[str, float]]:
    end = dt.date(args.end_year, 12, 31)
    rows = generate_lines(lines=args.lines, accounts=args.accounts, months=args.months, seed=args.seed,
                          end=end, season=season)  # fmt: skip
    accounts = monthly_revenue(rows)
    first = containing(dt.date(args.end_year - args.months // 12 + 2, 1, 1), "quarter")
    quarters = [q for i in range(40) if (q := first.shifted(i)).end <= end]
    ape: dict[str, list[float]] = {m: [] for m in METHODS}
    total_ape: dict[str, list[float]] = {m: [] for m in METHODS}
    zero = 0
    for quarter in quarters:
        months, ly_months = _months(quarter), _months(quarter.last_year())
        elapsed = (containing(quarter.start, "month").end - quarter.start).days + 1
        # The season of every account, as the app takes it over every account the user sees.
        pool_to_day = sum((a[ly_months[0]] for a in accounts.values()), Decimal(0))
        pool_total = sum((a[m] for a in accounts.values() for m in ly_months), Decimal(0))
        totals = {m: Decimal(0) for m in ("actual", *METHODS)}
        for revenue in accounts.values():
            so_far, actual = revenue[months[0]], sum((revenue[m] for m in months), Decimal(0))
            own_to_day, own_total = revenue[ly_months[0]], sum((revenue[m] for m in ly_months), Decimal(0))
            common = {"actual_to_date": so_far, "days_elapsed": elapsed, "days_total": quarter.days}
            pooled = {"last_year_to_same_day": pool_to_day, "last_year_total": pool_total}
            own = {"last_year_to_same_day": own_to_day, "last_year_total": own_total}
            made = {
                "seasonal": fc.seasonal(**common, **pooled, own_last_year_total=own_total),
                "own share": fc.seasonal(**common, **own),
                "run-rate": fc.run_rate(**common),
            }
            totals["actual"] += actual
            for m in METHODS:
                totals[m] += made[m].value or Decimal(0)
            if actual <= 0:
                zero += 1
                continue
            for m in METHODS:
                ape[m].append(float(abs((made[m].value or Decimal(0)) - actual) / actual))
        for m in METHODS:
            total_ape[m].append(float(abs(totals[m] - totals["actual"]) / totals["actual"]))
    return {
        m: {"total": statistics.mean(total_ape[m]), "median": statistics.median(ape[m]),
            "mean": statistics.mean(ape[m]), "n": len(ape[m]), "zero": zero, "quarters": len(quarters)}
        for m in METHODS
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument("--lines", type=int, default=150_000)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--end-year", type=int, default=2025)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"{args.accounts} accounts, {args.lines:,} lines, {args.months} months to {args.end_year}-12-31, "
          f"seed {args.seed}; each quarter forecast from its first month")  # fmt: skip
    print()
    print("| ledger | method | MAPE of the total | APE per account: median | mean | ÷ run-rate |")
    print("|---|---|---|---|---|---|")
    for name, season in LEDGERS:
        result = evaluate(args, season)
        s, r = result["seasonal"], result["run-rate"]
        for m in METHODS:
            x = result[m]
            ratio = " / ".join(f"{x[k] / r[k]:.2f}" for k in ("total", "median", "mean"))
            print(f"| {name} | {m} | {result[m]['total']:.1%} | {result[m]['median']:.1%} | "
                  f"{result[m]['mean']:.1%} | {ratio if m != 'run-rate' else ''} |")  # fmt: skip
        print(f"|  | ({s['n']:,} account-quarters over {s['quarters']} quarters; "
              f"{s['zero']:,} with zero actual left out) | | | | |")  # fmt: skip
    print(f"\n{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
