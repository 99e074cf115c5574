"""A synthetic sales ledger, deterministic from a seed, for the benchmarks and the demo data.

Pure Python (no Django), streamed in date order in memory that grows with the number of
accounts, never with the number of lines. What it models:

- account sizes are log-normal with a heavy tail (sigma 1.7: the top 5 % of accounts carry about half
  the revenue, the top 20 % about 80 %); big accounts buy both more lines and bigger lines;
- rhythms: weekly buyers, monthly buyers (thinned to every n months when they buy little) and
  irregular, bursty buyers;
- lifecycles: most accounts buy over the whole span, some stop part-way (churned), some start
  late (new), a few do both;
- 4-6 product lines with their own SKUs, prices and margin rates, seasonality, returns
  (a few % negative lines, never on an account's first order) and some zero-amount lines.
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import math
import random
import sys
from collections.abc import Iterable, Iterator
from decimal import Decimal
from operator import itemgetter
from os import PathLike
from typing import IO, Any, NamedTuple

from common.calendar import month_index, month_of_index

from .importing.sources import CANONICAL_COLUMNS

COLUMNS = CANONICAL_COLUMNS  # the import's own file format

# code, SKU prefix, typical unit price (cents), margin rate, sold by weight (3-decimal quantities)
PRODUCT_LINES = (
    ("consumables", "CON", 1_250, 0.32, False),
    ("spare-parts", "SPA", 8_900, 0.38, False),
    ("equipment", "EQP", 145_000, 0.18, False),
    ("services", "SRV", 42_000, 0.45, False),
    ("bulk-materials", "BLK", 61_000, 0.12, True),
    ("software", "SFT", 99_000, 0.70, False),
)
SKUS_PER_LINE = 40
LINE_VALUE = 50_000  # cents: a typical line of an account of size 1, whatever it buys
SEASON = (0.85, 0.9, 1.05, 1.0, 1.0, 1.05, 0.9, 0.8, 1.05, 1.1, 1.1, 1.2)  # January … December
SIZE_SIGMA = 1.7  # log-normal spread of account sizes
LINES_EXPONENT = 0.6  # lines ∝ size^0.6, line value ∝ size^0.4: revenue ∝ size
# Log-normal spreads. Regular (weekly, monthly) buyers behave like contracts, with steady order
# values and sizes, so that some come out X in XYZ; irregular buyers vary from line to line.
REGULAR_ORDER_VALUE_SIGMA = 0.08
REGULAR_ORDER_SIZE_SIGMA = 0.15
IRREGULAR_LINE_VALUE_SIGMA = 0.8
IRREGULAR_ORDER_SIZE_SIGMA = 0.5
RETURN_SHARE = 0.03  # of lines: credit notes for part of a delivery
FREE_SHARE = 0.005  # of lines: free goods, amount 0
WEEKLY, MONTHLY, IRREGULAR = 0, 1, 2
SALE, RETURN, FREE = 0, 1, 2

NAME_PREFIXES = (
    "Nordic", "Baltic", "Alpine", "Pacific", "Atlas", "Vega", "Orion", "Polar", "Iberia", "Sakura",
    "Volga", "Aurora", "Delta", "Summit", "Harbor", "Granite", "Cedar", "Lumen", "Meridian", "Zenith",
)  # fmt: skip
NAME_CORES = (
    "Steel", "Foods", "Logistics", "Pharma", "Retail", "Energy", "Motors", "Paper", "Chemicals",
    "Build", "Textiles", "Marine", "Agro", "Plastics", "Glass", "Timber", "Dairy", "Optics",
)  # fmt: skip
NAME_FORMS = ("Oy", "AB", "GmbH", "S.A.", "Ltd", "K.K.", "Sp. z o.o.", "AS", "Group", "Holding")

_M64 = (1 << 64) - 1


def _unit(key: int, n: int) -> float:
    """A uniform number in [0, 1) from (key, n) alone (splitmix64): schedules replay without state."""
    x = (key + (n + 1) * 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return ((x ^ (x >> 31)) >> 11) * (1.0 / (1 << 53))


class _Buyer:
    """One account: its size, product mix and the days it buys on (replayable from its key)."""

    __slots__ = (
        "budget", "day", "dom", "external_id", "fallback", "first", "key", "lines_left", "mean_gap",
        "mix", "month0", "name", "order_sigma", "order_value", "orders_left", "price_factor", "raw",
        "raw_total", "rhythm", "start", "step", "stop", "value_mu",
    )  # fmt: skip
    # Set by the generator once it has drawn the account's size, discount and product mix.
    value_mu: float  # log of the account's typical line value
    price_factor: float  # 1 minus the account's negotiated discount
    mix: tuple[tuple[float, int], ...]  # cumulative weights over the product lines it buys

    def __init__(self, *, external_id: str, name: str, key: int, start: int, stop: int):
        self.external_id, self.name, self.key = external_id, name, key
        self.start, self.stop = start, stop
        self.budget = self.lines_left = self.orders_left = 0
        self.step = self.raw = self.day = 0
        self.fallback: int | None = None

    def plan(self, rhythm: int, budget: int, lines_per_order: float) -> None:
        """Fix the rhythm and count its purchase days, so that the lines spread exactly over them."""
        active_days = self.stop - self.start + 1
        if rhythm == WEEKLY and budget < active_days // 7:
            rhythm = MONTHLY  # too few lines for a weekly rhythm
        self.rhythm, self.budget, self.lines_left = rhythm, budget, budget
        regular = rhythm != IRREGULAR
        self.order_sigma = REGULAR_ORDER_SIZE_SIGMA if regular else IRREGULAR_ORDER_SIZE_SIGMA
        self.first = self.start + int(_unit(self.key, -1) * 7)
        self.dom = 1 + int(_unit(self.key, -2) * 28)
        start = dt.date.fromordinal(self.start)
        self.month0 = month_index(start)
        orders = max(1, min(round(budget / lines_per_order), active_days // 3))
        self.mean_gap = active_days / orders
        raw = 0
        while self._candidate() is not None:
            raw += 1
        self.step = self.raw = self.day = 0
        if raw == 0:
            self.fallback = self.start + int(_unit(self.key, -3) * active_days)
            raw = 1
        self.raw_total = raw
        self.orders_left = min(raw, budget)
        self.order_value = math.exp(self.value_mu) * budget / max(self.orders_left, 1)

    def _candidate(self) -> int | None:
        """The rhythm's next purchase day (before thinning), or None past the account's last day."""
        while True:
            step = self.step
            self.step += 1
            u = _unit(self.key, step)
            if self.rhythm == WEEKLY:
                day = self.first + 7 * step
                if day > self.stop:
                    return None
                if u < 0.1:
                    continue  # a skipped week: holidays, stock on hand
                return day
            if self.rhythm == MONTHLY:
                jitter = int(_unit(self.key, step + (1 << 40)) * 5) - 2  # ±2 days, inside the month
                day = month_of_index(self.month0 + step).toordinal() + min(max(self.dom - 1 + jitter, 0), 27)
                if day > self.stop:
                    return None
                if day < self.start or u < 0.03:
                    continue
                return day
            # Irregular: bursts of short gaps between long pauses (a hyper-exponential gap).
            burst = _unit(self.key, step + (1 << 41)) < 0.7
            gap = -math.log(1.0 - u) * self.mean_gap * (0.35 if burst else 2.5)
            day = (self.start + int(gap)) if step == 0 else self.day + max(1, round(gap))
            if day > self.stop:
                return None
            self.day = day
            return day

    def next_day(self) -> int | None:
        """The next day this account orders on, thinned evenly when it has fewer lines than days."""
        if self.fallback is not None:
            day, self.fallback = self.fallback, None
            return day
        while self.orders_left:
            candidate = self._candidate()
            if candidate is None:
                return None
            kept = self.raw
            self.raw += 1
            if (kept + 1) * self.budget // self.raw_total > kept * self.budget // self.raw_total:
                return candidate
        return None


def _month_span(months: int, end: dt.date) -> tuple[int, int]:
    if months < 1:
        raise ValueError("months must be at least 1")
    return month_of_index(month_index(end) - (months - 1)).toordinal(), end.toordinal()


def _lifecycle(rng: random.Random, first: int, last: int) -> tuple[int, int]:
    """(first, last) day an account may buy on: full span, churned, new, or both."""
    span = last - first + 1
    kind = rng.random()
    if kind < 0.14:  # churned part-way
        return first, first + int(span * rng.uniform(0.2, 0.8))
    if kind < 0.30:  # new, started late
        return first + int(span * rng.uniform(0.25, 0.92)), last
    if kind < 0.34:  # came and went
        start = first + int(span * rng.uniform(0.05, 0.6))
        return start, min(last, start + int(span * rng.uniform(0.1, 0.3)))
    return first, last


def _names(rng: random.Random, count: int) -> Iterator[str]:
    """Distinct company names: prefix, core and legal form, then numbered."""
    prefixes, cores, forms = list(NAME_PREFIXES), list(NAME_CORES), list(NAME_FORMS)
    for words in (prefixes, cores, forms):
        rng.shuffle(words)
    for index in range(count):
        rest, prefix = divmod(index, len(prefixes))
        rest, core = divmod(rest, len(cores))
        rest, form = divmod(rest, len(forms))
        suffix = f" {rest + 1}" if rest else ""
        yield f"{prefixes[prefix]} {cores[core]}{suffix} {forms[form]}"


def _allocate(total: int, shares: list[float]) -> list[int]:
    """Split `total` lines over accounts by share (largest remainder), one each first when possible."""
    floor = 1 if total >= len(shares) else 0
    spare = total - floor * len(shares)
    whole = sum(shares)
    exact = [spare * share / whole for share in shares]
    counts = [floor + int(value) for value in exact]
    left = total - sum(counts)
    by_remainder = sorted(range(len(shares)), key=lambda i: (int(exact[i]) - exact[i], i))
    for index in by_remainder[:left]:
        counts[index] += 1
    return counts


def _buyers(
    rng: random.Random, *, lines: int, accounts: int, first: int, last: int, account_ids: list[str]
) -> list[_Buyer]:
    buyers, shares, rhythms, lines_per_order = [], [], [], []
    codes = rng.randint(4, 6)
    for external_id, name in zip(account_ids, _names(rng, accounts), strict=True):
        start, stop = _lifecycle(rng, first, last)
        buyer = _Buyer(external_id=external_id, name=name, key=rng.getrandbits(64), start=start, stop=stop)
        size = rng.lognormvariate(0.0, SIZE_SIGMA)
        buyer.value_mu = math.log(LINE_VALUE) + (1 - LINES_EXPONENT) * math.log(size)
        buyer.price_factor = 1.0 - rng.uniform(0.0, 0.2)  # the account's negotiated discount
        buyer.mix = _product_mix(rng, codes)
        rhythm = rng.random()
        rhythms.append(WEEKLY if rhythm < 0.15 else MONTHLY if rhythm < 0.45 else IRREGULAR)
        lines_per_order.append(1.0 + rng.expovariate(1 / 1.5))
        shares.append(size**LINES_EXPONENT * (stop - start + 1) / (last - first + 1))
        buyers.append(buyer)
    for buyer, rhythm, budget, per_order in zip(
        buyers, rhythms, _allocate(lines, shares), lines_per_order, strict=True
    ):
        buyer.plan(rhythm, budget, per_order)
    return buyers


def _product_mix(rng: random.Random, codes: int) -> tuple[tuple[float, int], ...]:
    """Cumulative weights over the product lines an account buys: one main line, some others."""
    main = rng.randrange(codes)
    others = [index for index in range(codes) if index != main and rng.random() < 0.5]
    weights = [(0.6 if others else 1.0, main)] + [(0.4 / len(others), index) for index in others]
    cumulative, total = [], 0.0
    for weight, index in weights:
        total += weight
        cumulative.append((total, index))
    return tuple(cumulative)


class _Product(NamedTuple):
    code: str
    skus: list[str]  # most popular first
    prices: list[int]  # unit price of each SKU, in cents
    margin_rate: float
    by_weight: bool


def _catalogue(rng: random.Random) -> list[_Product]:
    catalogue = []
    for code, prefix, price, margin_rate, by_weight in PRODUCT_LINES:
        skus = [f"{prefix}-{number:04d}" for number in range(1, SKUS_PER_LINE + 1)]
        prices = [max(1, round(price * rng.lognormvariate(0.0, 0.5))) for _ in skus]
        catalogue.append(_Product(code, skus, prices, margin_rate, by_weight))
    return catalogue


def _cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def generate_lines(
    *,
    lines: int,
    accounts: int,
    months: int,
    seed: int,
    end: dt.date,
    account_ids: list[str] | None = None,
    season: tuple[float, ...] = SEASON,
) -> Iterator[dict[str, Any]]:
    """Yield exactly `lines` ledger lines over the `months` calendar months ending at `end`, by date.

    Each line is a dict with the canonical import columns; amounts and margins are Decimals with
    2 places, quantities Decimals (3 places for products sold by weight). `account_ids`, when
    given, are used as the accounts' external ids (one per account) instead of "00001", "00002"….
    `season`: twelve factors (January … December) on the value of each month's lines; all 1.0 gives
    a ledger without seasonality (the forecast backtest's control).
    """
    if len(season) != 12:
        raise ValueError("season needs twelve monthly factors")
    rng, catalogue, buyers, _ = _setup(lines, accounts, months, seed, end, account_ids)
    return _stream(rng, buyers, catalogue, season)


class Lifecycle(NamedTuple):
    """The span an account may buy in; `churned` when it stops before the ledger's last day."""

    external_id: str
    start: dt.date
    stop: dt.date
    churned: bool


def account_lifecycles(
    *, lines: int, accounts: int, months: int, seed: int, end: dt.date, account_ids: list[str] | None = None
) -> list[Lifecycle]:
    """The ground truth behind `generate_lines` with the same arguments: each account's first and
    last possible purchase day (its actual purchases fall inside, thinned by its rhythm and budget)."""
    _, _, buyers, last = _setup(lines, accounts, months, seed, end, account_ids)
    return [
        Lifecycle(b.external_id, dt.date.fromordinal(b.start), dt.date.fromordinal(b.stop), b.stop < last)
        for b in buyers
    ]


def _setup(
    lines: int, accounts: int, months: int, seed: int, end: dt.date, account_ids: list[str] | None
) -> tuple[random.Random, list[_Product], list[_Buyer], int]:
    """The seeded state both the lines and the lifecycles come from (same draws, same order)."""
    if lines < 0 or accounts < 1:
        raise ValueError("lines must be ≥ 0 and accounts ≥ 1")
    if account_ids is None:
        width = max(5, len(str(accounts)))
        account_ids = [f"{number:0{width}d}" for number in range(1, accounts + 1)]
    elif len(account_ids) != accounts:
        raise ValueError(f"account_ids has {len(account_ids)} ids for {accounts} accounts")
    first, last = _month_span(months, end)
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    catalogue = _catalogue(rng)
    buyers = _buyers(rng, lines=lines, accounts=accounts, first=first, last=last, account_ids=account_ids)
    return rng, catalogue, buyers, last


def _stream(
    rng: random.Random, buyers: list[_Buyer], catalogue: list[_Product], season_of: tuple[float, ...] = SEASON
) -> Iterator[dict[str, Any]]:
    """Merge the accounts' order days (a heap keyed by day) and write out each order's lines."""
    heap = []
    for index, buyer in enumerate(buyers):
        day = buyer.next_day() if buyer.budget else None
        if day is not None:
            heap.append((day, index))
    heapq.heapify(heap)
    invoice = 0
    current, date, season = -1, dt.date.min, 1.0
    while heap:
        day, index = heap[0]
        buyer = buyers[index]
        if day != current:
            current, date = day, dt.date.fromordinal(day)
            season = season_of[date.month - 1]
        invoice += 1
        yield from _order(rng, buyer, catalogue, date, season, invoice)
        following = buyer.next_day()
        if following is None:
            heapq.heappop(heap)
        else:
            heapq.heapreplace(heap, (following, index))


def _order(
    rng: random.Random, buyer: _Buyer, catalogue: list[_Product], date: dt.date, season: float, invoice: int
) -> list[dict[str, Any]]:
    """One order's lines. A regular buyer's order has a steady value, split over its lines."""
    count = _order_size(rng, buyer)
    first_order = buyer.lines_left == buyer.budget
    buyer.lines_left -= count
    buyer.orders_left -= 1
    kinds = [_kind(rng.random(), first_order) for _ in range(count)]
    if buyer.rhythm == IRREGULAR:
        sigma, mu = IRREGULAR_LINE_VALUE_SIGMA, buyer.value_mu
        values = [season * rng.lognormvariate(mu - sigma * sigma / 2, sigma) for _ in kinds]
    else:
        weights = [rng.lognormvariate(0.0, 0.5) for _ in kinds]
        sold = sum(weight for weight, kind in zip(weights, kinds, strict=True) if kind == SALE)
        sigma = REGULAR_ORDER_VALUE_SIGMA
        total = buyer.order_value * rng.lognormvariate(-sigma * sigma / 2, sigma)
        values = [total * weight / (sold or sum(weights)) for weight in weights]
    return [
        _line(rng, buyer, catalogue, date, f"{invoice:09d}-{number:03d}", kind, value)
        for number, (kind, value) in enumerate(zip(kinds, values, strict=True), start=1)
    ]


def _kind(draw: float, first_order: bool) -> int:
    if draw < FREE_SHARE:
        return FREE
    if draw < FREE_SHARE + RETURN_SHARE and not first_order:
        return RETURN
    return SALE


def _order_size(rng: random.Random, buyer: _Buyer) -> int:
    """Lines on this order: around lines left / orders left, so the account's total comes out exact."""
    left, orders = buyer.lines_left, buyer.orders_left
    if orders <= 1:
        return left
    sigma = buyer.order_sigma
    size = round(left / orders * rng.lognormvariate(-sigma * sigma / 2, sigma))
    return min(max(size, 1), left - (orders - 1))


def _line(
    rng: random.Random,
    buyer: _Buyer,
    catalogue: list[_Product],
    date: dt.date,
    line_id: str,
    kind: int,
    value: float,
) -> dict[str, Any]:
    """One line worth about `value` cents; the quantity follows from the SKU's price."""
    pick = rng.random()
    product = buyer.mix[-1][1]
    for bound, index in buyer.mix:
        if pick < bound:
            product = index
            break
    item = catalogue[product]
    sku = int(SKUS_PER_LINE * rng.random() ** 2)  # a few SKUs sell most
    if kind == RETURN:
        value *= rng.uniform(0.1, 0.5)  # part of a delivery comes back
    units = value / item.prices[sku]
    quantity = (
        Decimal(max(1, round(units * 1000))).scaleb(-3) if item.by_weight else Decimal(max(1, round(units)))
    )
    if kind == FREE:  # free goods: no revenue, their cost is the (negative) margin
        amount, margin, prefix = 0, -round(value * (1 - item.margin_rate)), "FOC"
    else:
        amount = round(value * buyer.price_factor)
        margin = round(amount * (item.margin_rate + rng.uniform(-0.08, 0.08)))
        prefix = "INV"
        if kind == RETURN:
            amount, margin, quantity, prefix = -amount, -margin, -quantity, "CN"
    return {
        "account_external_id": buyer.external_id,
        "date": date,
        "amount": _cents(amount),
        "account_name": buyer.name,
        "quantity": quantity,
        "margin": _cents(margin),
        "product_line": item.code,
        "line_external_id": prefix + line_id,
        "sku": item.skus[sku],
    }


def write_csv(
    path: str | PathLike[str] | IO[str], rows: Iterable[dict[str, Any]], delimiter: str = ","
) -> int:
    """Write rows under the canonical header (ISO dates, dot decimals); "-" is stdout. Returns the count."""
    if not isinstance(path, (str, PathLike)):
        return _write(path, rows, delimiter)  # an open text stream
    if str(path) == "-":
        return _write(sys.stdout, rows, delimiter)
    with open(path, "w", newline="", encoding="utf-8") as stream:
        return _write(stream, rows, delimiter)


def _write(stream: IO[str], rows: Iterable[dict[str, Any]], delimiter: str) -> int:
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    cells = itemgetter(*COLUMNS)
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is the result
        writer.writerow(cells(row))
    return count
