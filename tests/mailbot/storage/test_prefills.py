"""mailbot/storage/prefills.py: the queue of scanned forms to read by OCR — found once, taken
by one reader at a time, done or failed, given back — on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.storage import prefills
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def attachment(store, message_pk: int, reason: str | None, name: str) -> int:
    with store.transaction():
        return store.insert(
            "attachments",
            {
                "message_pk": message_pk,
                "part": "2",
                "filename": name,
                "kind": "pdf",
                "file": f"ab/{name}",
                "reason": reason,
            },
        )


def scanned(store, reference: str) -> int:
    m = message(store)
    page1 = attachment(store, m, "scan", f"{reference}-1.jpg")
    attachment(store, m, "scan", f"{reference}-2.jpg")
    attachment(store, m, None, f"{reference}-list.docx")
    return application(store, m, reference, status="needs_review", attachment_pk=page1)


def test_scans_are_found_once_and_read_forms_are_not(store):
    first, second = scanned(store, "R-1"), scanned(store, "R-2")
    m = message(store)
    application(store, m, "R-3", attachment_pk=attachment(store, m, None, "form.docx"))
    with store.transaction():
        assert prefills.enqueue_scans(store, "2024-05-10T10:00:00Z") == 2
        assert prefills.enqueue_scans(store, "2024-05-10T10:01:00Z") == 0
    assert prefills.pending_count(store) == 2
    assert prefills.form_is_scan(store, first) and not prefills.form_is_scan(store, first + 2)
    row = prefills.prefill_of(store, second)
    assert (row.state, row.attempts, row.prefill, row.page_files) == ("pending", 0, None, ())


def test_one_reader_takes_the_oldest_with_its_pages_and_nobody_takes_it_again(store):
    first = scanned(store, "R-1")
    with store.transaction():
        prefills.enqueue_scans(store, "2024-05-10T10:00:00Z")
    claimed = prefills.claim_next(store, "2024-05-10T10:05:00Z", "2024-05-10T09:00:00Z")
    assert claimed is not None
    assert (claimed.application_pk, claimed.reference, claimed.attempts) == (first, "R-1", 1)
    assert [p.filename for p in claimed.files] == ["R-1-1.jpg", "R-1-2.jpg"]  # pages only
    assert prefills.claim_next(store, "2024-05-10T10:06:00Z", "2024-05-10T09:00:00Z") is None
    # a reader that died: taken again once its start is older than the stale mark
    again = prefills.claim_next(store, "2024-05-10T11:00:00Z", "2024-05-10T10:30:00Z")
    assert again is not None and again.attempts == 2


def test_done_failed_released_and_requeued(store):
    done, failed, stopped = scanned(store, "R-1"), scanned(store, "R-2"), scanned(store, "R-3")
    with store.transaction():
        prefills.enqueue_scans(store, "2024-05-10T10:00:00Z")
    for _ in range(3):
        prefills.claim_next(store, "2024-05-10T10:05:00Z", "2024-05-10T09:00:00Z")
    with store.transaction():
        prefills.record_done(
            store,
            done,
            prefill={"fields": {"full_name": "Anna"}},
            engine="tesseract 5",
            pages=2,
            page_files=["ab/R-1-1.jpg"],
            now="2024-05-10T10:06:00Z",
            seconds=12.34567,
        )
        prefills.record_failed(
            store,
            failed,
            reason="no_engine",
            detail="x" * 400,
            now="2024-05-10T10:06:00Z",
            seconds=None,
        )
        prefills.release(store, stopped)
    row = prefills.prefill_of(store, done)
    assert (row.state, row.engine, row.pages, row.seconds) == ("done", "tesseract 5", 2, 12.346)
    assert row.page_files == ("ab/R-1-1.jpg",)
    assert prefills.done_prefills(store) == {done: {"fields": {"full_name": "Anna"}}}
    bad = prefills.prefill_of(store, failed)
    assert (bad.state, bad.reason, len(bad.detail)) == ("failed", "no_engine", 300)
    back = prefills.prefill_of(store, stopped)
    assert (back.state, back.attempts, back.started_at) == ("pending", 0, None)
    assert prefills.failed_for(store, "no_engine") == 1
    with store.transaction():
        assert prefills.requeue(store, "no_engine", "2024-05-11T08:00:00Z") == 1
    assert prefills.prefill_of(store, failed).state == "pending"
    assert prefills.failed_for(store, "no_engine") == 0
    assert prefills.pending_count(store) == 2
