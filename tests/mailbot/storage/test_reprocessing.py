"""Re-reading's queries on a real SQLite file: which messages a reference, status or UID
selects, and clearing a message's record keeps the replies already out (unlinked, then linked
again by reference number)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mailbot.storage import reprocessing
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "mailbot.db", tmp_path / "files") as opened:
        yield opened


def _message(store: Store, n: int, *, uid: int, origin: str = "imap") -> int:
    return store.insert(
        "messages",
        {
            "message_id": f"<{n}@example.pl>",
            "sha256": f"{n:064x}",
            "disposition": "application",
            "received_at": f"2024-05-{10 + n:02d}T08:00:00+00:00",
            "origin": origin,
            "mailbox": f"{origin}/INBOX",
            "uidvalidity": 7,
            "uid": uid,
        },
    )


def _application(store: Store, message: int, reference: str, status: str = "accepted") -> int:
    return store.insert(
        "applications",
        {
            "message_pk": message,
            "reference": reference,
            "status": status,
            "applicant_key": f"email:{reference.lower()}@example.pl",
            "sender_key": "osoba@example.pl",
        },
    )


def test_messages_are_selected_by_reference_status_or_imap_uid(store: Store) -> None:
    with store.transaction():
        first = _message(store, 1, uid=11)
        second = _message(store, 2, uid=12)
        from_a_file = _message(store, 3, uid=11, origin="file")
        _application(store, first, "DKRES/0001")
        _application(store, first, "DKRES/0002", status="incomplete")
        _application(store, second, "DKRES/0003", status="incomplete")
        _application(store, from_a_file, "DKRES/0004")
    match = reprocessing.message_pks_matching
    assert match(store, references=["dkres/0002", "DKRES/0001"]) == [first]
    assert match(store, status="incomplete") == [first, second]
    assert match(store, uid=11) == [first]  # not the file with the same number
    assert match(store, references=["DKRES/0004"], uid=12) == [second, from_a_file]
    assert match(store, references=["DKRES/9999"]) == []
    assert match(store) == []


def test_clearing_a_record_keeps_the_replies_already_out(store: Store) -> None:
    with store.transaction():
        message = _message(store, 1, uid=11)
        other = _message(store, 2, uid=12)
        app = _application(store, message, "DKRES/0001")
        _application(store, other, "DKRES/0002")
        store.insert("attachments", {"message_pk": message, "filename": "form.docx"})
        sent = store.insert(
            "replies", {"message_pk": message, "application_pk": app, "state": "sent"}
        )
        store.insert("replies", {"message_pk": message, "application_pk": app, "state": "queued"})
    assert [a.reference for a in reprocessing.recorded_applications(store, message)] == [
        "DKRES/0001"
    ]
    assert reprocessing.replies_out(store, message) == [reprocessing.ReplyOut(sent, app)]
    with store.transaction():
        reprocessing.clear_message_record(store, message)
    assert reprocessing.recorded_applications(store, message) == []
    assert reprocessing.application_outcomes(store, other)[0].reference == "DKRES/0002"
    assert reprocessing.replies_out(store, message) == [reprocessing.ReplyOut(sent, None)]
    assert store.db.execute("SELECT count(*) FROM replies").fetchone()[0] == 1
    assert store.db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    with store.transaction():
        again = _application(store, message, "DKRES/0001")
        reprocessing.link_reply_to_reference(store, sent, "DKRES/0001")
    assert reprocessing.replies_out(store, message) == [reprocessing.ReplyOut(sent, again)]
    with store.transaction():
        reprocessing.link_reply_to_reference(store, sent, None)
    assert reprocessing.replies_out(store, message) == [reprocessing.ReplyOut(sent, None)]
