"""Two imports at once never double count (PostgreSQL: an advisory lock serialises the writers)."""

from __future__ import annotations

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from sales.models import ImportBatch, MonthlySales, SalesLine
from sales.services import IMPORT_LOCK_KEY, import_batch_create, import_batch_run
from tests.advisory import run_while_locked
from tests.sales.rollup_sums import assert_rollups_match_lines

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL (SQLite locks the file)"
)

LINES = "".join(f"A{n % 7},2025-0{1 + n % 6}-1{n % 9},{n}.25,L{n}\n" for n in range(300))
FILE = "account_external_id,date,amount,line_external_id\n" + LINES
FILE_WITHOUT_IDS = "account_external_id,date,amount\n" + "".join(
    f"B{n % 5},2025-03-0{1 + n % 9},1\n" for n in range(50)
)


def run_together(admin_user, content: str) -> list[ImportBatch]:
    batches = [
        import_batch_create(
            by=admin_user, source="command", upload=SimpleUploadedFile(f"f{i}.csv", content.encode())
        )
        for i in range(2)
    ]
    start = threading.Barrier(2)

    def work(batch: ImportBatch) -> None:
        start.wait()
        try:
            import_batch_run(batch=batch)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(b,)) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for batch in batches:
        batch.refresh_from_db()
    return batches


def test_the_same_lines_imported_twice_at_once_are_counted_once(transactional_db, admin_user):
    batches = run_together(admin_user, FILE)
    assert sorted(b.inserted for b in batches) == [0, 300]
    assert sorted(b.duplicates for b in batches) == [0, 300]
    assert SalesLine.objects.count() == 300
    assert_rollups_match_lines()
    assert MonthlySales.objects.exists()


def test_the_same_file_without_line_ids_at_once_goes_in_once(transactional_db, admin_user):
    batches = run_together(admin_user, FILE_WITHOUT_IDS)
    assert sorted(b.status for b in batches) == ["done", "refused"]
    assert SalesLine.objects.count() == 50


def test_one_import_delivered_twice_at_once_is_done_once(transactional_db, admin_user):
    """A task redelivered while its first delivery still runs (a restarted broker, a visibility
    timeout shorter than the import): the second waits for the import lock, then finds the batch
    done and leaves it, with its counts, as the first wrote it."""
    upload = SimpleUploadedFile("f.csv", FILE.encode())
    batch = import_batch_create(by=admin_user, source="command", upload=upload)

    def delivery() -> None:
        try:
            import_batch_run(batch=ImportBatch.objects.get(pk=batch.pk))
        finally:
            connections.close_all()

    run_while_locked(IMPORT_LOCK_KEY, delivery)
    batch.refresh_from_db()
    assert (batch.status, batch.inserted, batch.duplicates) == ("done", 300, 0)
    assert SalesLine.objects.count() == 300
    assert_rollups_match_lines()
