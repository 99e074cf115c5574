"""Sales-ledger fixtures: uploads and rejects files go to a per-test media folder."""

from __future__ import annotations

import pytest

from sales.models import ImportBatch
from tests.sales.ledger_files import import_file, ledger_snapshot


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Keep every stored upload and rejects CSV inside the test's own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def before(kam, account, tmp_path):
    """A ledger with one earlier import in it (so rollups exist to be disturbed), and its snapshot."""
    batch = import_file(
        tmp_path,
        "account_external_id,date,amount,product_line,line_external_id\n"
        "00017,2024-01-05,100.00,PIPES,INV-1\n"
        "00017,2024-02-07,-20.00,,INV-2\n",
        by=kam,
    )
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    return ledger_snapshot()
