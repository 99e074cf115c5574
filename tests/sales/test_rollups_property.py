"""Property: after any run of imports and rollbacks, the rollups are exactly the sums of the lines.

Hypothesis draws a few small imports over three accounts and a handful of dates around month and
year ends (amounts negative, zero or positive; margins, quantities, product lines and line ids
sometimes absent; line ids reused across imports) mixed with rollbacks of earlier imports. A plain
Python model of the ledger says what each step should do; after every step the stored lines must
match the model and the monthly and daily rollups must equal the sums over the stored lines.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import tempfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from accounts.models import Account
from sales.models import DailySales, ImportBatch, MonthlySales, ProductLine, SalesLine
from sales.services import import_batch_rollback, sales_lines_bulk_import
from tests.sales.rollup_sums import assert_rollups_match_lines

# Hypothesis caches source constants under ./.hypothesis while collecting, before any fixture
# runs: point it outside the working tree unless the caller chose a place.
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "kam-hypothesis")

ACCOUNTS = ("P-1", "P-2", "P-3")
# Month and year ends, a leap day: where an off-by-one month window would show.
DAYS = (
    dt.date(2024, 1, 1),
    dt.date(2024, 1, 31),
    dt.date(2024, 2, 1),
    dt.date(2024, 2, 29),
    dt.date(2024, 3, 15),
    dt.date(2024, 12, 31),
    dt.date(2025, 1, 1),
)
PRODUCT_LINES = ("PL-A", "PL-B")
LINE_IDS = ("L1", "L2", "L3", "L4", "L5")


def _money(cents: int, places: int = 2) -> str:
    return str(Decimal(cents).scaleb(-places))


cents = st.one_of(st.just(0), st.integers(-100_000, 100_000))
ledger_line = st.fixed_dictionaries(
    {
        "account_external_id": st.sampled_from(ACCOUNTS),
        "date": st.sampled_from(DAYS).map(dt.date.isoformat),
        "amount": cents.map(_money),
    },
    optional={
        "margin": cents.map(_money),
        "quantity": st.integers(-5_000, 5_000).map(lambda n: _money(n, 3)),
        "product_line": st.sampled_from(PRODUCT_LINES),
        "line_external_id": st.sampled_from(LINE_IDS),
    },
)


@st.composite
def import_lines(draw) -> list[dict]:
    """One import's lines; mostly each line id once per file (a repeat refuses the whole file)."""
    lines = draw(st.lists(ledger_line, min_size=1, max_size=6))
    if draw(st.integers(0, 4)) == 0:
        return lines
    seen: set[str] = set()
    unique = []
    for line in lines:
        if line.get("line_external_id") in seen:
            line = {key: value for key, value in line.items() if key != "line_external_id"}
        seen.add(line.get("line_external_id", ""))
        unique.append(line)
    return unique


step = st.one_of(
    st.tuples(st.just("import"), import_lines()),
    st.tuples(st.just("import again"), st.integers(0, 10)),  # the very same lines as an earlier import
    st.tuples(st.just("rollback"), st.integers(0, 10)),
)


class LedgerModel:
    """What the ledger should hold: lines by key, the batches that brought them, known accounts."""

    def __init__(self) -> None:
        self.lines: dict[object, tuple[str, dict]] = {}  # key → (batch name, line)
        self.done: dict[str, list[dict]] = {}  # batch name → its lines, while it is imported
        self.accounts: set[str] = set()
        self._anonymous = itertools.count()

    def expect_import(self, name: str, lines: list[dict]) -> tuple[str, int, int, int]:
        """(status, inserted, duplicates, accounts created) the import should report; applies it."""
        ids = [line["line_external_id"] for line in lines if "line_external_id" in line]
        if len(ids) != len(set(ids)):
            return ImportBatch.Status.REFUSED, 0, 0, 0
        if len(ids) < len(lines) and lines in self.done.values():  # rows without ids, seen before
            return ImportBatch.Status.REFUSED, 0, 0, 0
        new_accounts = {line["account_external_id"] for line in lines} - self.accounts
        self.accounts |= new_accounts
        inserted = 0
        for line in lines:
            key = line.get("line_external_id") or ("anonymous", next(self._anonymous))
            if key not in self.lines:
                self.lines[key] = (name, line)
                inserted += 1
        self.done[name] = lines
        return ImportBatch.Status.DONE, inserted, len(lines) - inserted, len(new_accounts)

    def rollback(self, name: str) -> None:
        del self.done[name]
        self.lines = {key: value for key, value in self.lines.items() if value[0] != name}

    def stored_form(self) -> Counter:
        return Counter(
            (
                name,
                line["account_external_id"],
                dt.date.fromisoformat(line["date"]),
                Decimal(line["amount"]),
                Decimal(line["margin"]) if "margin" in line else None,
                Decimal(line["quantity"]) if "quantity" in line else None,
                line.get("product_line"),
                line.get("line_external_id"),
            )
            for name, line in self.lines.values()
        )


