"""IMAP IDLE for ``mailbot run``: answer within seconds of delivery.

One connection waits in IDLE on the folder; when the server announces new mail (``EXISTS``)
the worker runs a normal poll pass. IDLE is renewed well before the server's timeout
(RFC 2177: under 29 minutes), and every renewal doubles as a liveness check: a connection that
died silently fails there and is re-established with backoff. The scheduled poll stays as the
safety net, so nothing depends on IDLE alone.

What the server really does is recorded in :class:`IdleStatus` and logged: whether it offers
IDLE at all, and how many pushes arrived — the worker compares that with what its scheduled
poll finds (a server that offers IDLE but never pushes, like Cyrus without ``idled``).
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from imapclient.exceptions import IMAPClientError

from mailbot.config import ImapConfig
from mailbot.errors import MailboxError
from mailbot.mail import imap

log = logging.getLogger(__name__)

RENEW_SECONDS = 9 * 60  # re-issue IDLE (and check the connection) this often
CHECK_SECONDS = 1.0  # how long one idle_check waits: bounds the reaction to `stop`
BACKOFF_SECONDS = (1, 2, 5, 15, 60)

_ERRORS = (IMAPClientError, OSError, ssl.SSLError, socket.timeout, EOFError, MailboxError)


@dataclass
class IdleStatus:
    """What the IDLE watcher learnt; read by the worker's scheduled poll."""

    offered: bool | None = None  # None: not known yet (not connected so far)
    watching: bool = False  # in IDLE on the folder right now
    pushes: int = 0  # new-mail announcements received so far
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def update(self, **values: object) -> None:
        with self._lock:
            for key, value in values.items():
                setattr(self, key, value)

    def pushed(self) -> None:
        with self._lock:
            self.pushes += 1


def _announces_mail(responses: list[tuple]) -> bool:
    return any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses)


def _says_bye(responses: list[tuple]) -> bool:
    return any(r and r[0] == b"BYE" for r in responses)


def watch(
    config: ImapConfig,
    stop: threading.Event,
    on_mail: Callable[[], None],
    renew_seconds: float = RENEW_SECONDS,
    status: IdleStatus | None = None,
) -> None:
    """Run until ``stop`` is set; call ``on_mail`` after (re)connecting and on new mail."""
    status = status or IdleStatus()
    failures = 0
    while not stop.is_set():
        try:
            client = imap.connect(config)
        except MailboxError as exc:
            delay = BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS) - 1)]
            failures += 1
            log.warning("IDLE: %s; retrying in %s s", exc.message, delay)
            stop.wait(delay)
            continue
        try:
            info = imap.server_info(client)
            if not info.idle:
                status.update(offered=False, watching=False)
                log.warning(
                    "IMAP IDLE: the server does not offer IDLE; new mail is found by "
                    "the scheduled poll only"
                )
                return
            client.select_folder(imap.place_folder(info, config.folder), readonly=True)
            if status.offered is None:
                log.info(
                    "IMAP IDLE: the server offers IDLE; watching %s for new mail", config.folder
                )
            status.update(offered=True, watching=True)
            failures = 0
            on_mail()  # whatever arrived while we were not watching
            while not stop.is_set():
                client.idle()
                started = time.monotonic()
                arrived = False
                try:
                    while not stop.is_set() and time.monotonic() - started < renew_seconds:
                        asked = time.monotonic()
                        responses = client.idle_check(timeout=CHECK_SECONDS)
                        if _announces_mail(responses):
                            arrived = True
                            break
                        if _says_bye(responses):
                            raise EOFError("the server ended the session")
                        if not responses and time.monotonic() - asked < CHECK_SECONDS / 2:
                            # readable but nothing parsed: imapclient swallows EOF here;
                            # leaving IDLE below tells a dead connection from a live one
                            break
                finally:
                    client.idle_done()  # fails here if the connection died silently
                if arrived:
                    status.pushed()
                    on_mail()
                # mail that came while the pass ran (or that IDLE did not announce) is told
                # in answer to the next command; IDLE would swallow it, NOOP hands it over
                while not stop.is_set() and _announces_mail(client.noop()[1]):
                    on_mail()
        except _ERRORS as exc:
            status.update(watching=False)
            delay = BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS) - 1)]
            failures += 1
            log.warning(
                "IDLE connection lost (%s: %s); reconnecting in %s s",
                type(exc).__name__,
                str(exc)[:120],
                delay,
            )
            stop.wait(delay)
        finally:
            imap.logout(client)
