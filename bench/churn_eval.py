"""How well the churn status and the churn risk score foresee who stops buying.

    .venv/bin/python bench/churn_eval.py                                  # 5,000 accounts, 500k lines
    .venv/bin/python bench/churn_eval.py --accounts 2000 --lines 200000 --seed 3
    .venv/bin/python bench/churn_eval.py --csv online-retail.csv          # columns account,date,amount
    .venv/bin/python bench/churn_eval.py --consumer --months 9            # most customers buy once
    .venv/bin/python bench/churn_eval.py --consumer --table               # 9 to 36 months, one table

Takes a cut-off `--horizon` months before the ledger's end, runs the pure engine on what was known
at the cut-off (lines dated <= cut-off only; no database), and compares with what happened after:
truth = no purchase in the horizon after the cut-off. On a generated ledger it also compares with
the generator's own lifecycle flag (the account was made to stop buying before the ledger's end).

Printed: precision, recall and F1 of "lost" and of "at risk or lost"; ROC AUC of the status as an
ordinal (active < at risk < lost), of the churn risk score and of plain days since the last purchase.
`--consumer` generates a consumer-like ledger instead (sales/consumer_ledger.py: more than half the
customers buy once); `--table` evaluates ledgers of 9, 12, 18, 24 and 36 months (or `--table-months`)
and prints one row each: base rate and the AUC of the score, of recency and of the status.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.engine import Policy, RunInputs, analyse
from common.calendar import months_back, window_start
from sales.consumer_ledger import consumer_lines
from sales.ledger_generator import account_lifecycles, generate_lines

ORDINAL = {"active": 0, "at_risk": 1, "lost": 2}


def frames(lines: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(purchase dates, monthly values in cents) from lines with account, date, cents. A date is a
    purchase date unless every line of the account that day is negative (returns only)."""
    dates = lines.loc[lines["cents"] >= 0, ["account", "date"]].drop_duplicates()
    month = lines["date"].dt.to_period("M").dt.to_timestamp()
    monthly = lines.assign(month=month).groupby(["account", "month"], as_index=False)["cents"].sum()
    return dates, monthly.rename(columns={"cents": "value_cents"})


def generated(args: argparse.Namespace) -> tuple[pd.DataFrame, dict[str, bool]]:
    if args.consumer:
        return consumer_lines(accounts=args.accounts, months=args.months, seed=args.seed, end=args.end)
    spec = {"lines": args.lines, "accounts": args.accounts, "months": args.months, "seed": args.seed}
    rows: Iterable[dict] = generate_lines(**spec, end=args.end)
    lines = pd.DataFrame(
        ((r["account_external_id"], r["date"], int(r["amount"] * 100)) for r in rows),
        columns=["account", "date", "cents"],
    )
    churned = {life.external_id: life.churned for life in account_lifecycles(**spec, end=args.end)}
    lines["date"] = pd.to_datetime(lines["date"])
    return lines, churned


def from_csv(path: str) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype={"account": str})
    raw = raw.dropna(subset=["account", "date", "amount"])
    return pd.DataFrame(
        {
            "account": raw["account"].str.strip(),
            "date": pd.to_datetime(raw["date"]).dt.normalize(),
            "cents": (raw["amount"].astype(float) * 100).round().astype("int64"),
        }
    )


