"""A group of three with known revenue per product line, sold through the real ledger import."""

from __future__ import annotations

import datetime as dt

from accounts.models import User
from common.calendar import add_months
from sales.models import ImportBatch
from sales.services import sales_lines_bulk_import
from sales.white_space import window
from tests.factories import AccountFactory, UserFactory


def sell(*lines: tuple) -> None:
    """Ledger lines (account, date, amount, product line[, margin]) through the real import."""
    admin = User.objects.filter(username="ledger-admin").first() or UserFactory(
        username="ledger-admin", role=User.Role.ADMIN
    )
    rows = [
        {
            "account_external_id": a.external_id,
            "date": d,
            "amount": str(v),
            "product_line": line,
            **({"margin": str(rest[0])} if rest else {}),
        }
        for a, d, v, line, *rest in lines
    ]
    batch = sales_lines_bulk_import(by=admin, lines=rows)
    assert batch.status == ImportBatch.Status.DONE, batch.errors


def months() -> tuple[dt.date, dt.date, dt.date]:
    """The 15th of the window's last month, of the one before, and of a month just outside the window."""
    first, last = window()
    day = last.replace(day=15)
    return day, add_months(day, -1), add_months(first.replace(day=15), -1)


def build_group(*, top_owner, s1_owner, s2_owner, department):
    """Top T with subsidiaries S1 and S2, twelve months' revenue by line (hand-computed in the tests):

    T: STEEL 1000 + 1000, PIPES 500          -> 2500; gap TOOLS  (S1 900, S2 100: median 500)
    S1: STEEL 300, TOOLS 900                 -> 1200; gap PIPES  (T 500, S2 700: median 600)
    S2: PIPES 700, TOOLS 100 (+ STEEL 5000 a month before the window, not counted)
                                             ->  800; gap STEEL  (T 2000, S1 300: median 1150)
    """
    top = AccountFactory(name="Tundra Group", owner=top_owner, department=department)
    s1 = AccountFactory(name="Tundra Finland", parent=top, owner=s1_owner, department=department)
    s2 = AccountFactory(name="Tundra Sweden", parent=top, owner=s2_owner, department=department)
    last, before, outside = months()
    sell(
        (top, last, 1000, "STEEL"),
        (top, before, 1000, "STEEL"),
        (top, last, 500, "PIPES"),
        (s1, last, 300, "STEEL"),
        (s1, before, 900, "TOOLS"),
        (s2, last, 700, "PIPES"),
        (s2, before, 100, "TOOLS"),
        (s2, outside, 5000, "STEEL"),
    )
    return top, s1, s2
