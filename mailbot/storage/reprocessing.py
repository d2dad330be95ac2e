"""What re-reading a stored message and a dry run read and write: the messages to re-read, a
message's record before and after, clearing it for the new outcome, and the lines of a dry run.

Every function runs inside the caller's transaction where the caller opened one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mailbot.storage.store import Store, iso


@dataclass(frozen=True)
class ApplicationOutcome:
    """An application as a message's record shows it."""

    reference: str
    status: str
    superseded: bool


@dataclass(frozen=True)
class RecordedApplication:
    """An application a message holds before it is re-read (whose number it keeps)."""

    id: int
    reference: str
    applicant_key: str | None
    sender_key: str | None


@dataclass(frozen=True)
class ReplyOut:
    """A reply no longer queued (sent, sending, failed, bounced): it stays."""

    id: int
    application_pk: int | None


@dataclass(frozen=True)
class DryRunRow:
    """One message (and one of its applications) written by a dry run."""

    received_at: str
    sender: str | None
    subject: str | None
    disposition: str
    reason: str | None
    status: str | None
    reply_withheld: str | None
    template: str | None
    reply_state: str | None = None  # "sent": the letter was found in Sent (not sent again)
    signals: str | None = None  # the relevance findings (JSON), as the record stage wrote them


def message_pks_matching(
    store: Store,
    *,
    references: Sequence[str] = (),
    status: str | None = None,
    uid: int | None = None,
) -> list[int]:
    """The stored messages holding one of these reference numbers (any case), an application
    with this status, or fetched from the IMAP mailbox with this UID; in id order."""
    pks: list[int] = []
    if references:
        marks = ", ".join("?" for _ in references)
        pks += [
            r[0]
            for r in store.db.execute(
                f"SELECT DISTINCT message_pk FROM applications WHERE reference IN ({marks}) "
                f"COLLATE NOCASE",
                list(references),
            )
        ]
    if status:
        pks += [
            r[0]
            for r in store.db.execute(
                "SELECT DISTINCT message_pk FROM applications WHERE status = ?", [status]
            )
        ]
    if uid is not None:
        pks += [
            r[0]
            for r in store.db.execute(
                "SELECT id FROM messages WHERE uid = ? AND origin = 'imap' ORDER BY id", [uid]
            )
        ]
    return sorted(set(pks))


def message_row(store: Store, pk: int) -> dict[str, Any] | None:
    """The stored message's whole row (its bytes' file, where it came from), or None."""
    return next(iter(store.db.query("SELECT * FROM messages WHERE id = ?", [pk])), None)


def message_disposition(store: Store, pk: int) -> str | None:
    row = store.db.execute("SELECT disposition FROM messages WHERE id = ?", [pk]).fetchone()
    return row[0] if row else None


def application_outcomes(store: Store, message_pk: int) -> list[ApplicationOutcome]:
    """The message's applications in reference order."""
    return [
        ApplicationOutcome(reference, status, bool(superseded))
        for reference, status, superseded in store.db.execute(
            "SELECT reference, status, superseded FROM applications WHERE "
            "message_pk = ? ORDER BY reference",
            [message_pk],
        )
    ]


def recorded_applications(store: Store, message_pk: int) -> list[RecordedApplication]:
    return [
        RecordedApplication(*row)
        for row in store.db.execute(
            "SELECT id, reference, applicant_key, sender_key FROM "
            "applications WHERE message_pk = ?",
            [message_pk],
        )
    ]


def replies_out(store: Store, message_pk: int) -> list[ReplyOut]:
    """The message's replies that are no longer queued."""
    return [
        ReplyOut(*row)
        for row in store.db.execute(
            "SELECT id, application_pk FROM replies WHERE message_pk = ? AND state != 'queued'",
            [message_pk],
        )
    ]


def clear_message_record(store: Store, message_pk: int) -> None:
    """Remove what the message's last reading wrote: its queued replies, its applications and
    attachments; replies already out stay, unlinked from the removed applications."""
    store.db.execute("DELETE FROM replies WHERE message_pk = ? AND state = 'queued'", [message_pk])
    store.db.execute("UPDATE replies SET application_pk = NULL WHERE message_pk = ?", [message_pk])
    store.db.execute("DELETE FROM applications WHERE message_pk = ?", [message_pk])
    store.db.execute("DELETE FROM attachments WHERE message_pk = ?", [message_pk])


def set_disposition(store: Store, pk: int, disposition: str, reason: str | None) -> None:
    """The message is not read as mail about the call (e.g. an auto-reply): its disposition
    and reason, with no excerpt and no related application."""
    store.db.execute(
        "UPDATE messages SET disposition = ?, reason = ?, excerpt = NULL, "
        "related_application_pk = NULL WHERE id = ?",
        [disposition, reason, pk],
    )


def link_reply_to_reference(store: Store, reply_id: int, reference: str | None) -> None:
    """Link a reply to the application holding ``reference`` (unlinked when none does)."""
    store.db.execute(
        "UPDATE replies SET application_pk = (SELECT id FROM applications "
        "WHERE reference = ?) WHERE id = ?",
        [reference, reply_id],
    )


def applicant_keys(store: Store, message_pk: int) -> set[str]:
    """The applicant keys of the message's applications (those that have one)."""
    return {
        r[0]
        for r in store.db.execute(
            "SELECT applicant_key FROM applications WHERE message_pk = ?", [message_pk]
        )
        if r[0]
    }


def mark_stored_at(store: Store, pk: int, now: datetime) -> None:
    """Note when the message was stored, unless that is known already."""
    store.db.execute(
        "UPDATE messages SET stored_at = ? WHERE id = ? AND stored_at IS NULL",
        [iso(now), pk],
    )


def message_id_stored_before(store: Store, message_id: str, pk: int) -> bool:
    """A message stored before message ``pk`` has this Message-ID."""
    return (
        store.db.execute(
            "SELECT 1 FROM messages WHERE message_id = ? AND id < ? LIMIT 1", [message_id, pk]
        ).fetchone()
        is not None
    )


def last_message_pk(store: Store) -> int:
    """The highest message id so far (0 when none)."""
    return int(store.db.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0])


def dry_run_rows(store: Store, after: int) -> Iterator[DryRunRow]:
    """Each message stored after message ``after`` with each of its applications and their
    replies, in order of receipt."""
    rows = store.db.query(
        "SELECT m.id, m.received_at, m.sender, m.subject, m.disposition, m.reason, a.status, "
        "a.reply_withheld, r.template, r.state, m.signals FROM messages m "
        "LEFT JOIN applications a ON a.message_pk = m.id "
        "LEFT JOIN replies r ON r.application_pk = a.id "
        "WHERE m.id > ? ORDER BY m.received_at, m.id, a.id",
        [after],
    )
    for r in rows:
        yield DryRunRow(
            received_at=r["received_at"],
            sender=r["sender"],
            subject=r["subject"],
            disposition=r["disposition"],
            reason=r["reason"],
            status=r["status"],
            reply_withheld=r["reply_withheld"],
            template=r["template"],
            reply_state=r["state"],
            signals=r["signals"],
        )
