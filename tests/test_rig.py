"""Tests of the test rig itself: the real Dovecot and aiosmtpd servers behave as the rig says."""

from __future__ import annotations

import imaplib
import smtplib
import socket
import ssl
import time
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
from imapclient import IMAPClient
from rig.dovecot import Dovecot, DovecotError
from rig.ports import free_port
from rig.smtp import SmtpSink

pytestmark = pytest.mark.integration

MSG = (
    b"From: Anna Kowalska <anna@example.pl>\r\n"
    b"To: nabor@example.pl\r\n"
    b"Subject: =?utf-8?q?Zg=C5=82oszenie?=\r\n"
    b"Message-ID: <rig-1@example.pl>\r\n"
    b"\r\n"
    b"Tre\xc5\x9b\xc4\x87.\r\n"
)


def mail(subject: str = "Odpowied\u017a", to: str = "anna@example.pl") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "nabor@example.pl"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content("Dzi\u0119kujemy za zg\u0142oszenie.\n")
    return msg


# ------------------------------------------------------------------------- Dovecot


def test_dovecot_layout(dovecot: Dovecot) -> None:
    assert dovecot.host == "127.0.0.1"
    assert dovecot.port != dovecot.ssl_port
    assert dovecot.running
    pidfile = dovecot.dir / "run" / "master.pid"  # type: ignore[operator]
    assert int(pidfile.read_text()) == dovecot.pid
    assert "starting up" in Path(dovecot.log_path).read_text()


def test_append_keeps_explicit_internaldate_tz_aware(dovecot: Dovecot, imap_user: str) -> None:
    warsaw_summer = timezone(timedelta(hours=2))
    when = datetime(2024, 5, 25, 0, 5, 7, tzinfo=warsaw_summer)  # 22:05:07 on 24 May UTC
    uid = dovecot.append(imap_user, MSG, internaldate=when)
    assert uid == 1
    client = IMAPClient(dovecot.host, dovecot.port, ssl=False, timeout=10)
    client.normalise_times = False
    with client:
        client.login(imap_user, dovecot.password)
        client.select_folder("INBOX", readonly=True)
        data = client.fetch([uid], ["INTERNALDATE", "BODY.PEEK[]"])[uid]
    got = data[b"INTERNALDATE"]
    assert got.utcoffset() is not None, "INTERNALDATE must come back tz-aware"
    assert got.utcoffset() == timedelta(0), "Dovecot reports INTERNALDATE in UTC"
    assert got == when
    assert got.astimezone(UTC) == datetime(2024, 5, 24, 22, 5, 7, tzinfo=UTC)
    assert data[b"BODY[]"] == MSG


def test_append_rejects_naive_internaldate(dovecot: Dovecot, imap_user: str) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        dovecot.append(imap_user, MSG, internaldate=datetime(2024, 5, 24, 12, 0))


def test_append_flags_folder_and_uids(dovecot: Dovecot, imap_user: str) -> None:
    when = datetime(2024, 5, 1, tzinfo=UTC)
    assert dovecot.append(imap_user, MSG, internaldate=when) == 1
    assert dovecot.append(imap_user, MSG, internaldate=when, flags=[b"\\Seen"]) == 2
    assert dovecot.append(imap_user, MSG, folder="Archiwum/2024", internaldate=when) == 1
    flags = dovecot.fetch_flags(imap_user)
    assert set(flags) == {1, 2}
    assert b"\\Seen" not in flags[1]
    assert b"\\Seen" in flags[2]
    assert dovecot.status(imap_user)["unseen"] == 1
    assert dovecot.status(imap_user, "Archiwum/2024")["messages"] == 1


def test_fetch_flags_does_not_set_seen(dovecot: Dovecot, imap_user: str) -> None:
    dovecot.append(imap_user, MSG, internaldate=datetime(2024, 5, 1, tzinfo=UTC))
    for _ in range(2):
        assert b"\\Seen" not in dovecot.fetch_flags(imap_user)[1]
    with dovecot.client(imap_user) as client:  # a non-PEEK fetch does set it: the check works
        client.select_folder("INBOX")
        client.fetch([1], ["BODY[]"])
    assert b"\\Seen" in dovecot.fetch_flags(imap_user)[1]
    assert dovecot.status(imap_user)["unseen"] == 0


