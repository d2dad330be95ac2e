"""Shared fixtures: a real Dovecot (IMAP) and real aiosmtpd (SMTP) servers on 127.0.0.1.

`dovecot` (session): one throw-away Dovecot per test session (per xdist worker).
`imap_user` (function): a fresh user name, i.e. an isolated empty mailbox on `dovecot`.
`smtp_sink` (function): plain SMTP sink, started; stopped after the test.
`smtp_sink_tls` (function): STARTTLS (self-signed cert, `.cafile`) + required AUTH
    `.username` "mailbot" / `.password` "s3cret".
Without the dovecot binary tests using `dovecot` are skipped, unless CI is set: then they fail.
"""

from __future__ import annotations

import os
import shutil
import ssl
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# the repository (mailbot, parsers, and the test modules as tests.mailbot.ops.test_review ...)
# and tests/ (the rig, the mailboxes and the other helpers the tests import by name)
if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if str(Path(__file__).resolve().parent) not in sys.path:  # pytest's rootdir insertion does this
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from rig.dovecot import Dovecot, DovecotError, dovecot_binary, make_cert
from rig.smtp import SmtpSink
from testdata import in_ci

SMTP_USER, SMTP_PASSWORD = "mailbot", "s3cret"


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if dovecot_binary() is None:
        message = "dovecot binary not found: apt-get install dovecot-imapd"
        if in_ci():
            pytest.fail(f"{message} (CI is set, so this is an error, not a skip)")
        pytest.skip(message)
    if os.geteuid() != 0:
        message = "the Dovecot rig needs root (mail processes run as nobody)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    server = Dovecot()
    try:
        server.start()
    except DovecotError as exc:
        server.cleanup()
        pytest.fail(f"Dovecot did not start: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def imap_user(dovecot: Dovecot) -> str:
    if not dovecot.running:  # an earlier test stopped it (outage test) and did not restart it
        dovecot.start()
    return dovecot.new_user()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture(scope="session")
def smtp_cert() -> Iterator[tuple[str, str]]:
    """(cert.pem, key.pem): a self-signed EC cert for localhost / 127.0.0.1."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl not found")
    path = Path(tempfile.mkdtemp(prefix="mailbot-smtp-cert-"))
    cert, key = path / "cert.pem", path / "key.pem"
    make_cert(cert, key)
    try:
        yield str(cert), str(key)
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def smtp_sink_tls(smtp_cert: tuple[str, str]) -> Iterator[SmtpSink]:
    cert, key = smtp_cert
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sink = SmtpSink(tls_context=context, username=SMTP_USER, password=SMTP_PASSWORD, cafile=cert)
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """On failure of a test that used Dovecot, attach the tail of its log to the report."""
    outcome = yield
    report = outcome.get_result()
    server = getattr(item, "funcargs", {}).get("dovecot")
    if report.failed and isinstance(server, Dovecot) and server.log_path:
        report.sections.append(("dovecot log", server.log_tail(30)))
