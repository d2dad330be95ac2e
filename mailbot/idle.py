"""IMAP IDLE for ``mailbot run``: answer within seconds of delivery.

One connection waits in IDLE on the folder; when the server announces new mail (``EXISTS``)
the worker runs a normal poll pass. IDLE is renewed well before the server's timeout
(RFC 2177: under 29 minutes), and every renewal doubles as a liveness check: a connection that
died silently fails there and is re-established with backoff. The scheduled poll stays as the
safety net, so nothing depends on IDLE alone.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable

from imapclient.exceptions import IMAPClientError

from . import imap
from .config import ImapConfig
from .errors import MailboxError

log = logging.getLogger(__name__)

RENEW_SECONDS = 9 * 60  # re-issue IDLE (and check the connection) this often
CHECK_SECONDS = 1.0  # how long one idle_check waits: bounds the reaction to `stop`
BACKOFF_SECONDS = (1, 2, 5, 15, 60)

_ERRORS = (IMAPClientError, OSError, ssl.SSLError, socket.timeout, EOFError, MailboxError)


def _announces_mail(responses: list[tuple]) -> bool:
    return any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses)


def _says_bye(responses: list[tuple]) -> bool:
    return any(r and r[0] == b"BYE" for r in responses)


def watch(config: ImapConfig, stop: threading.Event, on_mail: Callable[[], None],
          renew_seconds: float = RENEW_SECONDS) -> None:
    """Run until ``stop`` is set; call ``on_mail`` after (re)connecting and on new mail."""
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
            if b"IDLE" not in client.capabilities():
                log.info("IDLE: the server does not offer IDLE; relying on the scheduled poll")
                return
            client.select_folder(config.folder, readonly=True)
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
                    on_mail()
                else:
                    client.noop()
        except _ERRORS as exc:
            delay = BACKOFF_SECONDS[min(failures, len(BACKOFF_SECONDS) - 1)]
            failures += 1
            log.warning("IDLE connection lost (%s: %s); reconnecting in %s s",
                        type(exc).__name__, str(exc)[:120], delay)
            stop.wait(delay)
        finally:
            imap.logout(client)
