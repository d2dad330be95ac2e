"""A real SMTP server for tests: aiosmtpd in-process on 127.0.0.1 that records what it receives."""

from __future__ import annotations

import email
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from .ports import free_port, port_open

HOST = "127.0.0.1"


@dataclass
class Received:
    """One message as the server got it.

    `data` is the bytes exactly as sent (CRLF line ends); `message` is parsed with
    `policy.default` from `data` with CRLF turned into LF, so text parts end in plain "\n".
    """

    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: EmailMessage = field(repr=False)
    auth_login: str | None = None  # the AUTH user name, if the client authenticated

    @classmethod
    def parse(
        cls, mail_from: str, rcpt_tos: list[str], data: bytes, auth_login: str | None = None
    ) -> Received:
        message = email.message_from_bytes(data.replace(b"\r\n", b"\n"), policy=policy.default)
        assert isinstance(message, EmailMessage)
        return cls(mail_from, list(rcpt_tos), data, message, auth_login)


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        failure = self.sink._take_failure()
        if failure is not None:
            return failure
        data = envelope.original_content or envelope.content or b""
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        login = session.auth_data  # what our authenticator returned in AuthResult.auth_data
        if isinstance(login, LoginPassword):
            login = login.login
        if isinstance(login, bytes):
            login = login.decode("utf-8", "replace")
        self.sink._record(
            Received.parse(
                envelope.mail_from or "",
                list(envelope.rcpt_tos),
                data,
                login if isinstance(login, str) else None,
            )
        )
        return "250 2.0.0 OK queued"


class SmtpSink:
    """aiosmtpd Controller on 127.0.0.1 and a fixed free port.

    `stop()` is an outage (connections refused); `start()` again listens on the SAME port.
    With `tls_context` the server offers STARTTLS; with `username`/`password` it requires AUTH
    (PLAIN/LOGIN, only after STARTTLS when TLS is on) and rejects other credentials.
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        tls_context: ssl.SSLContext | None = None,
        require_starttls: bool = False,
        username: str | None = None,
        password: str | None = None,
        authenticator: Callable[..., AuthResult] | None = None,
        auth_required: bool | None = None,
        cafile: str | None = None,
        **smtp_kwargs: Any,
    ) -> None:
        self.host: str = HOST
        self.port: int = port or free_port()
        self.tls_context = tls_context
        self.require_starttls = require_starttls
        self.username = username
        self.password = password
        self.cafile = cafile  # the cert to trust when tls_context is self-signed
        if authenticator is None and username is not None:
            authenticator = self._check_password
        self.authenticator = authenticator
        self.auth_required = auth_required if auth_required is not None else bool(authenticator)
        self.smtp_kwargs = smtp_kwargs
        self.messages: list[Received] = []
        self.auth_attempts: list[tuple[str, bool]] = []  # (login, accepted)
        self._cond = threading.Condition()
        self._failures: list[str] = []
        self._controller: Controller | None = None

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> None:
        if self._controller is not None:
            return
        kwargs: dict[str, Any] = {"enable_SMTPUTF8": True, **self.smtp_kwargs}
        if self.tls_context is not None:
            kwargs.update(tls_context=self.tls_context, require_starttls=self.require_starttls)
        if self.authenticator is not None:
            kwargs.update(
                authenticator=self.authenticator,
                auth_required=self.auth_required,
                auth_require_tls=self.tls_context is not None,
            )
        controller = Controller(
            _Handler(self),
            hostname=self.host,
            port=self.port,
            server_hostname="smtp-sink.test",
            **kwargs,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                controller.start()
                break
            except (OSError, RuntimeError):
                # the port of a previous start() may take a moment to be free again
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self._controller = controller

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    @property
    def running(self) -> bool:
        return self._controller is not None

    def __enter__(self) -> SmtpSink:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- helpers for tests

    def fail_next(self, code: str, count: int = 1) -> None:
        """Answer the next `count` DATA commands with `code`, e.g. "451 4.3.0 try later"."""
        if not code[:3].isdigit():
            raise ValueError(f"not an SMTP reply: {code!r}")
        with self._cond:
            self._failures.extend([code] * count)

    def wait_for(self, n: int, timeout: float = 10.0) -> list[Received]:
        """Block until at least n messages were received; a copy of all of them.

        Raises AssertionError (listing what did arrive) when the timeout passes first.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.messages) < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    got = [(m.mail_from, m.rcpt_tos, m.message["Subject"]) for m in self.messages]
                    raise AssertionError(
                        f"SmtpSink: expected at least {n} message(s) within {timeout} s, "
                        f"got {len(self.messages)}: {got}"
                    )
                self._cond.wait(left)
            return list(self.messages)

    def clear(self) -> None:
        with self._cond:
            self.messages.clear()
            self._failures.clear()

    def accepts_connections(self) -> bool:
        return port_open(self.host, self.port)

    # ---------------------------------------------------------------- internals

    def _record(self, received: Received) -> None:
        with self._cond:
            self.messages.append(received)
            self._cond.notify_all()

    def _take_failure(self) -> str | None:
        with self._cond:
            return self._failures.pop(0) if self._failures else None

    def _check_password(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode("utf-8", "replace")
            ok = (
                login == self.username
                and auth_data.password.decode("utf-8", "replace") == self.password
            )
            with self._cond:
                self.auth_attempts.append((login, ok))
            if ok:
                return AuthResult(success=True, auth_data=login)
        # handled=False lets aiosmtpd answer 535; handled=True without a reply hangs clients
        return AuthResult(success=False, handled=False)
