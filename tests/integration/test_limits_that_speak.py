"""Limits that speak, through a real Dovecot, aiosmtpd and SQLite file.

- A message over ``limits.max_parts`` (500 attachments, 100 parts read) is not silently cut:
  its application goes to a person with a problem the coordinator sees (Do zrobienia, the
  note, the digest) and the message is kept whole.
- A NUL in a header, which Dovecot hands out as 0x80, and message-ids that are long or not
  ASCII: the subject stays UTF-8 (no windows-1250 garbage) and the reply's headers carry no
  8-bit byte, no NUL and no RFC 2047 word — In-Reply-To and References hold the ASCII ids.
- After an SMTP outage, `mailbot run` sends the queued reply within a minute of the server's
  return, with the scheduled poll an hour away.
"""

from __future__ import annotations

import contextlib
import email
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from mailbot.ops.digest import build_digest
from mailbot.ops.review import attention
from mailbot.storage.store import Store

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration
WARSAW = ZoneInfo("Europe/Warsaw")
CALL = "d.butryn@dops.wroc.pl"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OUTLOOK_ID = (
    "<AM9PR10MB4166A1B2C3D4E5F6A7B8C9D0E1F2A3B4C5D6E7F8@AM9PR10MB4166.EURPRD10.PROD.OUTLOOK.COM>"
)


@contextlib.contextmanager
def _db(config):
    db = sqlite3.connect(config.storage.database)
    try:
        yield db
    finally:
        db.close()


