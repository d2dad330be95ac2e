"""mailbot/storage/schema.py: the migrations that carry data over, applied to a database as an
older mailbot left it (real SQLite, built by the earlier migrations themselves)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from mailbot.names import REFERENCE_COUNTER_KEY, last_uid_key, uidvalidity_key
from mailbot.storage import schema
from mailbot.storage.migrations import MIGRATIONS


def database_at(path: Path, version: int) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    for migration in MIGRATIONS:
        if migration.number <= version:
            migration.apply(db)
    return db


@pytest.fixture
def db(tmp_path: Path):
    database = database_at(tmp_path / "old.db", 3)
    yield database
    database.close()


def add_message(db, mailbox: str = "INBOX", sender: str = "Anna@Example.PL", uid: int = 1) -> int:
    return (
        db["messages"]
        .insert(
            {
                "message_id": f"<m{uid}@x>",
                "origin": "imap",
                "mailbox": mailbox,
                "uid": uid,
                "uidvalidity": 7,
                "sha256": f"{uid:064d}",
                "received_at": "2024-05-10T10:00:00Z",
                "sender": sender,
                "subject": "Zgłoszenie",
                "disposition": "application",
            }
        )
        .last_pk
    )


def add_application(db, message_pk: int, email: str | None, sender: str) -> int:
    return (
        db["applications"]
        .insert(
            {
                "message_pk": message_pk,
                "reference": f"R-{message_pk}",
                "status": "accepted",
                "problems": "[]",
                "fields": "{}",
                "sources": "{}",
                "sender": sender,
                "received_at": "2024-05-10T10:00:00Z",
                "superseded": 0,
                "applicant_email": email,
                "created_at": "2024-05-10T10:00:00Z",
            }
        )
        .last_pk
    )


def test_4_and_5_key_the_applicants_by_their_form_address_else_their_sender(db):
    with_email = add_application(db, add_message(db, uid=1), "anna@example.pl", "Anna@Example.PL")
    without = add_application(db, add_message(db, uid=2), None, "Sekretariat@GOPS.pl")
    schema.migrate_4(db)
    schema.migrate_5(db)
    keys = dict(db.execute("SELECT id, applicant_key FROM applications").fetchall())
    assert keys == {with_email: "email:anna@example.pl", without: "sender:sekretariat@gops.pl"}
    counter = db.execute("SELECT value FROM meta WHERE key = ?", [REFERENCE_COUNTER_KEY])
    assert counter.fetchone()[0] == str(without)  # numbers after a purge never come back


def test_the_old_mailbox_keys_lose_the_host_and_keep_the_highest_mark(tmp_path):
    db = database_at(tmp_path / "old.db", 5)
    add_message(db, "nabor@mail.dops.pl/INBOX", uid=1)
    add_message(db, "nabor/INBOX", uid=2)
    db.execute(
        "INSERT INTO meta(key, value) VALUES (?, '7'), (?, '40'), (?, '7'), (?, '55')",
        [
            "imap:nabor@mail.dops.pl/INBOX:uidvalidity",
            "imap:nabor@mail.dops.pl/INBOX:last_uid",
            "imap:nabor@MAIL.dops.pl/INBOX:uidvalidity",
            "imap:nabor@MAIL.dops.pl/INBOX:last_uid",
        ],
    )
    schema.migrate_6(db)
    mailboxes = sorted(r[0] for r in db.execute("SELECT mailbox FROM messages").fetchall())
    assert mailboxes == ["nabor/INBOX", "nabor/INBOX"]
    meta = dict(db.execute("SELECT key, value FROM meta WHERE key LIKE 'imap:%'").fetchall())
    assert meta == {uidvalidity_key("nabor/INBOX"): "7", last_uid_key("nabor/INBOX"): "55"}
    db.close()


def test_a_mailbox_key_without_a_host_is_left_as_it_is():
    assert schema._mailbox_without_host("nabor@mail.dops.pl/INBOX") == "nabor/INBOX"
    assert schema._mailbox_without_host("a@b@host/Sent") == "a@b/Sent"
    assert schema._mailbox_without_host("nabor/INBOX") == "nabor/INBOX"
    assert schema._mailbox_without_host("/tmp/import.mbox") == "/tmp/import.mbox"