def test_new_users_are_isolated(dovecot: Dovecot) -> None:
    first, second = dovecot.new_user(), dovecot.new_user("inny")
    assert first != second and second.startswith("inny")
    dovecot.append(first, MSG)
    assert dovecot.status(first)["messages"] == 1
    assert dovecot.status(second)["messages"] == 0


def test_deliver_and_status(dovecot: Dovecot, imap_user: str) -> None:
    empty = dovecot.status(imap_user)
    assert empty["messages"] == 0 and empty["unseen"] == 0
    assert empty["uidnext"] == 1 and empty["uidvalidity"] > 0
    dovecot.deliver(imap_user, MSG)
    dovecot.deliver(imap_user, MSG.replace(b"rig-1", b"rig-2"))
    dovecot.append(imap_user, MSG, flags=[b"\\Seen"])
    status = dovecot.status(imap_user)
    assert status == {"messages": 3, "unseen": 2, "uidvalidity": empty["uidvalidity"], "uidnext": 4}
    with dovecot.client(imap_user) as client:
        client.select_folder("INBOX", readonly=True)
        uids = client.search(["HEADER", "Message-ID", "rig-2"])
    assert uids == [2]


def test_deliver_to_other_folder(dovecot: Dovecot, imap_user: str) -> None:
    with dovecot.client(imap_user) as client:
        client.create_folder("Spam")
    dovecot.deliver(imap_user, MSG, folder="Spam")
    assert dovecot.status(imap_user, "Spam")["messages"] == 1
    assert dovecot.status(imap_user)["messages"] == 0


def test_restart_keeps_mail_and_ports(dovecot: Dovecot, imap_user: str) -> None:
    dovecot.append(imap_user, MSG, internaldate=datetime(2024, 5, 2, tzinfo=UTC))
    before = dovecot.status(imap_user)
    ports, old_pid = (dovecot.port, dovecot.ssl_port), dovecot.pid
    client = dovecot.client(imap_user)
    client.select_folder("INBOX")
    dovecot.restart()
    assert (dovecot.port, dovecot.ssl_port) == ports
    assert dovecot.pid != old_pid
    with pytest.raises((imaplib.IMAP4.abort, OSError)):
        client.noop()
    assert dovecot.status(imap_user) == before
    assert dovecot.fetch_flags(imap_user).keys() == {1}


def test_stop_refuses_connections(dovecot: Dovecot) -> None:
    dovecot.stop()
    try:
        assert not dovecot.running
        with pytest.raises(OSError):
            socket.create_connection((dovecot.host, dovecot.port), timeout=2).close()
    finally:
        dovecot.start()
    assert dovecot.running


def test_kick_drops_live_connection(dovecot: Dovecot, imap_user: str) -> None:
    other = dovecot.new_user()
    victim, bystander = dovecot.client(imap_user), dovecot.client(other)
    victim.select_folder("INBOX")
    bystander.select_folder("INBOX")
    victim.noop()
    dovecot.kick(imap_user)
    with pytest.raises((imaplib.IMAP4.abort, OSError)):
        for _ in range(20):  # the server closes asynchronously
            victim.noop()
            time.sleep(0.05)
    bystander.noop()  # other users keep their connections
    bystander.logout()
    dovecot.kick(imap_user)  # nobody connected: not an error


def test_reset_uidvalidity_changes_it_and_keeps_messages(dovecot: Dovecot, imap_user: str) -> None:
    for n in range(3):
        dovecot.append(
            imap_user,
            MSG.replace(b"rig-1", f"rig-u{n}".encode()),
            internaldate=datetime(2024, 5, 3, n, tzinfo=UTC),
        )
    before = dovecot.status(imap_user)
    dovecot.reset_uidvalidity(imap_user)
    after = dovecot.status(imap_user)
    assert after["uidvalidity"] != before["uidvalidity"]
    assert after["messages"] == 3
    with dovecot.client(imap_user) as client:
        client.select_folder("INBOX", readonly=True)
        assert (
            client.folder_status("INBOX", [b"UIDVALIDITY"])[b"UIDVALIDITY"] == after["uidvalidity"]
        )
        data = client.fetch(client.search(), ["INTERNALDATE"])
    assert sorted(d[b"INTERNALDATE"] for d in data.values()) == [
        datetime(2024, 5, 3, n, tzinfo=UTC) for n in range(3)
    ]


