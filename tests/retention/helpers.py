"""Ledgers and runs built by hand for the retention tests, through the real import and run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from accounts.models import Account, User
from analysis.models import AnalysisRun
from analysis.services import run_create, run_execute
from common.calendar import add_months
from sales.services import sales_lines_bulk_import
from tests.factories import UserFactory


def importer() -> User:
    return User.objects.filter(username="importer").first() or UserFactory(
        username="importer", role=User.Role.ADMIN
    )


def buy(account: Account, days: Iterable[dt.date | str], amount: str = "100.00") -> None:
    """One sales line of `account` on each day."""
    lines = [
        {"account_external_id": account.external_id, "date": str(day), "amount": amount, "product_line": "P1"}
        for day in days
    ]
    batch = sales_lines_bulk_import(by=importer(), lines=lines, options={})
    assert batch.status == batch.Status.DONE, batch.errors


def monthly(first: dt.date, months: int, day: int = 15) -> list[dt.date]:
    return [add_months(first, n).replace(day=day) for n in range(months)]


def run_as_of(day: dt.date) -> AnalysisRun:
    return run_execute(run=run_create(by=None, as_of=day, trigger=AnalysisRun.Trigger.COMMAND))
