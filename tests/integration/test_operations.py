"""Operating mailbot against real servers: outages, UIDVALIDITY, the worker, the digest."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from mailbot.ops.export import export_json

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration

WARSAW = ZoneInfo("Europe/Warsaw")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def application(i: int, *, email: str | None = None) -> bytes:
    person = samples.Applicant(full_name=f"Osoba {i}", email=email or f"osoba{i}@example.pl")
    return samples.email_with(
        f"Osoba {i} <{person.email}>",
        "Zgłoszenie",
        "W załączeniu.",
        to="d.butryn@dops.wroc.pl",
        date=datetime(2024, 5, 14, 10, i),
        attachments=(("f.docx", samples.filled_docx(person), DOCX),),
    )


def when(day: int = 14, hour: int = 10) -> datetime:
    return datetime(2024, 5, day, hour, 0, tzinfo=WARSAW)


@pytest.fixture
def setup(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    return load_config(path), path


def exported(config) -> dict:
    with jobs.open_store(config) as store:
        return json.loads(export_json(store, WARSAW))


def test_smtp_outage_then_recovery_sends_each_reply_once(dovecot, imap_user, smtp_sink, setup):
    config, _ = setup
    for i in range(3):
        dovecot.append(imap_user, application(i), internaldate=when())
    smtp_sink.stop()
    down = jobs.poll(config)
    assert down.mailbox_error is None
    assert down.replies is not None and down.replies.sent == 0 and down.replies.pending == 3
    assert "queued" in (down.problem() or "")
    # the applications are stored although no reply could be sent
    assert [a["status"] for a in exported(config)["applications"]] == ["accepted"] * 3
    smtp_sink.start()
    up = jobs.poll(config)
    assert up.ok and up.replies is not None and up.replies.sent == 3
    assert len(smtp_sink.wait_for(3)) == 3
    again = jobs.poll(config)
    assert again.replies is not None and again.replies.sent == 0
    time.sleep(0.3)
    assert len(smtp_sink.messages) == 3


def test_temporary_and_permanent_smtp_refusals(dovecot, imap_user, smtp_sink, setup):
    config, _ = setup
    dovecot.append(imap_user, application(1), internaldate=when())
    dovecot.append(imap_user, application(2), internaldate=when())
    smtp_sink.fail_next("451 4.3.0 try again later", 1)
    first = jobs.poll(config)
    assert first.replies is not None
    assert (first.replies.sent, first.replies.deferred) == (1, 1)
    # the deferred reply waits for its backoff; make it due now
    with jobs.open_store(config) as store, store.transaction():
        store.db.execute("UPDATE replies SET next_attempt_at = NULL")
    smtp_sink.fail_next("550 5.1.1 mailbox unavailable", 1)
    dovecot.append(imap_user, application(3), internaldate=when())
    second = jobs.poll(config)
    assert second.replies is not None
    assert second.replies.sent + second.replies.failed == 2
    with jobs.open_store(config) as store:
        states = dict(
            store.db.execute("SELECT state, count(*) FROM replies GROUP BY state").fetchall()
        )
        failed = store.db.execute(
            "SELECT last_error FROM replies WHERE state = 'failed'"
        ).fetchone()[0]
        from mailbot.ops.digest import build_digest

        digest = build_digest(config, store)
    assert states == {"sent": 2, "failed": 1}
    assert failed.startswith("550")
    assert "odpowiedź niedostarczona" in digest.text


def test_uidvalidity_change_reprocesses_nothing(dovecot, imap_user, smtp_sink, setup):
    config, _ = setup
    for i in range(3):
        dovecot.append(imap_user, application(i), internaldate=when())
    assert jobs.poll(config).messages.processed == 3
    before = dovecot.status(imap_user)["uidvalidity"]
    dovecot.reset_uidvalidity(imap_user)
    assert dovecot.status(imap_user)["uidvalidity"] != before
    dovecot.append(imap_user, application(9), internaldate=when())
    report = jobs.poll(config)
    assert report.ok
    assert report.messages.processed == 1 and report.messages.skipped == 3
    with jobs.open_store(config) as store:
        kinds = [r[0] for r in store.db.execute("SELECT kind FROM events ORDER BY id")]
    assert "uidvalidity_changed" in kinds
    assert len(exported(config)["messages"]) == 4
    assert len(smtp_sink.wait_for(4)) == 4
    time.sleep(0.3)
    assert len(smtp_sink.messages) == 4


def test_worker_polls_sends_digest_once_and_stops_on_sigterm(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    # a digest time long past today: the worker finds today's digest missed and sends it
    path.write_text(path.read_text().replace('at = "07:30"', 'at = "00:00"'))
    dovecot.append(imap_user, application(1), internaldate=when())

    def start():
        return subprocess.Popen(
            [sys.executable, "-m", "mailbot", "--config", str(path), "run"],
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    worker = start()
    try:
        got = smtp_sink.wait_for(2, timeout=30)
    finally:
        worker.send_signal(signal.SIGTERM)
        _out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    recipients = sorted(r.rcpt_tos[0] for r in got)
    assert recipients == ["koordynator@dops.example.pl", "osoba1@example.pl"]
    digest = next(r for r in got if r.rcpt_tos[0] == "koordynator@dops.example.pl")
    assert digest.message["X-Mailbot-Reply"] == "digest"
    assert digest.message.get_body(("html",)) is not None

    # started again the same day: no second digest, no second reply
    worker = start()
    time.sleep(4)
    worker.send_signal(signal.SIGINT)
    worker.communicate(timeout=30)
    assert worker.returncode == 0
    assert len(smtp_sink.messages) == 2


def test_digest_command_prints_and_sends_once_a_day(dovecot, imap_user, smtp_sink, setup):
    config, path = setup
    dovecot.append(imap_user, application(1), internaldate=when())
    dovecot.append(
        imap_user,
        samples.email_with(
            "Skan <skan@example.pl>",
            "skan",
            "x",
            to="d.butryn@dops.wroc.pl",
            date=when(),
            attachments=(("skan.pdf", samples.scanned_pdf(), "application/pdf"),),
        ),
        internaldate=when(),
    )
    jobs.poll(config)
    run = [sys.executable, "-m", "mailbot", "--config", str(path), "digest"]
    printed = subprocess.run(run, capture_output=True, text=True, timeout=60)
    assert printed.returncode == 0, printed.stderr
    assert "Osoba 1" in printed.stdout and "skan@example.pl" in printed.stdout
    sent = subprocess.run([*run, "--send"], capture_output=True, text=True, timeout=60)
    assert sent.returncode == 0 and "sent" in sent.stdout
    again = subprocess.run([*run, "--send"], capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "already" in again.stdout
    time.sleep(0.3)
    digests = [r for r in smtp_sink.messages if r.rcpt_tos == ["koordynator@dops.example.pl"]]
    assert len(digests) == 1


@pytest.mark.parametrize("server_moves", [True, False])
def test_archive_folder_moves_only_our_stored_and_answered_mail(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch, server_moves
):
    from imapclient import IMAPClient

    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    path.write_text(
        path.read_text().replace(
            'password_env = "MAILBOT_TEST_IMAP_PASSWORD"',
            'password_env = "MAILBOT_TEST_IMAP_PASSWORD"\narchive_folder = "Przetworzone"',
            1,
        )
    )
    config = load_config(path)
    if not server_moves:  # a server without MOVE: COPY + \Deleted + UID EXPUNGE of our UIDs
        real = IMAPClient.capabilities
        monkeypatch.setattr(
            IMAPClient, "capabilities", lambda self: tuple(c for c in real(self) if c != b"MOVE")
        )
    # the first message is flagged \Deleted by another client; its reply will be deferred
    # (451), so mailbot may not archive it yet: an expunge must not take it with the others
    first_uid = dovecot.append(
        imap_user, application(0), internaldate=when(), flags=(b"\\Deleted",)
    )
    for i in range(1, 3):
        dovecot.append(imap_user, application(i), internaldate=when())
    smtp_sink.fail_next("451 4.3.0 try again later", 1)
    first = jobs.poll(config)
    assert first.ok and first.messages.processed == 3
    assert first.replies is not None and (first.replies.sent, first.replies.deferred) == (2, 1)
    assert list(dovecot.fetch_flags(imap_user)) == [first_uid]
    assert dovecot.status(imap_user, "Przetworzone")["messages"] == 2
    with jobs.open_store(config) as store, store.transaction():
        store.db.execute("UPDATE replies SET next_attempt_at = NULL")
    second = jobs.poll(config)
    assert second.ok and second.replies is not None and second.replies.sent == 1
    assert dovecot.fetch_flags(imap_user) == {}
    assert dovecot.status(imap_user, "Przetworzone")["messages"] == 3
    with jobs.open_store(config) as store:
        assert (
            store.db.execute("SELECT count(*) FROM messages WHERE archived = 1").fetchone()[0] == 3
        )
    third = jobs.poll(config)
    assert third.ok and third.messages.processed == 0


def test_smtp_starttls_with_login_and_a_wrong_password(
    tmp_path, dovecot, imap_user, smtp_sink_tls, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink_tls)
    path.write_text(
        path.read_text().replace(
            'security = "none"\ntimeout = 10',
            f'security = "starttls"\nca_file = "{smtp_sink_tls.cafile}"\n'
            f'username = "{smtp_sink_tls.username}"\npassword_env = "MAILBOT_TEST_SMTP_PASSWORD"\n'
            "timeout = 10",
        )
    )
    config = load_config(path)
    dovecot.append(imap_user, application(1), internaldate=when())
    monkeypatch.setenv("MAILBOT_TEST_SMTP_PASSWORD", "wrong")
    refused = jobs.poll(config)
    assert refused.replies is not None and refused.replies.pending == 1
    assert "login" in (refused.problem() or "")  # kept queued, not marked failed
    monkeypatch.setenv("MAILBOT_TEST_SMTP_PASSWORD", smtp_sink_tls.password)
    sent = jobs.poll(config)
    assert sent.ok and sent.replies is not None and sent.replies.sent == 1
    (reply,) = smtp_sink_tls.wait_for(1)
    assert reply.rcpt_tos == ["osoba1@example.pl"]
