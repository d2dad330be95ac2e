"""Bounce matching on a real SQLite store: which delivery reports mark which reply ``bounced``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from testdata import CORPUS, need_shared

from mailbot.mail.mime import parse_message
from mailbot.pipeline.bounces import note_bounce, read_bounce
from mailbot.storage.store import Store, iso

REPLY_ID = "<mailbot.0123456789abcdef0123456789abcdef@dops.wroc.pl>"
APPLICANT = "anna@kandydat.test"
SENT = datetime(2024, 5, 14, 10, 0, tzinfo=UTC)
ARRIVED = SENT + timedelta(minutes=3)
REASON = (
    "550 5.1.1 <anna@kandydat.test>: Recipient address rejected: User unknown in "
    "virtual mailbox table"
)


def postfix_dsn(
    *, returned_id: str | None = REPLY_ID, action: str = "failed", recipient: str = APPLICANT
) -> bytes:
    returned = f"Message-ID: {returned_id}\r\n" if returned_id else ""
    return (
        "From: MAILER-DAEMON@mx.urzad.test (Mail Delivery System)\r\n"
        "To: d.butryn@dops.wroc.pl\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Auto-Submitted: auto-replied\r\nMessage-ID: <20240514100300.A1@mx.urzad.test>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        "I'm sorry to have to inform you that your message could not\r\n"
        "be delivered to one or more recipients.\r\n\r\n"
        f"<{recipient}>: host 127.0.0.1[127.0.0.1] said: {REASON} (in reply to RCPT TO)\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.urzad.test\r\nArrival-Date: Tue, 14 May 2024 12:00:00 +0200\r\n"
        f"\r\nFinal-Recipient: rfc822; {recipient}\r\nOriginal-Recipient: rfc822;{recipient}\r\n"
        f"Action: {action}\r\nStatus: 5.1.1\r\nRemote-MTA: dns; 127.0.0.1\r\n"
        f"Diagnostic-Code: smtp; {REASON[:60]}\r\n    {REASON[60:]}\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: =?utf-8?q?Nab=C3=B3r?= <d.butryn@dops.wroc.pl>\r\nTo: {recipient}\r\n"
        f"{returned}Subject: =?utf-8?q?Nab=C3=B3r_DKRES?=\r\n\r\n--B--\r\n"
    ).encode()


def qmail_bounce() -> bytes:
    return (
        "From: MAILER-DAEMON@poczta.example.pl\r\nTo: d.butryn@dops.wroc.pl\r\n"
        "Subject: failure notice\r\nMessage-ID: <q1@poczta.example.pl>\r\n\r\n"
        "Hi. This is the qmail-send program at poczta.example.pl.\r\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\r\n\r\n"
        f"<{APPLICANT}>:\r\n550 5.1.1 mailbox unavailable\r\n\r\n"
        "--- Below this line is a copy of the message.\r\n\r\n"
        f"Message-ID: {REPLY_ID}\r\nSubject: Nabor\r\n\r\nDzien dobry\r\n"
    ).encode()


def out_of_office() -> bytes:
    return (
        f"From: Anna <{APPLICANT}>\r\nTo: d.butryn@dops.wroc.pl\r\n"
        "Subject: Automatyczna odpowiedź: Nabór DKRES\r\nAuto-Submitted: auto-replied\r\n"
        f"In-Reply-To: {REPLY_ID}\r\nReferences: {REPLY_ID}\r\n\r\nJestem na urlopie.\r\n"
    ).encode()


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "db.sqlite", tmp_path / "files") as s:
        pk = s.insert(
            "messages",
            {
                "message_id": "<a@kandydat.test>",
                "sha256": "0" * 64,
                "disposition": "application",
                "received_at": iso(SENT),
            },
        )
        s.insert(
            "replies",
            {
                "message_pk": pk,
                "template": "accepted",
                "to_addr": APPLICANT,
                "subject": "Nabór",
                "reply_message_id": REPLY_ID,
                "raw": b"x",
                "state": "sent",
                "attempts": 1,
                "queued_at": iso(SENT),
                "sent_at": iso(SENT),
            },
        )
        yield s


def bounce_in(store: Store, raw: bytes, arrived: datetime = ARRIVED) -> list:
    pk = store.insert(
        "messages",
        {
            "message_id": "<dsn@x>",
            "sha256": "1" * 64,
            "disposition": "ignored",
            "received_at": iso(arrived),
        },
    )
    return note_bounce(store, pk, parse_message(raw), raw, arrived)


def reply_row(store: Store) -> dict:
    return next(iter(store.db.query("SELECT * FROM replies")))


def test_a_dsn_quoting_the_reply_id_marks_it_bounced_with_the_remote_reason(store):
    [hit] = bounce_in(store, postfix_dsn())
    row = reply_row(store)
    assert row["state"] == "bounced"
    assert row["bounce_reason"] == REASON
    assert row["bounced_at"] == iso(ARRIVED)
    assert (
        store.db.execute("SELECT count(*) FROM events WHERE kind = 'reply_bounced'").fetchone()[0]
        == 1
    )
    assert hit.reply_id == row["id"]


def test_a_dsn_without_the_headers_matches_by_recipient_and_time(store):
    assert bounce_in(store, postfix_dsn(returned_id=None))
    assert reply_row(store)["state"] == "bounced"


def test_a_dsn_for_another_recipient_or_long_after_matches_nothing(store):
    assert bounce_in(store, postfix_dsn(returned_id=None, recipient="ktos@inny.test")) == []
    assert bounce_in(store, postfix_dsn(returned_id=None), arrived=SENT + timedelta(days=10)) == []
    assert reply_row(store)["state"] == "sent"


def test_a_delay_report_is_not_a_bounce(store):
    assert bounce_in(store, postfix_dsn(action="delayed")) == []
    assert reply_row(store)["state"] == "sent"


def test_a_non_standard_bounce_quoting_the_reply_is_recognised(store):
    assert bounce_in(store, qmail_bounce())
    row = reply_row(store)
    assert row["state"] == "bounced"
    assert row["bounce_reason"] == "550 5.1.1 mailbox unavailable"


def test_an_out_of_office_in_the_replys_thread_is_not_a_bounce(store):
    assert read_bounce(parse_message(out_of_office()), out_of_office()) is None
    assert bounce_in(store, out_of_office()) == []
    assert reply_row(store)["state"] == "sent"


def test_a_failed_reply_is_not_turned_into_bounced(store):
    store.db.execute("UPDATE replies SET state = 'failed'")
    assert bounce_in(store, postfix_dsn()) == []
    assert reply_row(store)["state"] == "failed"


def test_real_world_bounces_are_read_without_error():
    files = sorted(need_shared(CORPUS / "mime").glob("*.eml"))
    reports = {}
    for path in files:
        raw = path.read_bytes()
        reports[path.name] = read_bounce(parse_message(raw), raw)
    found = {name for name, report in reports.items() if report}
    assert "flanker_bounce_office365.eml" in found
    assert "enmime_testdata_delayed_dsn.eml" not in found
    office = reports["flanker_bounce_office365.eml"]
    assert office is not None and office.failed[0].address == "noname@example.com"
    assert office.failed[0].reason.startswith("550 5.1.10 RESOLVER.ADR.RecipientNotFound")
