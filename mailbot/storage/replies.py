"""The reply outbox in SQLite: sending replies, their copies in the Sent folder, bounces, counts.

Each function runs its statements on the store's connection and opens no transaction of its
own: the caller decides what commits together (the outbox commits every move of a reply before
its next action; a bounce is marked inside the transaction that records the message).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mailbot.names import UNSENT, ReplyState, SentCopy
from mailbot.storage.store import Store, iso

# --- the outbox (mailbot.mail.outbox) --------------------------------------------------------


def queue_reply(
    store: Store,
    *,
    message_pk: int,
    application_pk: int | None,
    template: str,
    to_addr: str,
    subject: str,
    message_id: str | None,
    raw: bytes,
    queued_at: str,
    sent_at: str | None = None,
) -> int:
    """Put a letter in the outbox: the one way into table ``replies`` (automatic replies,
    notices, answers). ``sent_at`` records a letter already sent (its copy was found in the
    Sent folder): marked sent with its copy saved, never queued again. Inside the caller's
    transaction; the new reply's id."""
    found = sent_at is not None
    cur = store.conn.execute(
        "INSERT INTO replies (message_pk, application_pk, template, to_addr, subject, "
        "reply_message_id, raw, state, attempts, queued_at, sent_at, sent_copy) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            message_pk,
            application_pk,
            template,
            to_addr,
            subject,
            message_id,
            raw,
            ReplyState.SENT if found else ReplyState.QUEUED,
            int(found),
            queued_at,
            sent_at,
            SentCopy.SAVED if found else None,
        ],
    )
    assert cur.lastrowid is not None
    return cur.lastrowid


@dataclass(frozen=True)
class OutgoingReply:
    """What sending one reply needs."""

    to_addr: str
    raw: bytes
    attempts: int


def due_replies(store: Store, now: datetime) -> list[int]:
    """Ids of the replies due now, in order (bodies are read one at a time: memory stays flat)."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM replies WHERE state IN (?, ?) "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id",
            [*UNSENT, iso(now)],
        )
    ]


def outgoing_reply(store: Store, reply_pk: int) -> OutgoingReply:
    to_addr, raw, attempts = store.conn.execute(
        "SELECT to_addr, raw, attempts FROM replies WHERE id = ?", [reply_pk]
    ).fetchone()
    return OutgoingReply(to_addr=to_addr, raw=raw, attempts=attempts)


def mark_sending(store: Store, reply_pk: int) -> None:
    """The reply is about to be handed to the server: one more attempt."""
    store.conn.execute(
        "UPDATE replies SET state = ?, attempts = attempts + 1 WHERE id = ?",
        [ReplyState.SENDING, reply_pk],
    )


def mark_failed(store: Store, reply_pk: int, reason: str) -> None:
    """The reply will not be sent: its state, the reason and an event."""
    store.conn.execute(
        "UPDATE replies SET state = ?, last_error = ? WHERE id = ?",
        [ReplyState.FAILED, reason[:300], reply_pk],
    )
    store.event("reply_failed", None, f"reply {reply_pk}: {reason[:200]}")


def requeue_untried(store: Store, reply_pk: int, error: str) -> None:
    """The server could not be reached: the reply is queued again and the attempt not counted."""
    store.conn.execute(
        "UPDATE replies SET state = ?, attempts = attempts - 1, last_error = ? WHERE id = ?",
        [ReplyState.QUEUED, error[:300], reply_pk],
    )


def mark_attempt_failed(
    store: Store, reply_pk: int, error: str, *, retry_at: datetime, give_up: bool
) -> None:
    """A temporary refusal: queued again for ``retry_at``, or failed when ``give_up``."""
    store.conn.execute(
        "UPDATE replies SET state = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
        [
            ReplyState.FAILED if give_up else ReplyState.QUEUED,
            error[:300],
            iso(retry_at),
            reply_pk,
        ],
    )


def mark_sent(store: Store, reply_pk: int, sent_at: datetime) -> None:
    store.conn.execute(
        "UPDATE replies SET state = ?, sent_at = ?, last_error = NULL WHERE id = ?",
        [ReplyState.SENT, iso(sent_at), reply_pk],
    )


def pending_replies(store: Store) -> int:
    """How many replies are still to be sent (queued, or caught while sending)."""
    row = store.conn.execute(
        "SELECT count(*) FROM replies WHERE state IN (?, ?)", list(UNSENT)
    ).fetchone()
    return int(row[0])


# --- copies in the Sent folder (mailbot.mail.sentfolder) -------------------------------------


@dataclass(frozen=True)
class SentReply:
    """A sent reply whose copy is to be saved in the Sent folder."""

    reply_pk: int
    raw: bytes
    message_id: str | None
    sent_at: str | None
    sent_copy: SentCopy | None  # None (not saved yet) or SAVING (a save was under way)


def unsaved_copies(store: Store) -> list[int]:
    """Ids of the sent replies whose copy is not saved yet (from the index alone: reading the
    rows would walk every stored reply's bytes)."""
    return sorted(
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM replies WHERE sent_copy IS NULL AND state = ? UNION ALL "
            "SELECT id FROM replies WHERE sent_copy = ? AND state = ?",
            [ReplyState.SENT, SentCopy.SAVING, ReplyState.SENT],
        )
    )


