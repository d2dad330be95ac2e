"""The sending side against a real aiosmtpd on 127.0.0.1 and a real SQLite file.

Applications are imported from .eml files (``mailbot import``'s library call), their replies
sent to aiosmtpd; what the server saw (EHLO name, recipients, SMTPUTF8, QUIT, the bytes) and
what the outbox recorded are asserted. One reply that cannot be sent never holds up the rest.
"""

from __future__ import annotations

import email.utils
import socket
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rig.smtp import SmtpSink

from mailbot.config import load_config
from mailbot.mail.outbox import MAX_TEMPORARY_ATTEMPTS, send_pending
from mailbot.mail.transport import SmtpTransport
from mailbot.ops import jobs, samples

from .helpers import REPO

pytestmark = pytest.mark.integration

CALL = "d.butryn@dops.wroc.pl"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REFUSAL = "550 5.1.1 <nikt@example.pl>: Recipient address rejected: User unknown"


class Recorder:
    """Wraps the sink's handler: records EHLO names and QUITs, refuses or drops on demand."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.ehlo: list[str] = []
        self.quits = 0
        self.refuse: dict[str, str] = {}  # recipient -> RCPT answer
        self.drop_data_for: set[str] = set()  # recipients whose DATA drops the connection

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.ehlo.append(hostname)
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drop_data_for & set(envelope.rcpt_tos):
            server.transport.close()
            return "421 dropped"
        return await self.inner.handle_DATA(server, session, envelope)

    async def handle_QUIT(self, server, session, envelope):
        self.quits += 1
        return "221 Bye"


def record_on(sink) -> Recorder:
    controller = sink._controller
    assert controller is not None
    recorder = Recorder(controller.handler)
    controller.handler = recorder
    return recorder


def config_for(tmp: Path, sink, smtp_extra: str = "") -> Path:
    call = (REPO / "config.toml").read_text(encoding="utf-8").split("[imap]")[0]
    path = tmp / "config.toml"
    path.write_text(
        call
        + f"""
[smtp]
host = "{sink.host}"
port = {sink.port}
security = "none"
timeout = 10
{smtp_extra}