def test_reset_uidvalidity_of_other_folder(dovecot: Dovecot, imap_user: str) -> None:
    dovecot.append(imap_user, MSG, folder="Zgloszenia/Stare")
    dovecot.append(imap_user, MSG)
    inbox = dovecot.status(imap_user)["uidvalidity"]
    before = dovecot.status(imap_user, "Zgloszenia/Stare")["uidvalidity"]
    dovecot.reset_uidvalidity(imap_user, "Zgloszenia/Stare")
    after = dovecot.status(imap_user, "Zgloszenia/Stare")
    assert after["uidvalidity"] != before and after["messages"] == 1
    assert dovecot.status(imap_user)["uidvalidity"] == inbox


def test_starttls_verifies_with_cafile(dovecot: Dovecot, imap_user: str) -> None:
    context = ssl.create_default_context(cafile=dovecot.cafile)
    with IMAPClient(dovecot.host, dovecot.port, ssl=False, timeout=10) as client:
        assert b"STARTTLS" in client.capabilities()
        client.starttls(context)
        client.login(imap_user, dovecot.password)
        assert client.select_folder("INBOX")[b"EXISTS"] == 0


def test_implicit_tls_verifies_with_cafile(dovecot: Dovecot, imap_user: str) -> None:
    context = ssl.create_default_context(cafile=dovecot.cafile)
    with IMAPClient(
        dovecot.host, dovecot.ssl_port, ssl=True, ssl_context=context, timeout=10
    ) as client:
        client.login(imap_user, dovecot.password)
        assert b"IDLE" in client.capabilities() and b"UIDPLUS" in client.capabilities()
    with dovecot.client(imap_user, ssl=True) as client:
        client.noop()
    with dovecot.client(imap_user, starttls=True) as client:
        client.noop()


def test_tls_without_the_ca_is_rejected(dovecot: Dovecot) -> None:
    context = ssl.create_default_context()  # system CAs only: the self-signed cert fails
    with pytest.raises(ssl.SSLCertVerificationError):
        IMAPClient(dovecot.host, dovecot.ssl_port, ssl=True, ssl_context=context, timeout=10)


def test_wrong_password_fails_fast(dovecot: Dovecot, imap_user: str) -> None:
    start = time.monotonic()
    for _ in range(3):
        with (
            IMAPClient(dovecot.host, dovecot.port, ssl=False, timeout=10) as client,
            pytest.raises(IMAPClient.Error, match=r"(?i)authentication failed"),
        ):
            client.login(imap_user, dovecot.password + "x")
    # no auth penalty: the next good login is immediate
    with dovecot.client(imap_user) as client:
        client.noop()
    assert time.monotonic() - start < 2


def test_idle_wakes_on_append(dovecot: Dovecot, imap_user: str) -> None:
    with dovecot.client(imap_user) as client:
        client.select_folder("INBOX")
        client.idle()
        dovecot.append(imap_user, MSG)
        responses = client.idle_check(timeout=5)
        client.idle_done()
    assert any(r[1] == b"EXISTS" for r in responses if len(r) > 1), responses


# ------------------------------------------------------------------------- SMTP


def test_smtp_sink_receives(smtp_sink: SmtpSink) -> None:
    assert smtp_sink.host == "127.0.0.1"
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=10) as smtp:
        refused = smtp.send_message(
            mail(), from_addr="nabor@example.pl", to_addrs=["anna@example.pl", "jan@example.pl"]
        )
    assert refused == {}
    (got,) = smtp_sink.wait_for(1)
    assert got.mail_from == "nabor@example.pl"
    assert got.rcpt_tos == ["anna@example.pl", "jan@example.pl"]
    assert got.message["Subject"] == "Odpowied\u017a"
    assert got.message.get_content() == "Dzi\u0119kujemy za zg\u0142oszenie.\n"
    assert b"Subject: =?utf-8?q?Odpowied=C5=BA?=" in got.data


def test_wait_for_times_out_with_a_clear_error(smtp_sink: SmtpSink) -> None:
    start = time.monotonic()
    with pytest.raises(AssertionError, match="expected at least 1 message"):
        smtp_sink.wait_for(1, timeout=0.3)
    assert 0.25 < time.monotonic() - start < 2


