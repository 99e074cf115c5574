"""Consumption-report fixtures: a hand-worked ledger, and files kept in the test's own media folder."""

from __future__ import annotations

import pytest

from accounts.models import User
from sales.models import ImportBatch
from sales.services import sales_lines_bulk_import
from tests.factories import UserFactory

# (account external id, date, amount, quantity, product line): the ledger of
# tests/management/test_consumption_figures.py for `account`, one line for `foreign_account`.
LEDGER = [
    ("00017", "2023-03-10", "100", "10", "Coils"),
    ("00017", "2024-02-10", "200", "20", "Coils"),
    ("00017", "2024-09-10", "50", "5", "Bolts"),
    ("00017", "2025-05-10", "300", "30", "Coils"),
    ("00017", "2025-08-10", "400", "40", "Coils"),
    ("00017", "2025-09-10", "100", "10", "Bolts"),
    ("00017", "2026-04-10", "500", "50", "Coils"),
    ("F-1", "2025-03-10", "70", "7", "Coils"),
]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ledger(account, foreign_account):
    foreign_account.external_id = "F-1"
    foreign_account.save()
    importer = UserFactory(username="importer", role=User.Role.ADMIN)
    lines = [
        {"account_external_id": ext, "date": day, "amount": amount, "quantity": qty, "product_line": line}
        for ext, day, amount, qty, line in LEDGER
    ]
    batch = sales_lines_bulk_import(by=importer, lines=lines)
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    return batch
