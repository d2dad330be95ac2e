"""Handing finished messages to the world: an SMTP server, or a folder of .eml files.

``SmtpTransport`` verifies the server's TLS certificate and host name by default; smtplib and
socket errors are wrapped as :class:`TemporaryTransportError` (try later: 4xx, refused,
timeout) or :class:`PermanentTransportError` (5xx: the server will never take it).
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import socket
import ssl
from pathlib import Path
from typing import Protocol

from .config import SmtpConfig
from .errors import (
    PermanentTransportError,
    TemporaryTransportError,
    TokenError,
    TransportUnavailableError,
)
from .oauth2 import smtp_login

log = logging.getLogger(__name__)


class Transport(Protocol):
    def send(self, raw: bytes, mail_from: str, to: list[str]) -> None: ...
    def close(self) -> None: ...


def tls_context(ca_file: Path | None, verify: bool) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


class SmtpTransport:
    """One SMTP session reused for a batch of messages."""

    def __init__(self, config: SmtpConfig):
        assert config.host
        self.config = config
        self._smtp: smtplib.SMTP | None = None
        if not config.tls_verify:
            log.warning("smtp.tls_verify = false: the SMTP server's certificate is NOT checked")

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        assert c.host
        context = tls_context(c.ca_file, c.tls_verify)
        try:
            if c.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout,
                                                      context=context)
            else:
                smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
                if c.security == "starttls":
                    smtp.starttls(context=context)
            if c.auth == "oauth2":
                smtp_login(smtp, c)
            elif c.username:
                smtp.login(c.username, c.password.resolve("smtp.password_env") or "")
        except smtplib.SMTPAuthenticationError as exc:
            # a configuration problem, not the reply's: keep every reply queued
            fix = ("the OAuth2 access token was refused or has expired: check "
                   "smtp.oauth2_token_command or the refresh token, and the app's SMTP permission"
                   if c.auth == "oauth2" else
                   "check smtp.username and the password in smtp.password_env")
            raise TransportUnavailableError(
                f"SMTP login to {c.host}:{c.port} refused ({exc.smtp_code} "
                f"{_decode(exc.smtp_error)[:120]}): {fix}") from exc
        except TokenError as exc:
            raise TransportUnavailableError(f"SMTP: {exc.message}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportUnavailableError(f"cannot reach the SMTP server {c.host}:{c.port}: "
                                          f"{_describe(exc)}") from exc
        return smtp

    def send(self, raw: bytes, mail_from: str, to: list[str]) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            refused = self._smtp.sendmail(mail_from, to, raw)
        except smtplib.SMTPResponseException as exc:
            self._drop()
            text = f"{exc.smtp_code} {_decode(exc.smtp_error)}"
            if 500 <= exc.smtp_code < 600:
                raise PermanentTransportError(text) from exc
            raise TemporaryTransportError(text) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            self._drop()
            codes = [code for code, _msg in exc.recipients.values()]
            text = "recipient refused: " + ", ".join(str(c) for c in codes)
            if all(500 <= c < 600 for c in codes):
                raise PermanentTransportError(text) from exc
            raise TemporaryTransportError(text) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise TransportUnavailableError(f"SMTP connection failed: {_describe(exc)}") from exc
        if refused:
            raise TemporaryTransportError(f"recipient refused: {sorted(refused)}")

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._drop()


class DirectoryTransport:
    """Writes each message as a private ``.eml`` file (the demo, dry runs, a pickup folder)."""

    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._count = len(list(directory.glob("*.eml")))

    def send(self, raw: bytes, mail_from: str, to: list[str]) -> None:
        self._count += 1
        path = self.directory / f"{self._count:04d}.eml"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(f"X-Envelope-From: <{mail_from}>\r\n".encode())
            fh.write(f"X-Envelope-To: {', '.join(to)}\r\n".encode())
            fh.write(raw)

    def close(self) -> None:
        pass


def open_transport(config: SmtpConfig) -> Transport:
    if config.directory is not None and config.host is None:
        return DirectoryTransport(config.directory)
    return SmtpTransport(config)


def _decode(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    return f"{type(exc).__name__}: {exc}"[:200]