def test_a_message_over_max_parts_goes_to_a_person_with_a_problem(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    config = load_config(write_config(tmp_path, dovecot, imap_user, smtp_sink))
    msg = EmailMessage()
    msg["From"] = "Anna Kowalska <a.kowalska@cis-olawa.example.pl>"
    msg["To"] = CALL
    msg["Subject"] = "Zgłoszenie do grupy roboczej"
    msg["Date"] = "Tue, 14 May 2024 10:00:00 +0200"
    msg["Message-ID"] = "<piecset@cis-olawa.example.pl>"
    msg.set_content("W załączeniu formularz i dokumenty.")
    msg.add_attachment(
        samples.filled_docx(samples.Applicant()),
        maintype="application",
        subtype=DOCX.split("/")[1],
        filename="formularz.docx",
    )
    for i in range(499):
        msg.add_attachment(f"zalacznik {i}\n".encode(), "text", "plain", filename=f"z{i}.txt")
    raw = msg.as_bytes()
    dovecot.append(imap_user, raw, internaldate=datetime(2024, 5, 14, 10, tzinfo=WARSAW))
    report = jobs.poll(config)
    assert report.ok, report.problem()

    with _db(config) as db:
        status, problems, notes, raw_file, app_pk, ref = db.execute(
            "SELECT a.status, a.problems, a.notes, m.raw_file, a.id, a.reference "
            "FROM applications a JOIN messages m ON m.id = a.message_pk"
        ).fetchone()
        stored = db.execute("SELECT count(*) FROM attachments").fetchone()[0]
    print(f"\n500 attachments: {stored} stored as files, status {status}, problems {problems}")
    assert status == "needs_review"
    assert "parts_not_read" in problems
    assert "więcej niż 100 części" in notes
    # the message itself is kept whole: every attachment is in the stored copy
    kept = email.message_from_bytes((config.storage.files / raw_file).read_bytes())
    assert sum(1 for p in kept.walk() if p.get_filename()) == 500
    # the coordinator sees it: Do zrobienia, the digest
    with Store(config.storage.database, config.storage.files) as store:
        items = [i for i in attention(config, store) if i.item == f"application:{app_pk}"]
        digest = build_digest(config, store)
    assert items and "więcej części" in items[0].detail
    assert ref in digest.text and "więcej niż 100 części" in digest.text
    # the applicant is told a person will look, in words that fit (not "could not be read")
    (reply,) = smtp_sink.wait_for(1)
    body = " ".join(reply.message.get_body().get_content().split())
    assert "przeglądając wiadomość w całości" in body
    assert "nie udało się odczytać" not in body


def test_a_nul_in_headers_and_long_message_ids_never_reach_a_reply_header(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    config = load_config(write_config(tmp_path, dovecot, imap_user, smtp_sink))
    form = samples.email_with(
        "Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
        "x",
        "W załączeniu formularz zgłoszeniowy.",
        to=CALL,
        date=datetime(2024, 5, 14, 10, tzinfo=WARSAW),
        attachments=(("formularz.docx", samples.filled_docx(samples.Applicant()), DOCX),),
    )
    head, body = form.split(b"\n\n", 1)
    head = re.sub(rb"(?m)^(Subject|Message-ID): .*\n", b"", head)
    head += (
        "\nSubject: Zgłoszenie\x00 do grupy roboczej nr 4"
        f"\nMessage-ID: {OUTLOOK_ID}"
        "\nIn-Reply-To: <pytanie\x00@cis-olawa.example.pl>"
        "\nReferences: <r1@example.pl> <r\u0105\x002@example.pl> <dawne@cis-olawa.example.pl>"
    ).encode()
    dovecot.deliver(imap_user, head + b"\n\n" + body)
    with dovecot.client(imap_user) as client:  # what Dovecot hands out for the NUL
        client.select_folder("INBOX", readonly=True)
        (fetched,) = client.fetch(client.search("ALL"), ["BODY.PEEK[HEADER]"]).values()
    assert b"Zg\xc5\x82oszenie\x80 do" in fetched[b"BODY[HEADER]"]

    assert jobs.poll(config).ok
    with _db(config) as db:
        (subject,) = db.execute("SELECT subject FROM messages").fetchone()
    assert subject == "Zgłoszenie do grupy roboczej nr 4"
    (reply,) = smtp_sink.wait_for(1)
    headers = reply.data.split(b"\r\n\r\n", 1)[0]
    assert all(b < 0x80 for b in headers) and b"\x00" not in headers
    unfolded = re.sub(rb"\r\n[ \t]+", b" ", headers).decode("ascii").replace("\r", "")
    in_reply_to = re.search(r"(?im)^In-Reply-To: (.*)$", unfolded).group(1)
    references = re.search(r"(?im)^References: (.*)$", unfolded).group(1)
    assert in_reply_to == OUTLOOK_ID
    assert "=?" not in in_reply_to and "=?" not in references
    assert references.split() == [
        "<r1@example.pl>",
        "<dawne@cis-olawa.example.pl>",
        "<pytanie@cis-olawa.example.pl>",
        OUTLOOK_ID,
    ]
    text = " ".join(reply.message.get_body().get_content().split())
    assert "Zgłoszenie do grupy roboczej nr 4" in text
    assert "€" not in text and "Ĺ" not in text


def test_after_an_smtp_outage_queued_replies_go_within_a_minute(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink, poll_minutes=60)
    # no digest, and no IMAP IDLE: its pass on connecting must not stand in for the retry
    path.write_text(
        path.read_text()
        .replace('recipients = ["koordynator@dops.example.pl"]', "recipients = []")
        .replace("poll_minutes = 60", "poll_minutes = 60\nidle = false")
    )
    smtp_sink.stop()  # the outage
    dovecot.append(
        imap_user,
        samples.email_with(
            "Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
            "Zgłoszenie do naboru",
            "W załączeniu formularz zgłoszeniowy.",
            to=CALL,
            date=datetime(2024, 5, 14, 10, tzinfo=WARSAW),
            attachments=(("formularz.docx", samples.filled_docx(samples.Applicant()), DOCX),),
        ),
        internaldate=datetime(2024, 5, 14, 10, tzinfo=WARSAW),
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "mailbot", "--config", str(path), "run"],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    config = load_config(path)
    try:
        deadline = time.monotonic() + 60
        while True:  # the start-up pass stores the application; its reply stays queued
            assert worker.poll() is None and time.monotonic() < deadline
            row = None
            if config.storage.database.exists():
                with contextlib.suppress(sqlite3.OperationalError), _db(config) as db:
                    row = db.execute("SELECT state, last_error FROM replies").fetchone()
                if row and row[1]:
                    break
            time.sleep(0.2)
        assert row[0] == "queued"
        smtp_sink.start()  # the server is back
        back = time.monotonic()
        smtp_sink.wait_for(1, timeout=75)
        latency = time.monotonic() - back
    finally:
        worker.send_signal(signal.SIGTERM)
        _out, err = worker.communicate(timeout=60)
    print(f"\nqueued reply sent {latency:.1f} s after the SMTP server came back")
    assert latency < 60
    assert "trying again every" in err
    with _db(config) as db:
        assert db.execute("SELECT state FROM replies").fetchone()[0] == "sent"
