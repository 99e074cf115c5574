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
METHODS = ("seasonal", "run_rate")


def daily_revenue(rows) -> dict[str, dict[dt.date, Decimal]]:
    by_account: dict[str, dict[dt.date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in rows:
        by_account[row["account_external_id"]][row["date"]] += row["amount"]
    return by_account


def _sum(days: dict[dt.date, Decimal], first: dt.date, last: dt.date) -> Decimal:
    return sum((v for d, v in days.items() if first <= d <= last), Decimal(0))


def forecasts(days: dict[dt.date, Decimal], quarter: Period) -> tuple[Decimal, dict[str, Decimal]]:
    """The quarter's actual and each method's forecast made at the end of its first month."""
    first_month_end = containing(quarter.start, "month").end
    elapsed = (first_month_end - quarter.start).days + 1
    so_far = _sum(days, quarter.start, first_month_end)
    ly = quarter.last_year()
    seasonal = fc.seasonal(
        actual_to_date=so_far, days_elapsed=elapsed, days_total=quarter.days,
        last_year_to_same_day=_sum(days, ly.start, containing(ly.start, "month").end),
        last_year_total=_sum(days, ly.start, ly.end),
    )  # fmt: skip
    plain = fc.run_rate(actual_to_date=so_far, days_elapsed=elapsed, days_total=quarter.days)
    values = {"seasonal": seasonal.value or Decimal(0), "run_rate": plain.value or Decimal(0)}
    return _sum(days, quarter.start, quarter.end), values


def evaluate(args: argparse.Namespace, season: tuple[float, ...]) -> dict[str, dict[str, float]]:
    end = dt.date(args.end_year, 12, 31)
    rows = generate_lines(lines=args.lines, accounts=args.accounts, months=args.months, seed=args.seed,
                          end=end, season=season)  # fmt: skip
    accounts = daily_revenue(rows)
    first = containing(dt.date(args.end_year - args.months // 12 + 2, 1, 1), "quarter")
    quarters = [q for i in range(40) if (q := first.shifted(i)).end <= end]
    ape: dict[str, list[float]] = {m: [] for m in METHODS}
    total_ape: dict[str, list[float]] = {m: [] for m in METHODS}
    zero = 0
    for quarter in quarters:
        totals = {m: Decimal(0) for m in ("actual", *METHODS)}
        for days in accounts.values():
            actual, values = forecasts(days, quarter)
            totals["actual"] += actual
            for m in METHODS:
                totals[m] += values[m]
            if actual <= 0:
                zero += 1
                continue
            for m in METHODS:
                ape[m].append(float(abs(values[m] - actual) / actual))
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
    print(
        "| ledger | method | MAPE of the total | per-account APE median | mean | seasonal ÷ run-rate (total / median) |"
    )
    print("|---|---|---|---|---|---|")
    for name, season in LEDGERS:
        result = evaluate(args, season)
        s, r = result["seasonal"], result["run_rate"]
        for m in METHODS:
            ratio = (
                f"{s['total'] / r['total']:.2f} / {s['median'] / r['median']:.2f}" if m == "seasonal" else ""
            )
            print(f"| {name} | {m} | {result[m]['total']:.1%} | {result[m]['median']:.1%} | "
                  f"{result[m]['mean']:.1%} | {ratio} |")  # fmt: skip
        print(f"|  | ({s['n']:,} account-quarters over {s['quarters']} quarters; "
              f"{s['zero']:,} with zero actual left out) | | | | |")  # fmt: skip
    print(f"\n{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
