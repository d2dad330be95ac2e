"""Send step: deliver the replies queued in the database, each exactly once.

A reply row moves ``queued → sending → sent`` (or ``failed`` on a permanent refusal), each move
committed before the next action. A temporary failure puts it back to ``queued`` with a
growing delay, so the replies behind it go out first, and after
:data:`MAX_TEMPORARY_ATTEMPTS` tries it is ``failed`` with the last reason. A reply that
cannot be sent at all (an address smtplib cannot encode, a server without SMTPUTF8, any
unexpected error) is ``failed`` at once with its reason: one reply never jams the outbox. An
unreachable server ends the step and leaves everything queued for the next pass.

A reply that was sent may later come back as ``bounced`` (:mod:`mailbot.pipeline.bounces`).

The one window that cannot be closed: the SMTP server has accepted the message (``250``) but the
process dies before ``sent`` is committed — a few milliseconds. Such a row is found in
``sending`` on the next pass and sent again, since a reply that may have been lost is worse than
one that may arrive twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from mailbot.errors import (
    PermanentTransportError,
    TemporaryTransportError,
    TransportUnavailableError,
)
from mailbot.mail.transport import Transport
from mailbot.storage.store import Store, iso, utcnow

log = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 15, 60, 180, 720)
MAX_TEMPORARY_ATTEMPTS = 12


@dataclass(frozen=True)
class SendReport:
    sent: int
    deferred: int
    failed: int
    pending: int
    stopped: str | None  # why sending stopped early (server unreachable), or None


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def _due(store: Store, now: datetime) -> list[int]:
    """Ids of the replies due now (bodies are read one at a time: memory stays flat)."""
    return [
        r[0]
        for r in store.db.execute(
            "SELECT id FROM replies WHERE state IN ('queued', 'sending') "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id",
            [iso(now)],
        )
    ]


def _fail(store: Store, reply_id: int, reason: str) -> None:
    with store.transaction():
        store.db.execute(
            "UPDATE replies SET state = 'failed', last_error = ? WHERE id = ?",
            [reason[:300], reply_id],
        )
        store.event("reply_failed", None, f"reply {reply_id}: {reason[:200]}")
    log.warning("reply %s failed for good: %s", reply_id, reason)


def send_pending(
    store: Store, transport: Transport, mail_from: str, now: datetime | None = None
) -> SendReport:
    now = now or utcnow()
    sent = deferred = failed = 0
    stopped = None
    for reply_id in _due(store, now):
        to_addr, raw, attempts = store.db.execute(
            "SELECT to_addr, raw, attempts FROM replies WHERE id = ?", [reply_id]
        ).fetchone()
        with store.transaction():
            store.db.execute(
                "UPDATE replies SET state = 'sending', attempts = attempts + 1 WHERE id = ?",
                [reply_id],
            )
        attempts += 1
        try:
            transport.send(raw, mail_from, [to_addr])
        except PermanentTransportError as exc:
            failed += 1
            _fail(store, reply_id, exc.message)
            continue
        except TransportUnavailableError as exc:
            # the server is down: not the reply's fault; the next pass tries again at once
            with store.transaction():
                store.db.execute(
                    "UPDATE replies SET state = 'queued', attempts = attempts - 1, "
                    "last_error = ? WHERE id = ?",
                    [exc.message[:300], reply_id],
                )
            deferred += 1
            stopped = exc.message
            break
        except TemporaryTransportError as exc:
            give_up = attempts >= MAX_TEMPORARY_ATTEMPTS
            with store.transaction():
                store.db.execute(
                    "UPDATE replies SET state = ?, last_error = ?, next_attempt_at = ? "
                    "WHERE id = ?",
                    [
                        "failed" if give_up else "queued",
                        exc.message[:300],
                        iso(utcnow() + _backoff(attempts)),
                        reply_id,
                    ],
                )
            if give_up:
                failed += 1
                log.warning(
                    "reply %s not sent after %s attempts: %s", reply_id, attempts, exc.message
                )
            else:
                deferred += 1
            continue
        except Exception as exc:  # one reply must never stop the others
            log.exception("reply %s could not be sent", reply_id)
            failed += 1
            _fail(store, reply_id, f"not sent: {type(exc).__name__}: {exc}"[:300])
            continue
        with store.transaction():
            store.db.execute(
                "UPDATE replies SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
                [iso(utcnow()), reply_id],
            )
        sent += 1
    pending = store.db.execute(
        "SELECT count(*) FROM replies WHERE state IN ('queued', 'sending')"
    ).fetchone()[0]
    return SendReport(
        sent=sent, deferred=deferred, failed=failed, pending=int(pending), stopped=stopped
    )
