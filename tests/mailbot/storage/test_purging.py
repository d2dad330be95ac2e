"""Purge's deletes on a real SQLite file: everything about messages received before the cutoff
goes (in an order the foreign keys accept), nothing about later ones."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from mailbot.storage.purging import PurgedRows, delete_received_before
from mailbot.storage.store import Store

CUTOFF = datetime(2024, 5, 15, tzinfo=UTC)


def _message(store: Store, n: int, received_at: str) -> int:
    pk = store.insert(
        "messages",
        {
            "message_id": f"<{n}@example.pl>",
            "sha256": f"{n:064x}",
            "disposition": "application",
            "received_at": received_at,
        },
    )
    attachment = store.insert("attachments", {"message_pk": pk, "filename": "form.docx"})
    application = store.insert(
        "applications",
        {
            "message_pk": pk,
            "reference": f"DKRES/{n}",
            "status": "accepted",
            "attachment_pk": attachment,
            "received_at": received_at,
        },
    )
    store.insert("corrections", {"application_pk": application, "field": "full_name"})
    store.insert("replies", {"message_pk": pk, "application_pk": application, "state": "sent"})
    store.event("stored", pk, "test")
    store.insert(
        "failures",
        {"sha256": f"{n:064x}", "raw_file": f"raw/{n}", "first_at": received_at},
    )
    return pk


def _count(store: Store, table: str) -> int:
    return int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_removes_what_was_received_before_the_cutoff_and_keeps_the_rest(tmp_path: Path) -> None:
    with Store(tmp_path / "mailbot.db", tmp_path / "files") as store:
        with store.transaction():
            _message(store, 1, "2024-05-10T08:00:00+00:00")
            _message(store, 2, "2024-05-14T23:59:59+00:00")
            kept = _message(store, 3, "2024-05-15T00:00:00+00:00")
        with store.transaction():
            removed = delete_received_before(store, CUTOFF)
        assert removed == PurgedRows(messages=2, applications=2, attachments=2, replies=2, events=2)
        assert [r[0] for r in store.db.execute("SELECT id FROM messages")] == [kept]
        for table in ("applications", "attachments", "replies", "events", "corrections"):
            assert _count(store, table) == 1, table
        assert _count(store, "failures") == 1


def test_nothing_before_the_cutoff_removes_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "mailbot.db", tmp_path / "files") as store:
        with store.transaction():
            _message(store, 1, "2024-05-20T08:00:00+00:00")
        with store.transaction():
            removed = delete_received_before(store, CUTOFF)
        assert removed == PurgedRows(0, 0, 0, 0, 0)
        assert _count(store, "messages") == 1 and _count(store, "corrections") == 1