def test_fail_next_then_recovers(smtp_sink: SmtpSink) -> None:
    smtp_sink.fail_next("451 4.3.0 try later", count=2)
    smtp_sink.fail_next("550 5.1.1 no such user")
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=10) as smtp:
        for code in (451, 451, 550):
            with pytest.raises(smtplib.SMTPDataError) as info:
                smtp.send_message(mail())
            assert info.value.smtp_code == code
        smtp.send_message(mail("po awarii"))
    (got,) = smtp_sink.wait_for(1)
    assert got.message["Subject"] == "po awarii"
    assert len(smtp_sink.messages) == 1


def test_stop_is_an_outage_and_start_restores_same_port(smtp_sink: SmtpSink) -> None:
    port = smtp_sink.port
    smtp_sink.stop()
    assert not smtp_sink.accepts_connections()
    with pytest.raises(OSError):
        smtplib.SMTP(smtp_sink.host, port, timeout=5)
    smtp_sink.start()
    assert smtp_sink.port == port
    with smtplib.SMTP(smtp_sink.host, port, timeout=10) as smtp:
        smtp.send_message(mail())
    assert len(smtp_sink.wait_for(1)) == 1


def test_sink_restart_twice_quickly() -> None:
    sink = SmtpSink(port=free_port())
    with sink:
        for _ in range(3):
            sink.stop()
            sink.start()
            with smtplib.SMTP(sink.host, sink.port, timeout=10) as smtp:
                assert smtp.noop()[0] == 250


def test_tls_sink_auth_with_right_credentials(smtp_sink_tls: SmtpSink) -> None:
    assert (smtp_sink_tls.username, smtp_sink_tls.password) == ("mailbot", "s3cret")
    context = ssl.create_default_context(cafile=smtp_sink_tls.cafile)
    with smtplib.SMTP(smtp_sink_tls.host, smtp_sink_tls.port, timeout=10) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("starttls")
        smtp.starttls(context=context)
        smtp.ehlo()
        smtp.login("mailbot", "s3cret")
        smtp.send_message(mail())
    (got,) = smtp_sink_tls.wait_for(1)
    assert got.auth_login == "mailbot"
    assert smtp_sink_tls.auth_attempts == [("mailbot", True)]


def test_tls_sink_rejects_wrong_credentials_promptly(smtp_sink_tls: SmtpSink) -> None:
    context = ssl.create_default_context(cafile=smtp_sink_tls.cafile)
    start = time.monotonic()
    with smtplib.SMTP(smtp_sink_tls.host, smtp_sink_tls.port, timeout=10) as smtp:
        smtp.starttls(context=context)
        with pytest.raises(smtplib.SMTPAuthenticationError) as info:
            smtp.login("mailbot", "wrong")
        assert info.value.smtp_code == 535
        # unauthenticated mail is refused too
        with pytest.raises(smtplib.SMTPSenderRefused):
            smtp.send_message(mail())
    assert time.monotonic() - start < 5, "a rejecting authenticator must not hang the client"
    assert smtp_sink_tls.messages == []
    assert smtp_sink_tls.auth_attempts[0] == ("mailbot", False)


def test_tls_sink_needs_starttls_before_auth(smtp_sink_tls: SmtpSink) -> None:
    with smtplib.SMTP(smtp_sink_tls.host, smtp_sink_tls.port, timeout=10) as smtp:
        smtp.ehlo()
        assert not smtp.has_extn("auth")  # AUTH only offered after STARTTLS
        with pytest.raises(smtplib.SMTPNotSupportedError):
            smtp.login("mailbot", "s3cret")


def test_tls_sink_cert_is_not_trusted_by_default(smtp_sink_tls: SmtpSink) -> None:
    with (
        smtplib.SMTP(smtp_sink_tls.host, smtp_sink_tls.port, timeout=10) as smtp,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        smtp.starttls(context=ssl.create_default_context())


def test_start_failure_reports_exit_code_and_log() -> None:
    other = Dovecot()
    try:
        other.start()
        port = other.port
        other.stop()
        with socket.socket() as blocker:  # someone else now holds the imap port
            blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            blocker.bind(("127.0.0.1", port))
            blocker.listen()
            with pytest.raises(DovecotError, match=r"exited with code 89[\s\S]*dovecot\.log"):
                other.start()
        assert not other.running
        other.start()  # the port is free again: same ports, mail kept
        assert other.port == port
    finally:
        other.cleanup()
    assert other.dir is None
