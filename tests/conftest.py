"""The servers every test talks to, all real and on 127.0.0.1 (tests/rig/ starts them).

`dovecot` (session): one throw-away Dovecot per test session (per xdist worker).
`imap_user` (function): a fresh user name, i.e. an isolated empty mailbox on `dovecot`.
`plain_dovecot` (module): a Dovecot that offers neither IDLE nor MOVE (users by `.new_user()`).
`oauth_dovecot` (module): a Dovecot that takes only bearer tokens (tests/rig/oauth2.py).
`cyrus` (module): Cyrus IMAP 3.6 with `idled` (tests/rig/cyrus.py).
`smtp_sink` (function): plain SMTP sink, started; stopped after the test.
`smtp_login` (function): an SMTP sink without TLS that requires AUTH "mailbot" / "s3cret".
`smtp_sink_tls` (function): STARTTLS (self-signed cert, `.cafile`) + required AUTH
    `.username` "mailbot" / `.password` "s3cret".
`oauth_smtp` (function): STARTTLS + only XOAUTH2 / OAUTHBEARER, with `oauth_dovecot`'s tokens.
Without the server's software (or root) its tests are skipped, unless CI is set: then they fail.
"""

from __future__ import annotations

import os
import shutil
import ssl
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest

# the repository (mailbot, parsers, and the test modules as tests.mailbot.ops.test_review ...)
# and tests/ (the rig, the mailboxes and the other helpers the tests import by name)
if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if str(Path(__file__).resolve().parent) not in sys.path:  # pytest's rootdir insertion does this
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from rig.cyrus import Cyrus, CyrusError, missing
from rig.dovecot import Dovecot, DovecotError, dovecot_binary, make_cert
from rig.oauth2 import DovecotOAuth2, OAuthSmtpSink
from rig.smtp import SmtpSink
from testdata import in_ci

SMTP_USER, SMTP_PASSWORD = "mailbot", "s3cret"
#: the capabilities of a Dovecot without IDLE and MOVE (`plain_dovecot`)
NO_IDLE_NO_MOVE = """
protocol imap {
  imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT MULTIAPPEND UNSELECT \
CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH WITHIN \
LIST-STATUS BINARY LITERAL+
}
"""


D = TypeVar("D", bound=Dovecot)


class DovecotWithoutIdle(Dovecot):
    def _write_config(self) -> None:
        super()._write_config()
        with open(self.config_path, "a", encoding="utf-8") as fh:
            fh.write(NO_IDLE_NO_MOVE)


def unavailable(message: str) -> None:
    """Skip a test whose server cannot run here; under CI that is a failure."""
    if in_ci():
        pytest.fail(f"{message} (CI is set, so this is an error, not a skip)")
    pytest.skip(message)


def dovecot_needs() -> str | None:
    if dovecot_binary() is None:
        return "dovecot binary not found: apt-get install dovecot-imapd"
    if os.geteuid() != 0:
        return "the Dovecot rig needs root (mail processes run as nobody)"
    return None


def started_dovecot(server: D, name: str) -> Iterator[D]:
    try:
        server.start()
    except DovecotError as exc:
        server.cleanup()
        pytest.fail(f"{name} did not start: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    why = dovecot_needs()
    if why:
        unavailable(why)
    yield from started_dovecot(Dovecot(), "Dovecot")


@pytest.fixture(scope="module")
def plain_dovecot() -> Iterator[Dovecot]:
    why = dovecot_needs()
    if why:
        unavailable(why)
    yield from started_dovecot(DovecotWithoutIdle(), "Dovecot (without IDLE)")


@pytest.fixture(scope="module")
def oauth_dovecot() -> Iterator[DovecotOAuth2]:
    why = dovecot_needs()
    if why:
        unavailable(f"the OAuth2 Dovecot rig: {why}")
    yield from started_dovecot(DovecotOAuth2(), "Dovecot (OAuth2)")


@pytest.fixture(scope="module")
def cyrus() -> Iterator[Cyrus]:
    why = missing()
    if why:
        unavailable(f"Cyrus rig unavailable: {why}")
    server = Cyrus(idled=True)
    try:
        server.start()
    except CyrusError as exc:
        server.cleanup()
        unavailable(f"Cyrus did not start: {exc}")
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


@pytest.fixture
def smtp_login() -> Iterator[SmtpSink]:
    sink = SmtpSink(username=SMTP_USER, password=SMTP_PASSWORD)
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


@pytest.fixture
def oauth_smtp(oauth_dovecot: DovecotOAuth2, smtp_cert: tuple[str, str]) -> Iterator[OAuthSmtpSink]:
    cert, key = smtp_cert
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sink = OAuthSmtpSink(oauth_dovecot.key, context, cert)
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