def sent_replies(store: Store, reply_pks: list[int]) -> list[SentReply]:
    """The replies with these ids, in order of id."""
    return [
        SentReply(pk, raw, message_id, sent_at, SentCopy(copy) if copy else None)
        for pk, raw, message_id, sent_at, copy in store.conn.execute(
            f"SELECT id, raw, reply_message_id, sent_at, sent_copy FROM replies WHERE id IN "
            f"({', '.join('?' for _ in reply_pks)}) ORDER BY id",
            reply_pks,
        )
    ]


def set_sent_copy(store: Store, reply_pks: list[int], state: SentCopy) -> None:
    """Where these replies' copies stand."""
    store.conn.execute(
        f"UPDATE replies SET sent_copy = ? WHERE id IN ({', '.join('?' for _ in reply_pks)})",
        [state, *reply_pks],
    )


def mark_copy_refused(store: Store, reply_pk: int, reason: str) -> None:
    """The server refused the copy for good: ``not_saved`` and an event (the reply stays sent)."""
    store.conn.execute(
        "UPDATE replies SET sent_copy = ? WHERE id = ?", [SentCopy.NOT_SAVED, reply_pk]
    )
    store.event("sent_copy_failed", None, f"reply {reply_pk}: {reason}"[:300])


# --- bounces (mailbot.pipeline.bounces) ------------------------------------------------------


@dataclass(frozen=True)
class SentTo:
    """A sent reply and the address it went to."""

    reply_pk: int
    to_addr: str


def sent_reply_with_message_id(store: Store, message_id: str) -> SentTo | None:
    row = store.conn.execute(
        "SELECT id, to_addr FROM replies WHERE reply_message_id = ? AND state = ?",
        [message_id, ReplyState.SENT],
    ).fetchone()
    return SentTo(row[0], row[1]) if row else None


def last_reply_sent_to(
    store: Store, address: str, *, sent_from: datetime, sent_until: datetime
) -> int | None:
    """The id of the latest reply sent to ``address`` (lower case) in the given time span."""
    row = store.conn.execute(
        "SELECT id FROM replies WHERE lower(to_addr) = ? AND state = ? "
        "AND sent_at <= ? AND sent_at >= ? ORDER BY sent_at DESC, id DESC LIMIT 1",
        [address, ReplyState.SENT, iso(sent_until), iso(sent_from)],
    ).fetchone()
    return int(row[0]) if row else None


def last_correction_request(
    store: Store, address: str, templates: tuple[str, ...], *, since: datetime, until: datetime
) -> datetime | None:
    """When the latest letter of these templates asking ``address`` (lower case) for a
    corrected form went out (sent, else queued) in the span; None when none did."""
    marks = ", ".join("?" for _ in templates)
    row = store.conn.execute(
        f"SELECT max(coalesce(sent_at, queued_at)) FROM replies WHERE lower(to_addr) = ? "
        f"AND queued_at >= ? AND queued_at <= ? AND template IN ({marks}) "
        f"AND state IN (?, ?, ?)",
        [
            address,
            iso(since),
            iso(until),
            *templates,
            ReplyState.QUEUED,
            ReplyState.SENDING,
            ReplyState.SENT,
        ],
    ).fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def mark_bounced(
    store: Store, reply_pk: int, reason: str, *, bounced_at: datetime, bounce_message_pk: int
) -> None:
    """A later hop refused the sent reply: its state, the remote reason and an event."""
    store.conn.execute(
        "UPDATE replies SET state = ?, bounce_reason = ?, bounced_at = ?, "
        "bounce_message_pk = ? WHERE id = ?",
        [ReplyState.BOUNCED, reason[:300], iso(bounced_at), bounce_message_pk, reply_pk],
    )
    store.event("reply_bounced", bounce_message_pk, f"reply {reply_pk}: {reason[:200]}")


# --- counts (mailbot.pipeline.policy) --------------------------------------------------------


def replies_queued_since(store: Store, since: datetime) -> int:
    row = store.conn.execute(
        "SELECT count(*) FROM replies WHERE queued_at >= ?", [iso(since)]
    ).fetchone()
    return int(row[0])
