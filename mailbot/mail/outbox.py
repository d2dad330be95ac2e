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

Before a reply is handed to the server, the index of the mailbox's Sent folder is consulted
(:func:`mailbot.storage.resync.letter_for_reply`, one indexed look-up, no IMAP): a reply whose
copy is there already — its own Message-ID, or for an automatic letter an unknown letter
answering the same message, which a restored or new database composed again — is recorded as
sent from that copy and never sent again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from mailbot.errors import (
    PermanentTransportError,
    TemporaryTransportError,
    TransportUnavailableError,
)
from mailbot.storage import replies, resync
from mailbot.storage.store import Store, utcnow

if TYPE_CHECKING:
    from mailbot.mail.transport import Transport

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
    found_in_sent: int = 0  # replies whose copy was in Sent already: recorded, not sent


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def _fail(store: Store, reply_id: int, reason: str) -> None:
    with store.transaction():
        replies.mark_failed(store, reply_id, reason)
    log.warning("reply %s failed for good: %s", reply_id, reason)


def send_pending(
    store: Store, transport: Transport, mail_from: str, now: datetime | None = None
) -> SendReport:
    now = now or utcnow()
    sent = deferred = failed = found = 0
    stopped = None
    for reply_id in replies.due_replies(store, now):
        if already_in_sent(store, reply_id):
            found += 1
            continue
        reply = replies.outgoing_reply(store, reply_id)
        with store.transaction():
            replies.mark_sending(store, reply_id)
        attempts = reply.attempts + 1
        try:
            transport.send(reply.raw, mail_from, [reply.to_addr])
        except PermanentTransportError as exc:
            failed += 1
            _fail(store, reply_id, exc.message)
            continue
        except TransportUnavailableError as exc:
            # the server is down: not the reply's fault; the next pass tries again at once
            with store.transaction():
                replies.requeue_untried(store, reply_id, exc.message)
            deferred += 1
            stopped = exc.message
            break
        except TemporaryTransportError as exc:
            give_up = attempts >= MAX_TEMPORARY_ATTEMPTS
            with store.transaction():
                replies.mark_attempt_failed(
                    store,
                    reply_id,
                    exc.message,
                    retry_at=utcnow() + _backoff(attempts),
                    give_up=give_up,
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
            replies.mark_sent(store, reply_id, utcnow())
        sent += 1
    return SendReport(
        sent=sent,
        deferred=deferred,
        failed=failed,
        pending=replies.pending_replies(store),
        stopped=stopped,
        found_in_sent=found,
    )


def already_in_sent(store: Store, reply_id: int) -> bool:
    """The pre-send check: when the Sent folder holds this reply, record it as sent from that
    copy (in one transaction) and say so."""
    with store.reading():
        letter = resync.letter_for_reply(store, reply_id)
    if letter is None:
        return False
    with store.transaction():
        resync.adopt(store, reply_id, letter)
    log.info("reply %s: its copy is in %s already; recorded as sent", reply_id, letter.folder)
    return True