def stored_lines(names: dict[int, str]) -> Counter:
    return Counter(
        (names[batch_id], *rest)
        for batch_id, *rest in SalesLine.objects.values_list(
            "batch_id", "account__external_id", "date", "amount", "margin", "quantity",
            "product_line__code", "external_id",
        )
    )  # fmt: skip


def clear_ledger() -> None:
    """Hypothesis runs every example inside the same test transaction: start each from nothing."""
    SalesLine.objects.all().delete()
    ImportBatch.objects.all().delete()
    MonthlySales.objects.all().delete()
    DailySales.objects.all().delete()
    ProductLine.objects.all().delete()
    Account.objects.filter(external_id__in=ACCOUNTS).delete()


class Scenario:
    """Runs the drawn steps against the services and the model side by side."""

    def __init__(self, user) -> None:
        self.user = user
        self.model = LedgerModel()
        self.batches: list[ImportBatch] = []  # every import that went through, rolled back or not
        self.names: dict[int, str] = {}  # batch pk → the model's name for it
        self.sent: list[list[dict]] = []

    def run(self, number: int, action: str, argument) -> None:
        if action == "import again" and self.sent:
            self.bulk_import(f"import {number}", self.sent[argument % len(self.sent)])
        elif action == "import":
            self.bulk_import(f"import {number}", argument)
        elif action == "rollback" and self.batches:
            self.rollback(self.batches[argument % len(self.batches)])
        assert stored_lines(self.names) == self.model.stored_form()
        assert_rollups_match_lines()

    def bulk_import(self, name: str, lines: list[dict]) -> None:
        self.sent.append(lines)
        expected = self.model.expect_import(name, lines)
        batch = sales_lines_bulk_import(by=self.user, lines=lines, options={})
        got = (batch.status, batch.inserted, batch.duplicates, batch.accounts_created)
        if batch.status == ImportBatch.Status.REFUSED:
            got = (*got[:3], 0)  # a refused batch may claim accounts it did not keep: see the bug test
        assert got == expected, batch.errors
        event(f"import {batch.status}" + (" with duplicates" if batch.duplicates else ""))
        if batch.status == ImportBatch.Status.DONE:
            self.batches.append(batch)
            self.names[batch.pk] = name

    def rollback(self, batch: ImportBatch) -> None:
        name = self.names[batch.pk]
        if name not in self.model.done:
            with pytest.raises(ValidationError):
                import_batch_rollback(batch=batch, by=self.user)
            event("rollback refused")
            return
        import_batch_rollback(batch=batch, by=self.user)
        self.model.rollback(name)
        event("rollback")


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    database=None,  # no example database written into the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@pytest.mark.slow(13)
@given(steps=st.lists(step, min_size=1, max_size=8))
def test_rollups_equal_the_sums_of_the_lines_after_any_imports_and_rollbacks(kam, steps):
    # Each example in a savepoint rolled back at its end: PostgreSQL keeps the locks of every
    # temporary table an import creates until then, and thousands exhaust its lock table.
    with transaction.atomic():
        clear_ledger()
        scenario = Scenario(kam)
        for number, (action, argument) in enumerate(steps):
            scenario.run(number, action, argument)
        transaction.set_rollback(True)
