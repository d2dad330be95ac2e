"""mailbot/pipeline/known.py: what the store knows of a message before the stages run — seen
before, which application it answers, the IMAP high-water mark — on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.models import Envelope, RawMessage
from mailbot.names import last_uid_key
from mailbot.pipeline.known import advance_mark, already_recorded, reference_pattern, thread_of
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def envelope(subject: str = "Pytanie", sender: str | None = "anna@example.pl", refs=()) -> Envelope:
    return Envelope(
        message_id="<q@example.pl>",
        sender=sender,
        subject=subject,
        references=tuple(refs),
        received_at=datetime(2024, 5, 10, tzinfo=UTC),
        received_at_source="date_header",
        sha256="1" * 64,
        size=100,
    )


def test_the_reference_pattern_takes_the_prefix_literally_and_any_case():
    pattern = reference_pattern("DKRES-2024")
    assert pattern.search("Pytanie dkres-2024-0012 i inne")[0] == "dkres-2024-0012"
    assert pattern.search("DKRES-2024-12") is None  # four digits at least
    assert reference_pattern("A.B").search("AxB-0001") is None  # a dot is a dot


def test_a_letter_answered_names_its_application(store):
    app = application(store, message(store), "DKRES-2024-0001")
    with store.transaction():
        store.insert(
            "replies",
            {
                "message_pk": 1,
                "application_pk": app,
                "template": "accepted",
                "to_addr": "anna@example.pl",
                "subject": "Potwierdzenie",
                "reply_message_id": "<letter-1@mailbot>",
                "queued_at": "2024-05-10T10:00:00Z",
            },
        )
    why, found = thread_of(envelope(refs=["<other@x>", "<letter-1@mailbot>"]), store, "DKRES-2024")
    assert (why, found) == ("odpowiedź na list <letter-1@mailbot>", app)


def test_a_reference_in_the_subject_then_the_senders_latest_application(store):
    first = application(
        store, message(store), "DKRES-2024-0001", received_at="2024-05-08T10:00:00+00:00"
    )
    latest = application(
        store, message(store), "DKRES-2024-0002", received_at="2024-05-09T10:00:00+00:00"
    )
    assert thread_of(envelope("Pytanie dkres-2024-0001"), store, "DKRES-2024") == (
        "numer DKRES-2024-0001 w temacie",
        first,
    )
    assert thread_of(envelope("Pytanie"), store, "DKRES-2024") == (None, latest)
    assert thread_of(envelope("Pytanie", sender="ewa@example.pl"), store, "DKRES-2024") == (
        None,
        None,
    )
    assert thread_of(envelope("Pytanie", sender=None), store, "DKRES-2024") == (None, None)


def test_the_high_water_mark_only_moves_forward_and_only_for_imap(store):
    key = last_uid_key("INBOX")
    advance_mark(store, RawMessage(b"x", "imap", "INBOX", 7, 10))
    advance_mark(store, RawMessage(b"y", "imap", "INBOX", 7, 4))
    assert store.get_state(key) == "10"
    advance_mark(store, RawMessage(b"z", "file", "INBOX", None, None))
    assert store.get_state(key) == "10"


def test_a_message_recorded_before_is_known_by_uid_or_by_its_bytes(store):
    raw = RawMessage(b"From: anna\r\n\r\nformularz", "imap", "INBOX", 7, 3)
    assert already_recorded(raw, store) is None
    message(store, sha256=raw.sha256, mailbox="INBOX", uidvalidity=7, uid=3)
    assert already_recorded(raw, store) == "already recorded"
    imported = RawMessage(raw.raw, "file", "/tmp/a.eml")
    assert already_recorded(imported, store) == "already imported"
    assert already_recorded(RawMessage(b"new", "file", "/tmp/b.eml"), store) is None


def test_a_new_uidvalidity_moves_the_message_instead_of_reading_it_again(store):
    raw = RawMessage(b"From: anna\r\n\r\nformularz", "imap", "INBOX", 8, 21)
    pk = message(store, sha256=raw.sha256, mailbox="INBOX", uidvalidity=7, uid=3)
    assert already_recorded(raw, store) == "seen before the UIDVALIDITY change"
    row = store.conn.execute("SELECT uidvalidity, uid FROM messages WHERE id = ?", [pk]).fetchone()
    assert tuple(row) == (8, 21)
    assert store.get_state(last_uid_key("INBOX")) == "21"
    assert already_recorded(raw, store) == "already recorded"
