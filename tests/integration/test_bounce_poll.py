"""A reply the SMTP server took and a later hop refused: its bounce, delivered into the real
Dovecot mailbox, marks the reply ``bounced`` on the next poll; the digest lists the applicant
as unreachable and the export shows the reply state. The bounce itself stays ``ignored``."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from mailbot.ops.digest import build_digest
from mailbot.ops.export import export_json

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration

CALL = "d.butryn@dops.wroc.pl"
APPLICANT = "anna.nowak@kandydat.test"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WARSAW = ZoneInfo("Europe/Warsaw")
REASON = "550 5.1.1 <anna.nowak@kandydat.test>: Recipient address rejected: User unknown"


def dsn(reply_message_id: str) -> bytes:
    """A DSN as Postfix writes it, returning the reply's headers."""
    return (
        "From: MAILER-DAEMON@mx.dops.wroc.pl (Mail Delivery System)\r\n"
        f"To: {CALL}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Auto-Submitted: auto-replied\r\nMessage-ID: <bounce.1@mx.dops.wroc.pl>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.dops.wroc.pl\r\n\r\n"
        f"Final-Recipient: rfc822; {APPLICANT}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"Diagnostic-Code: smtp; {REASON}\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: {CALL}\r\nTo: {APPLICANT}\r\nMessage-ID: {reply_message_id}\r\n"
        "Subject: DKRES\r\n\r\n--B--\r\n"
    ).encode()


def test_a_bounce_of_a_sent_reply_marks_it_bounced(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    config = load_config(write_config(tmp_path, dovecot, imap_user, smtp_sink))
    form = samples.filled_docx(samples.Applicant(full_name="Anna Nowak", email=APPLICANT))
    dovecot.append(
        imap_user,
        samples.email_with(
            f"Anna Nowak <{APPLICANT}>",
            "Zgłoszenie do naboru",
            "W załączeniu formularz.",
            to=CALL,
            date=datetime(2024, 5, 14, 10, 0, tzinfo=WARSAW),
            attachments=(("formularz.docx", form, DOCX_TYPE),),
        ),
        internaldate=datetime(2024, 5, 14, 10, 1, tzinfo=WARSAW),
    )
    first = jobs.poll(config)
    assert first.replies is not None and first.replies.sent == 1, first.summary()
    [reply] = smtp_sink.wait_for(1)
    reply_id = reply.message["Message-ID"]

    dovecot.deliver(imap_user, dsn(reply_id))
    second = jobs.poll(config)
    assert second.ok, second.problem()
    assert len(smtp_sink.messages) == 1  # nothing answers the bounce

    with jobs.open_store(config) as store:
        data = json.loads(export_json(store, WARSAW))
        row = store.db.execute("SELECT state, bounce_reason FROM replies").fetchone()
        digest = build_digest(config, store)
    assert tuple(row) == ("bounced", REASON)
    by_disposition = {m["disposition"]: m for m in data["messages"]}
    assert by_disposition["ignored"]["replied"] is False
    assert by_disposition["application"]["reply_state"] == "bounced"
    assert by_disposition["application"]["reply_error"] == REASON
    assert data["applications"][0]["reply_state"] == "bounced"
    assert APPLICANT in digest.text
    # said in Polish, the server's own words kept after "serwer:"
    assert f"odpowiedź nie dotarła – adres nie istnieje (serwer: {REASON})" in " ".join(
        digest.text.split()
    )