def classification(predicted: pd.Series, truth: pd.Series) -> tuple[float, float, float]:
    hit = int((predicted & truth).sum())
    precision = hit / max(int(predicted.sum()), 1)
    recall = hit / max(int(truth.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def report(segments: pd.DataFrame, truth: pd.Series, label: str) -> None:
    truth = truth.reindex(segments.index).astype(bool)
    print(f"\n{label}: {int(truth.sum()):,} of {len(truth):,} accounts ({truth.mean():.1%})")
    status = segments["churn_status"]
    print(f"  {'prediction':<22}{'flagged':>9}{'precision':>11}{'recall':>9}{'F1':>7}")
    for name, flagged in (("lost", status == "lost"), ("at risk or lost", status != "active")):
        p, r, f = classification(flagged, truth)
        print(f"  {name:<22}{int(flagged.sum()):>9,}{p:>11.3f}{r:>9.3f}{f:>7.3f}")
    recency = roc_auc_score(truth, segments["days_since_last_purchase"].astype(float))
    print(f"  {'ROC AUC of':<22}{'AUC':>9}{'vs recency':>13}")
    for name, values in (
        ("status (ordinal)", status.map(ORDINAL)),
        ("churn risk score", segments["churn_score"].astype(float)),
        ("days since last", segments["days_since_last_purchase"].astype(float)),
    ):
        auc = roc_auc_score(truth, values)
        print(f"  {name:<22}{auc:>9.3f}{auc / recency:>12.3f}x")


def run_at_cutoff(lines: pd.DataFrame, horizon: int) -> tuple[pd.DataFrame, dict, dt.date, float]:
    """The engine run on what was known `horizon` months before the ledger's end: (segments, the
    churn model's record, the cut-off, seconds)."""
    end = lines["date"].max().date()
    cutoff = months_back(end, horizon)
    policy = Policy(churn_horizon_months=horizon)
    known = lines.loc[lines["date"] <= pd.Timestamp(cutoff)]
    dates, monthly = frames(known)
    window = monthly.loc[monthly["month"] >= pd.Timestamp(window_start(cutoff, policy.window_months))]
    started = time.perf_counter()
    result = analyse(RunInputs(window, dates, monthly_history=monthly), policy, cutoff)
    return result.segments, result.churn_model, cutoff, time.perf_counter() - started


def silent_after(lines: pd.DataFrame, segments: pd.DataFrame, cutoff: dt.date) -> pd.Series:
    """Truth: no purchase date (a day with a line that is not a return) after the cut-off."""
    after = lines.loc[(lines["date"] > pd.Timestamp(cutoff)) & (lines["cents"] >= 0), "account"].unique()
    return pd.Series(~segments.index.isin(after), index=segments.index)


def describe(model: dict) -> str:
    method = model.get("method")
    guard = f"; guard {model['guard']}" if model.get("guard") else ""
    if method == "repeat_buying":
        return f"{method} {model['parameters']}, {model['training_rows']:,} accounts{guard}"
    if method != "logistic_regression":
        return f"{method} ({model.get('reason')}){guard}"
    fit = model.get("fit_horizon_months", model["horizon_months"])
    return (
        f"{method}, fit for {fit} months, {model['training_rows']:,} training rows at "
        f"{len(model['cutoffs'])} cut-offs, training AUC {model['auc_training']:.3f} "
        f"(recency {model['auc_recency_training']:.3f}), recency blend {model.get('recency_blend', 0)}{guard}"
    )


def evaluate(lines: pd.DataFrame, horizon: int, churned: dict[str, bool] | None) -> None:
    segments, model, cutoff, seconds = run_at_cutoff(lines, horizon)
    end = lines["date"].max().date()
    print(f"ledger to {end}, cut-off {cutoff}, horizon {horizon} months: {len(segments):,} accounts")
    print(f"engine run (status, score, classes) {seconds:.1f} s; model: {describe(model)}")
    counts = segments["churn_status"].value_counts()
    print("status at the cut-off: " + ", ".join(f"{k} {counts.get(k, 0):,}" for k in ORDINAL))
    silent = silent_after(lines, segments, cutoff)
    report(segments, silent, f"truth: no purchase in the {horizon} months after the cut-off")
    if churned is not None:
        report(segments, pd.Series(churned), "truth: the generator made the account stop before the end")


def table(args: argparse.Namespace) -> None:
    """One row per ledger length: how the score, recency and the status rank the accounts that
    bought nothing in the horizon after the cut-off."""
    kind = "consumer-like" if args.consumer else "key-account"
    print(f"{kind} ledgers, {args.accounts:,} accounts, seed {args.seed}, to {args.end}; ")
    print(
        f"cut-off {args.horizon} months before the end; truth: no purchase in the {args.horizon} months after"
    )
    header = ("months", "accounts", "bought once", "base rate", "AUC score", "AUC recency", "AUC status",
              "score - recency", "model")  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for months in args.table_months:
        lines, _ = generated(argparse.Namespace(**{**vars(args), "months": months}))
        segments, model, cutoff, _ = run_at_cutoff(lines, args.horizon)
        truth = silent_after(lines, segments, cutoff)
        once = float((segments["purchase_dates"] == 1).mean())
        score = roc_auc_score(truth, segments["churn_score"].astype(float))
        recency = roc_auc_score(truth, segments["days_since_last_purchase"].astype(float))
        status = roc_auc_score(truth, segments["churn_status"].map(ORDINAL))
        fit = model.get("fit_horizon_months", model.get("horizon_months"))
        how = (
            f"{model.get('method')}, fit {fit} m"
            if model.get("method") == "logistic_regression"
            else model.get("method")
        )
        cells = (f"{months}", f"{len(segments):,}", f"{once:.1%}", f"{truth.mean():.1%}", f"{score:.3f}",
                 f"{recency:.3f}", f"{status:.3f}", f"{score - recency:+.3f}", str(how))  # fmt: skip
        print("| " + " | ".join(cells) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=dt.date(2025, 12, 31))
    parser.add_argument("--horizon", type=int, default=6, help="Months after the cut-off (default 6)")
    parser.add_argument("--csv", help="Evaluate this ledger instead (columns account,date,amount)")
    parser.add_argument("--consumer", action="store_true", help="A consumer-like ledger (most buy once)")
    parser.add_argument("--table", action="store_true", help="One row per ledger length (--table-months)")
    parser.add_argument("--table-months", type=int, nargs="+", default=[9, 12, 18, 24, 36])
    args = parser.parse_args(argv)
    if args.table:
        table(args)
        return 0
    started = time.perf_counter()
    if args.csv:
        lines, churned = from_csv(args.csv), None
    else:
        lines, churned = generated(args)
    print(f"{len(lines):,} lines read in {time.perf_counter() - started:.1f} s")
    evaluate(lines, args.horizon, churned)
    return 0


if __name__ == "__main__":
    sys.exit(main())