[storage]
database = "state/mailbot.db"
files = "state/files"
lock = "state/mailbot.lock"
""",
        encoding="utf-8",
    )
    return path


def application_eml(folder: Path, sender: str, name: str, *, raw_8bit: bool = False) -> Path:
    """A person's application with the filled Word form; ``raw_8bit``: From and Subject in
    raw UTF-8, as swaks and some webmails send them."""
    docx = samples.filled_docx(samples.Applicant(full_name=name, email=None))
    data = samples.email_with(
        f"Osoba <{sender if sender.isascii() else 'x@example.com'}>",
        "Zgłoszenie do naboru",
        "Dzień dobry,\nw załączeniu formularz.",
        to=CALL,
        date=datetime(2024, 5, 14, 10, 0, tzinfo=UTC),
        attachments=(("formularz.docx", docx, DOCX_TYPE),),
    )
    if raw_8bit:
        head, body = data.split(b"\n\n", 1)
        lines = [ln for ln in head.split(b"\n") if not ln.startswith((b"From:", b"Subject:"))]
        lines += [
            f"From: Jøran Ødegård <{sender}>".encode(),
            "Subject: Pytanie o nabór – zgłoszenie".encode(),
        ]
        data = b"\n".join(lines) + b"\n\n" + body
    path = folder / f"{name.replace(' ', '_')}.eml"
    path.write_bytes(data)
    return path


def replies(config: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(str(config.parent / "state" / "mailbot.db"))
    conn.row_factory = sqlite3.Row
    try:
        return list(conn.execute("SELECT * FROM replies ORDER BY id"))
    finally:
        conn.close()


def test_reply_headers_helo_date_display_name_and_line_length(tmp_path, smtp_sink):
    recorder = record_on(smtp_sink)
    config_path = config_for(
        tmp_path, smtp_sink, 'helo = "mailbot.dops.wroc.pl"\nfrom_name = "Nabór DKRES 2024"'
    )
    inbox = tmp_path / "in"
    inbox.mkdir()
    application_eml(inbox, "anna@example.pl", "Anna Nowak")
    report = jobs.import_paths(load_config(config_path), [inbox])
    assert report.replies is not None and report.replies.sent == 1
    [got] = smtp_sink.wait_for(1)
    assert recorder.ehlo == ["mailbot.dops.wroc.pl"]
    assert recorder.quits == 1  # the session ended with QUIT
    assert email.utils.parseaddr(got.message["From"]) == ("Nabór DKRES 2024", CALL)
    date = email.utils.parsedate_to_datetime(got.message["Date"])
    # the call's zone's offset at the moment of sending (+01:00 in winter, +02:00 in summer)
    assert date.utcoffset() == datetime.now(ZoneInfo("Europe/Warsaw")).utcoffset()
    assert got.message["Content-Transfer-Encoding"] == "quoted-printable"
    lines = got.data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 76, max(lines, key=len)


def test_default_helo_is_the_hosts_fqdn(tmp_path, smtp_sink):
    recorder = record_on(smtp_sink)
    inbox = tmp_path / "in"
    inbox.mkdir()
    application_eml(inbox, "anna@example.pl", "Anna Nowak")
    jobs.import_paths(load_config(config_for(tmp_path, smtp_sink)), [inbox])
    assert recorder.ehlo == [socket.getfqdn()]


def test_international_sender_is_answered_intact_over_smtputf8(tmp_path, smtp_sink):
    config_path = config_for(tmp_path, smtp_sink)
    inbox = tmp_path / "in"
    inbox.mkdir()
    application_eml(inbox, "jøran@example.com", "Joran Odegard", raw_8bit=True)
    report = jobs.import_paths(load_config(config_path), [inbox])
    assert report.replies is not None and report.replies.sent == 1, report.summary()
    [got] = smtp_sink.wait_for(1)
    assert got.rcpt_tos == ["jøran@example.com"]
    assert "To: jøran@example.com".encode() in got.data  # RFC 6532: raw UTF-8, not mangled
    assert (
        "Pytanie o nabór – zgłoszenie" in got.message["Subject"]
        or "Pytanie o nabór" in got.message.get_content()
    )
    [row] = replies(config_path)
    assert row["to_addr"] == "jøran@example.com" and row["state"] == "sent"


def test_without_smtputf8_that_reply_fails_with_its_reason_and_the_rest_go_out(tmp_path):
    with SmtpSink(enable_SMTPUTF8=False) as sink:
        config_path = config_for(tmp_path, sink)
        inbox = tmp_path / "in"
        inbox.mkdir()
        application_eml(inbox, "jøran@example.com", "A Joran", raw_8bit=True)
        application_eml(inbox, "zofia@example.pl", "B Zofia")
        report = jobs.import_paths(load_config(config_path), [inbox])
        assert report.replies is not None
        assert (report.replies.sent, report.replies.failed) == (1, 1)
        got = sink.wait_for(1)
        assert [m.rcpt_tos for m in got] == [["zofia@example.pl"]]
    by_to = {r["to_addr"]: r for r in replies(config_path)}
    assert by_to["jøran@example.com"]["state"] == "failed"
    assert "SMTPUTF8" in by_to["jøran@example.com"]["last_error"]
    assert by_to["zofia@example.pl"]["state"] == "sent"


def test_refusal_keeps_the_servers_words_and_quits(tmp_path, smtp_sink):
    recorder = record_on(smtp_sink)
    recorder.refuse["nikt@example.pl"] = REFUSAL
    config_path = config_for(tmp_path, smtp_sink)
    inbox = tmp_path / "in"
    inbox.mkdir()
    application_eml(inbox, "nikt@example.pl", "A Nikt")
    application_eml(inbox, "ewa@example.pl", "B Ewa")
    report = jobs.import_paths(load_config(config_path), [inbox])
    assert report.replies is not None
    assert (report.replies.sent, report.replies.failed) == (1, 1)
    by_to = {r["to_addr"]: r for r in replies(config_path)}
    assert by_to["nikt@example.pl"]["state"] == "failed"
    assert by_to["nikt@example.pl"]["last_error"] == REFUSAL
    # QUIT after the refusal, and QUIT at the end of the second session
    assert recorder.quits == 2


def test_a_reply_that_always_drops_the_connection_is_bounded_and_starves_nobody(
    tmp_path, smtp_sink
):
    recorder = record_on(smtp_sink)
    recorder.drop_data_for.add("pech@example.pl")
    config_path = config_for(tmp_path, smtp_sink)
    inbox = tmp_path / "in"
    inbox.mkdir()
    application_eml(inbox, "pech@example.pl", "A Pech")  # queued first
    application_eml(inbox, "ola@example.pl", "B Ola")
    config = load_config(config_path)
    report = jobs.import_paths(config, [inbox])
    assert report.replies is not None
    assert (report.replies.sent, report.replies.deferred) == (1, 1), report.summary()
    assert [m.rcpt_tos for m in smtp_sink.wait_for(1)] == [["ola@example.pl"]]
    # later passes, each when the dropped reply is due again: it is given up, with its reason
    assert config.smtp is not None
    moment = datetime.now(UTC)
    for _ in range(MAX_TEMPORARY_ATTEMPTS + 2):
        moment += timedelta(days=1)
        with jobs.open_store(config) as store:
            transport = SmtpTransport(config.smtp)
            try:
                send_pending(store, transport, CALL, now=moment)
            finally:
                transport.close()
    [row] = [r for r in replies(config_path) if r["to_addr"] == "pech@example.pl"]
    assert row["state"] == "failed"
    assert row["attempts"] == MAX_TEMPORARY_ATTEMPTS
    assert "closed the connection" in row["last_error"]
