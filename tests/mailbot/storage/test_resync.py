"""The index of the Sent folder on a real SQLite file: which letter stands for a message or a
queued reply, how one is recorded as sent, the counter, mail read back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from mailbot.names import REFERENCE_COUNTER_KEY, read_back_key
from mailbot.storage import resync as sql
from mailbot.storage.store import Store, iso

NOW = datetime(2024, 5, 14, 10, 0, tzinfo=UTC)


def _store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db.sqlite", tmp_path / "files")


def _message(store: Store, n: int) -> int:
    return store.insert(
        "messages",
        {
            "message_id": f"<m{n}@example.pl>",
            "sha256": f"{n:064x}",
            "received_at": iso(NOW),
            "disposition": "application",
            "mailbox": "nabor/INBOX",
        },
    )


def _application(store: Store, message_pk: int, reference: str) -> int:
    return store.insert(
        "applications",
        {"message_pk": message_pk, "reference": reference, "status": "accepted", "fields": "{}"},
    )


def _reply(store: Store, message_pk: int, app_pk: int | None, mid: str, template: str) -> int:
    return store.insert(
        "replies",
        {
            "message_pk": message_pk,
            "application_pk": app_pk,
            "template": template,
            "to_addr": "anna@example.pl",
            "subject": "s",
            "reply_message_id": mid,
            "raw": b"composed again",
            "state": "queued",
            "attempts": 0,
            "queued_at": iso(NOW),
        },
    )


def _letter(uid: int, answers: int, reference: str | None, kind: str = "accepted", **kw):
    return sql.SentLetter(
        folder="Sent",
        uidvalidity=7,
        uid=uid,
        message_id=kw.get("message_id", f"<mailbot.{uid}@dops.wroc.pl>"),
        in_reply_to=f"<m{answers}@example.pl>",
        reference=reference,
        kind=kind,
        sent_at=iso(NOW - timedelta(days=1)),
        to_addr="anna@example.pl",
        subject=f"potwierdzenie {reference}",
        raw=kw.get("raw", b"the letter as sent"),
    )


def test_a_message_takes_the_unknown_letters_of_this_call_by_number(tmp_path: Path) -> None:
    with _store(tmp_path) as store, store.transaction():
        sql.add_letters(
            store,
            [
                _letter(1, 1, "DKRES-2024-0012"),
                _letter(2, 1, "DKRES-2024-0011"),
                _letter(3, 1, "DKRES-2024-0011", message_id="<copy@x>"),  # a second copy
                _letter(4, 1, "NGO-2023-0003"),  # last year's call in the same mailbox
                _letter(5, 1, None, kind="answer"),  # a person's answer: no number
                _letter(6, 2, "DKRES-2024-0013"),  # another message
            ],
        )
        found = sql.letters_for_message(store, "<m1@example.pl>", "DKRES-2024")
        assert [x.reference for x in found] == ["DKRES-2024-0011", "DKRES-2024-0012"]
        # a letter the database knows (a reply row has its Message-ID) stands for nothing new
        message = _message(store, 1)
        _reply(store, message, None, "<mailbot.2@dops.wroc.pl>", "accepted")
        found = sql.letters_for_message(store, "<m1@example.pl>", "DKRES-2024")
        assert [x.uid for x in found] == [3, 1]


def test_a_queued_reply_found_in_sent_is_recorded_as_that_letter(tmp_path: Path) -> None:
    with _store(tmp_path) as store, store.transaction():
        message = _message(store, 1)
        app = _application(store, message, "DKRES-2024-0016")
        own = _reply(store, message, app, "<mailbot.own@dops.wroc.pl>", "accepted")
        assert sql.letter_for_reply(store, own) is None
        sql.add_letters(store, [_letter(9, 1, "DKRES-2024-0011")])
        letter = sql.letter_for_reply(store, own)
        assert letter is not None and letter.uid == 9
        sql.adopt(store, own, letter)
        row = store.conn.execute(
            "SELECT state, sent_copy, reply_message_id, raw, sent_at FROM replies WHERE id = ?",
            [own],
        ).fetchone()
        assert row == (
            "sent",
            "saved",
            "<mailbot.9@dops.wroc.pl>",
            b"the letter as sent",
            letter.sent_at,
        )
        # the applicant was told 0011: the application takes it, the counter follows
        reference = store.conn.execute(
            "SELECT reference FROM applications WHERE id = ?", [app]
        ).fetchone()[0]
        assert reference == "DKRES-2024-0011"
        # its own copy (a restored queued row that went out after the backup) is found by id
        again = _reply(store, message, app, "<mailbot.again@dops.wroc.pl>", "review_accepted")
        assert sql.letter_for_reply(store, again) is None  # a person's notice: no stand-in
        sql.add_letters(
            store,
            [_letter(10, 1, None, "review_accepted", message_id="<mailbot.again@dops.wroc.pl>")],
        )
        found = sql.letter_for_reply(store, again)
        assert found is not None and found.uid == 10


def test_the_counter_never_goes_below_the_highest_number_found(tmp_path: Path) -> None:
    with _store(tmp_path) as store, store.transaction():
        store.set_state(REFERENCE_COUNTER_KEY, "4")
        _application(store, _message(store, 1), "DKRES-2024-0006")
        sql.add_letters(store, [_letter(1, 2, "DKRES-2024-0009"), _letter(2, 3, "NGO-2023-0400")])
        assert sql.highest_number(store, "DKRES-2024") == 9
        assert sql.raise_counter(store, 9, "test")
        assert not sql.raise_counter(store, 5, "test")
        assert store.get_state(REFERENCE_COUNTER_KEY) == "9"


def test_mail_read_back_or_received_before_a_restore_gets_no_new_letter(tmp_path: Path) -> None:
    with _store(tmp_path) as store, store.transaction():
        assert sql.handled_before(store, "nabor/Archiwum", NOW) is None
        store.set_state(read_back_key("nabor/Archiwum"), "1")
        assert sql.handled_before(store, "nabor/Archiwum", NOW) == sql.READ_BACK_REASON
        assert sql.handled_before(store, "nabor/INBOX", NOW) is None
        sql.set_doubt(store, NOW)
        assert sql.handled_before(store, "nabor/INBOX", NOW - timedelta(hours=1)) == (
            sql.DOUBT_REASON
        )
        assert sql.handled_before(store, "nabor/INBOX", NOW + timedelta(minutes=1)) is None


def test_other_letters_answering_stored_messages_are_recorded_as_history(tmp_path: Path) -> None:
    with _store(tmp_path) as store, store.transaction():
        message = _message(store, 1)
        app = _application(store, message, "DKRES-2024-0001")
        store.conn.execute("UPDATE applications SET reply_withheld = 'limit' WHERE id = ?", [app])
        waiting = _message(store, 2)
        _reply(store, waiting, None, "<mailbot.w@dops.wroc.pl>", "accepted")
        sql.add_letters(
            store,
            [
                _letter(1, 1, "DKRES-2024-0001"),
                _letter(2, 1, None, "answer", raw=None),
                _letter(3, 2, "DKRES-2024-0002"),  # its message has a reply waiting: the outbox
                _letter(4, 9, "DKRES-2024-0009"),  # a message the database does not hold
            ],
        )
        found = sql.orphans(store)
        assert [(o.letter.uid, o.application_pk) for o in found] == [(1, app), (2, None)]
        for o in found:
            sql.record_orphan(store, o, o.letter.raw, None)
        assert sql.orphans(store) == []
        rows = store.conn.execute(
            "SELECT template, state, sent_copy FROM replies WHERE message_pk = ? ORDER BY id",
            [message],
        ).fetchall()
        assert rows == [("accepted", "sent", "saved"), ("answer", "sent", "saved")]
        withheld = store.conn.execute(
            "SELECT reply_withheld FROM applications WHERE id = ?", [app]
        ).fetchone()[0]
        assert withheld is None  # the applicant did get the letter
        sql.drop_adopted_bytes(store)
        kept = store.conn.execute(
            "SELECT uid FROM sent_letters WHERE raw IS NOT NULL ORDER BY uid"
        ).fetchall()
        assert kept == [(3,), (4,)]  # only what the database does not know yet


def test_purged_mail_is_not_read_back_from_the_mailbox(tmp_path: Path) -> None:
    from mailbot.storage.purging import delete_received_before

    with _store(tmp_path) as store, store.transaction():
        _message(store, 1)  # received NOW
        sql.add_letters(store, [_letter(1, 1, "DKRES-2024-0001"), _letter(2, 2, "DKRES-2024-0002")])
        assert sql.read_back_since(store.conn, NOW - timedelta(days=30)) == NOW - timedelta(days=30)
        delete_received_before(store, NOW + timedelta(days=1))
        assert sql.read_back_since(store.conn, NOW - timedelta(days=30)) == NOW + timedelta(days=1)
        assert sql.read_back_since(store.conn, None) == NOW + timedelta(days=1)
        left = store.conn.execute("SELECT uid FROM sent_letters").fetchall()
        assert left == [(2,)]  # the letter answering the purged message is gone with it
        delete_received_before(store, NOW - timedelta(days=5))  # an earlier day moves nothing
        assert sql.read_back_since(store.conn, None) == NOW + timedelta(days=1)
