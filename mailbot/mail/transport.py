"""Handing finished messages to the world: an SMTP server, or a folder of .eml files.

``SmtpTransport`` verifies the server's TLS certificate and host name by default; smtplib and
socket errors are wrapped as :class:`TemporaryTransportError` (try later: 4xx, a connection
lost while this message was being sent, when the server takes a new connection at once:
:class:`ConnectionLostError`), :class:`TransportUnavailableError` (the server cannot be reached
or refuses the login, also right after a lost connection: nothing can be sent now) or
:class:`PermanentTransportError` (5xx, or a message this server can never take, such as an
internationalised address when it does not offer SMTPUTF8). Every refusal keeps the server's
own words ("550 5.1.1 <x@y>: Recipient address rejected: User unknown").

The session greets with ``smtp.helo`` (default: this host's fully qualified name) and always
ends with QUIT, after a refusal too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import socket
from pathlib import Path
from typing import NoReturn, Protocol

from mailbot.config import SmtpConfig
from mailbot.errors import (
    ConnectionLostError,
    PermanentTransportError,
    TemporaryTransportError,
    TokenError,
    TransportUnavailableError,
)
from mailbot.mail.tls import tls_context

log = logging.getLogger(__name__)


class Transport(Protocol):
    def send(self, raw: bytes, mail_from: str, to: list[str]) -> None: ...
    def close(self) -> None: ...


def helo_name(config: SmtpConfig) -> str:
    return config.helo or socket.getfqdn()


def needs_smtputf8(raw: bytes, addresses: list[str]) -> bool:
    """An internationalised address (RFC 6531) or raw UTF-8 in the header (RFC 6532)."""
    head = raw.split(b"\r\n\r\n", 1)[0]
    return not head.isascii() or not all(a.isascii() for a in addresses)


def refusal_text(code: int, message: bytes | str) -> str:
    """``550 5.1.1 <x@y>: Recipient address rejected: User unknown``: code and server's words."""
    return f"{code} {_decode(message)}".strip()[:300]


class SmtpTransport:
    """One SMTP session reused for a batch of messages."""

    def __init__(self, config: SmtpConfig):
        assert config.host
        self.config = config
        self._smtp: smtplib.SMTP | None = None
        self._helo = helo_name(config)
        if not config.tls_verify:
            log.warning("smtp.tls_verify = false: the SMTP server's certificate is NOT checked")

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        assert c.host
        context = tls_context(c.ca_file, c.tls_verify)
        try:
            if c.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    c.host, c.port, local_hostname=self._helo, timeout=c.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(c.host, c.port, local_hostname=self._helo, timeout=c.timeout)
                if c.security == "starttls":
                    smtp.starttls(context=context)
            smtp.ehlo_or_helo_if_needed()
            if c.auth == "oauth2":
                from mailbot.mail.oauth2 import smtp_login

                smtp_login(smtp, c)
            elif c.username:
                smtp.login(c.username, c.password.resolve("smtp.password_env") or "")
        except smtplib.SMTPAuthenticationError as exc:
            # a configuration problem, not the reply's: keep every reply queued
            fix = (
                "the OAuth2 access token was refused or has expired: check "
                "smtp.oauth2_token_command or the refresh token, and the app's SMTP permission"
                if c.auth == "oauth2"
                else "check smtp.username and the password in smtp.password_env"
            )
            raise TransportUnavailableError(
                f"SMTP login to {c.host}:{c.port} refused ({exc.smtp_code} "
                f"{_decode(exc.smtp_error)[:120]}): {fix}"
            ) from exc
        except TokenError as exc:
            raise TransportUnavailableError(f"SMTP: {exc.message}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportUnavailableError(
                f"cannot reach the SMTP server {c.host}:{c.port}: {_describe(exc)}"
            ) from exc
        return smtp

    def verify(self) -> None:
        """Connect and log in, send nothing (``mailbot check``)."""
        self._smtp = self._connect()

    def send(self, raw: bytes, mail_from: str, to: list[str]) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        smtp = self._smtp
        options: list[str] = []
        if needs_smtputf8(raw, [mail_from, *to]):
            if not smtp.has_extn("smtputf8"):
                # the session is still good: the next message may go out on it
                raise PermanentTransportError(
                    f"the SMTP server {self.config.host} does not offer SMTPUTF8, needed for "
                    "an internationalised address; the reply was not sent"
                )
            options.append("SMTPUTF8")
        try:
            refused = smtp.sendmail(mail_from, to, raw, mail_options=options)
        except smtplib.SMTPRecipientsRefused as exc:
            self._end_session()
            pairs = list(exc.recipients.values())
            text = "; ".join(refusal_text(code, msg) for code, msg in pairs)
            if all(500 <= code < 600 for code, _msg in pairs):
                raise PermanentTransportError(text) from exc
            raise TemporaryTransportError(text) from exc
        except smtplib.SMTPServerDisconnected as exc:
            self._lost(
                "the SMTP server closed the connection while this message was being "
                f"sent: {_describe(exc)}",
                exc,
            )
        except smtplib.SMTPResponseException as exc:
            self._end_session()
            text = refusal_text(exc.smtp_code, exc.smtp_error)
            if 500 <= exc.smtp_code < 600:
                raise PermanentTransportError(text) from exc
            raise TemporaryTransportError(text) from exc
        except UnicodeError as exc:
            # an address or header smtplib cannot put on the wire: no retry will change that
            self._end_session()
            raise PermanentTransportError(
                f"the message cannot be encoded for SMTP: {type(exc).__name__}"
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._lost(
                f"the SMTP connection failed while this message was being sent: {_describe(exc)}",
                exc,
            )
        if refused:
            text = "; ".join(refusal_text(code, msg) for code, msg in refused.values())
            raise TemporaryTransportError(text)

    def _lost(self, text: str, exc: BaseException) -> NoReturn:
        """The session broke mid-message: a server that is gone stops the sending
        (:class:`TransportUnavailableError`, raised by the reconnect); a server that takes a new
        connection at once points at this message (:class:`ConnectionLostError`)."""
        self._drop()
        self._smtp = self._connect()
        raise ConnectionLostError(text) from exc

    def _end_session(self) -> None:
        """QUIT politely (a refused message may have left the session in any state)."""
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._drop()

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def close(self) -> None:
        self._end_session()


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
