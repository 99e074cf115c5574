"""Write a synthetic sales ledger as CSV (see sales/ledger_generator.py for what it models).

    .venv/bin/python bench/make_ledger.py --lines 1000000 --accounts 20000 --months 36 --seed 1
    .venv/bin/python bench/make_ledger.py --lines 1000 --accounts 50 --output -   # to stdout

The file goes to --dir (default: the temporary directory, /tmp) unless --output names it; the rate is
printed on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sales.ledger_generator import generate_lines, write_csv


def last_month_end(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


def default_output(
    *, lines: int, accounts: int, months: int, seed: int, end: dt.date, directory: str | None = None
) -> Path:
    folder = Path(directory or tempfile.gettempdir())
    return folder / f"kam-ledger-{lines}l-{accounts}a-{months}m-s{seed}-{end:%Y%m%d}.csv"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, required=True)
    parser.add_argument("--accounts", type=int, required=True)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--end",
        type=dt.date.fromisoformat,
        default=last_month_end(dt.date.today()),
        help="Last day of the ledger, YYYY-MM-DD (default: the last day of the previous month).",
    )
    parser.add_argument("--delimiter", default=",")
    parser.add_argument("--output", help="File to write, or - for stdout (default: a file in --dir).")
    parser.add_argument("--dir", help="Folder of the default file name (default: the temporary directory).")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    output = args.output or default_output(
        lines=args.lines,
        accounts=args.accounts,
        months=args.months,
        seed=args.seed,
        end=args.end,
        directory=args.dir,
    )
    started = time.perf_counter()
    rows = generate_lines(
        lines=args.lines, accounts=args.accounts, months=args.months, seed=args.seed, end=args.end
    )
    count = write_csv(output, rows, delimiter=args.delimiter)
    seconds = time.perf_counter() - started
    where = "stdout" if str(output) == "-" else f"{output} ({Path(output).stat().st_size / 1e6:,.1f} MB)"
    print(
        f"{count:,} lines, {args.accounts:,} accounts, {args.months} months to {args.end} → {where}: "
        f"{seconds:.1f} s, {count / max(seconds, 1e-9):,.0f} lines/s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
