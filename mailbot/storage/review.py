"""The statements behind the coordinator's work: one application or message, the corrections
layer, decisions, handled entries, the attention queue, stored files and an applicant's history.

Writes run inside the caller's transaction (:meth:`Store.transaction`), so a change and its
event commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from mailbot.storage.store import Store, dumps, dumps_clean, iso, loads, utcnow

# --- one application, one message ------------------------------------------------------------


def find_application(store: Store, ref: str) -> dict[str, Any] | None:
    """The application with this reference number, else with this id (when ``ref`` is digits)."""
    rows = list(store.db.query("SELECT * FROM applications WHERE reference = ?", [ref]))
    if not rows and ref.isdigit():
        rows = list(store.db.query("SELECT * FROM applications WHERE id = ?", [int(ref)]))
    return rows[0] if rows else None


def find_message(store: Store, message_pk: int) -> dict[str, Any] | None:
    rows = list(store.db.query("SELECT * FROM messages WHERE id = ?", [message_pk]))
    return rows[0] if rows else None


def message_raw_file(store: Store, message_pk: int) -> str | None:
    """Where the stored message's bytes are (None: unknown message or none kept)."""
    row = store.db.execute("SELECT raw_file FROM messages WHERE id = ?", [message_pk]).fetchone()
    return row[0] if row else None


class ThreadSource(NamedTuple):
    """What a letter threaded under a stored message needs from it."""

    message_id: str | None
    raw_file: str | None
    subject: str | None


def thread_source(store: Store, message_pk: int) -> ThreadSource | None:
    row = store.db.execute(
        "SELECT message_id, raw_file, subject FROM messages WHERE id = ?", [message_pk]
    ).fetchone()
    return ThreadSource(*row) if row else None


def application_pk_of_message(store: Store, message_pk: int) -> int | None:
    row = store.db.execute(
        "SELECT id FROM applications WHERE message_pk = ?", [message_pk]
    ).fetchone()
    return int(row[0]) if row else None


def reference_of_message(store: Store, message_pk: int) -> str | None:
    row = store.db.execute(
        "SELECT reference FROM applications WHERE message_pk = ?", [message_pk]
    ).fetchone()
    return row[0] if row else None


def latest_message_from(store: Store, sender: str, since: str) -> int | None:
    """The id of the sender's latest message received at ``since`` or later (``sender`` in
    lower case, as stored addresses are compared folded)."""
    row = store.db.execute(
        "SELECT id FROM messages WHERE lower(sender) = ? AND received_at >= ? "
        "ORDER BY received_at DESC, id DESC LIMIT 1",
        [sender, since],
    ).fetchone()
    return int(row[0]) if row else None


def attachments_of_message(store: Store, message_pk: int) -> list[dict[str, Any]]:
    """The message's attached files (id, filename, kind, size, is_form, reason), in order."""
    return list(
        store.db.query(
            "SELECT id, filename, kind, size, is_form, reason FROM attachments "
            "WHERE message_pk = ? ORDER BY id",
            [message_pk],
        )
    )


def replies_to_message(store: Store, message_pk: int) -> list[dict[str, Any]]:
    """The letters queued or sent under the message (without their bytes), in order."""
    return list(
        store.db.query(
            "SELECT id, template, subject, state, queued_at, sent_at FROM replies "
            "WHERE message_pk = ? ORDER BY id",
            [message_pk],
        )
    )


def superseding_references(store: Store, application_pks: Sequence[int]) -> dict[int, str]:
    """Superseded application id → the reference number of the live application of the same
    applicant (the same applicant key, else the same person in the form; a sender's address
    only when the superseded one is known by nothing else)."""
    if not application_pks:
        return {}
    marks = ", ".join("?" for _ in application_pks)
    found: dict[int, str] = {}
    for app_id, key, person, sender in store.db.execute(
        f"SELECT id, applicant_key, coalesce(person_key, ''), sender_key FROM applications "
        f"WHERE superseded = 1 AND id IN ({marks})",
        list(application_pks),
    ).fetchall():
        row = store.db.execute(
            "SELECT reference FROM applications WHERE superseded = 0 AND id != ? AND "
            "(applicant_key = ? OR (? != '' AND person_key = ?) "
            "OR (? LIKE 'sender:%' AND sender_key = ?)) "
            "ORDER BY applicant_key = ? DESC, received_at DESC, id DESC LIMIT 1",
            [app_id, key, person, person, key or "", sender, key],
        ).fetchone()
        if row and row[0]:
            found[int(app_id)] = str(row[0])
    return found


class BouncedReply(NamedTuple):
    """A letter a bounce message reports as not delivered."""

    id: int
    to_addr: str | None
    subject: str | None
    reason: str | None
    reference: str | None


def replies_bounced_by(store: Store, message_pk: int) -> list[BouncedReply]:
    """The letters this message (a bounce) reports as not delivered, in order."""
    return [
        BouncedReply(*row)
        for row in store.db.execute(
            "SELECT r.id, r.to_addr, r.subject, r.bounce_reason, p.reference FROM replies r "
            "LEFT JOIN applications p ON p.id = r.application_pk "
            "WHERE r.bounce_message_pk = ? ORDER BY r.id",
            [message_pk],
        )
    ]


# --- corrections and decisions ---------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    field: str
    old: Any
    new: Any
    by: str
    at: str


def corrections(store: Store, application_pk: int) -> list[Correction]:
    """The corrections of an application, oldest first."""
    return [
        Correction(r["field"], loads(r["old"]), loads(r["new"]), r["by"], r["at"])
        for r in store.db.query(
            "SELECT * FROM corrections WHERE application_pk = ? ORDER BY id", [application_pk]
        )
    ]


def record_corrections(
    store: Store, application_pk: int, made: Sequence[Correction], layer: dict[str, Any]
) -> None:
    """Keep each correction's history and set the current layer of corrected values."""
    for c in made:
        store.insert(
            "corrections",
            {
                "application_pk": application_pk,
                "field": c.field,
                "old": dumps_clean(c.old),
                "new": dumps_clean(c.new),
                "by": c.by,
                "at": c.at,
            },
        )
    store.db.execute(
        "UPDATE applications SET corrected = ? WHERE id = ?", [dumps_clean(layer), application_pk]
    )


def decide_application(
    store: Store,
    application_pk: int,
    status: str,
    problems: Sequence[str],
    *,
    by: str,
    at: str,
    note: str | None,
    machine_status: str,
) -> None:
    """A person's decision; the status the machine gave is kept the first time one decides (a
    decision replaces a withdrawal: the link to the withdrawal message goes)."""
    store.db.execute(
        "UPDATE applications SET status = ?, problems = ?, decided_by = ?, decided_at = ?, "
        "decision_note = ?, machine_status = coalesce(machine_status, ?), "
        "withdrawal_message_pk = NULL WHERE id = ?",
        [status, dumps(list(problems)), by, at, note, machine_status, application_pk],
    )


# --- handled entries -------------------------------------------------------------------------


class HandledEntry(NamedTuple):
    by: str
    at: str
    how: str


def record_handled(store: Store, item: str, by: str, how: str) -> None:
    """An entry of the attention queue dealt with (``message:N``, ``application:N``,
    ``reply:N``); a second time replaces the first."""
    store.db.execute(
        "INSERT OR REPLACE INTO handled(item, by, at, how) VALUES (?, ?, ?, ?)",
        [item, by, iso(utcnow()), how],
    )


def handled_entry(store: Store, item: str) -> HandledEntry | None:
    row = store.db.execute("SELECT by, at, how FROM handled WHERE item = ?", [item]).fetchone()
    return HandledEntry(*row) if row else None


# --- the attention queue ---------------------------------------------------------------------


@dataclass(frozen=True)
class OpenApplication:
    """An application nobody has decided or cleared yet, with its message and form file."""

    id: int
    reference: str | None
    message_pk: int
    received_at: str | None
    sender: str | None
    subject: str | None
    raw_file: str | None
    filename: str | None
    reason: str | None  # why the attached form was not read
    reply_withheld: str | None
    supersede_note: str | None


@dataclass(frozen=True)
class OpenMessage:
    """A stored message nobody has cleared yet."""

    message_pk: int
    received_at: str | None
    sender: str | None
    subject: str | None
    reason: str | None
    raw_file: str | None


@dataclass(frozen=True)
class FailedReply:
    """A reply the mail server refused or that came back, not yet cleared."""

    id: int
    message_pk: int | None
    queued_at: str | None
    to_addr: str | None
    subject: str | None
    last_error: str | None
    bounce_reason: str | None
    state: str
    reference: str | None
    bounced_at: str | None  # when the bounce came (its arrival), for a bounced reply


_APP_COLUMNS = (
    "a.id, a.reference, a.message_pk, a.received_at, a.sender, m.subject, "
    "m.raw_file, t.filename, t.reason, a.reply_withheld, a.supersede_note"
)
_APP_FROM = (
    "FROM applications a JOIN messages m ON m.id = a.message_pk "
    "LEFT JOIN attachments t ON t.id = a.attachment_pk"
)
_APP_OPEN = (
    "a.decided_at IS NULL AND NOT EXISTS (SELECT 1 FROM handled h "
    "WHERE h.item = 'application:' || a.id)"
)
_MSG_COLUMNS = "m.id AS message_pk, m.received_at, m.sender, m.subject, m.reason, m.raw_file"
_MSG_OPEN = "NOT EXISTS (SELECT 1 FROM handled h WHERE h.item = 'message:' || m.id)"


def _open_applications(store: Store, where: str) -> list[OpenApplication]:
    return [
        OpenApplication(*row)
        for row in store.db.execute(
            f"SELECT {_APP_COLUMNS} {_APP_FROM} WHERE {where} ORDER BY a.received_at"
        ).fetchall()
    ]


def unread_forms_open(store: Store) -> list[OpenApplication]:
    """Live applications whose form a person has to read (``needs_review``), oldest first."""
    return _open_applications(
        store, f"a.status = 'needs_review' AND a.superseded = 0 AND {_APP_OPEN}"
    )


def unconfirmed_applications_open(store: Store) -> list[OpenApplication]:
    """Live applications with a form that no letter went out for, oldest first."""
    return _open_applications(
        store,
        f"a.superseded = 0 AND a.status != 'no_form' AND {_APP_OPEN} AND NOT EXISTS "
        f"(SELECT 1 FROM replies p WHERE p.message_pk = a.message_pk)",
    )


def late_applications_open(store: Store) -> list[OpenApplication]:
    """Live late applications, and late corrections of an application made in time."""
    return _open_applications(
        store,
        f"((a.status = 'late' AND a.superseded = 0) OR a.supersede_note = 'late_correction') "
        f"AND {_APP_OPEN}",
    )


def possible_corrections_open(store: Store) -> list[OpenApplication]:
    """Unread forms of a person whose earlier application was read and stays live."""
    return _open_applications(store, f"a.supersede_note = 'possible_correction' AND {_APP_OPEN}")


def formless_messages_of_applicants_open(store: Store) -> list[OpenApplication]:
    """Messages without a form from a sender who has an application with one."""
    return _open_applications(
        store,
        f"a.status = 'no_form' AND {_APP_OPEN} AND EXISTS (SELECT 1 FROM applications b "
        f"WHERE b.id != a.id AND b.status != 'no_form' AND b.sender_key = a.sender_key)",
    )


def _open_messages(store: Store, where: str, params: Sequence[str] = ()) -> list[OpenMessage]:
    return [
        OpenMessage(*row)
        for row in store.db.execute(
            f"SELECT {_MSG_COLUMNS} FROM messages m WHERE {where} ORDER BY m.received_at",
            list(params),
        ).fetchall()
    ]


def correspondence_open(store: Store) -> list[OpenMessage]:
    """Correspondence (questions, withdrawals, thanks) nobody cleared, oldest first."""
    return _open_messages(store, f"m.disposition = 'correspondence' AND {_MSG_OPEN}")


def failed_messages_open(store: Store) -> list[OpenMessage]:
    """Messages whose processing failed, nobody cleared, oldest first."""
    return _open_messages(store, f"m.disposition = 'error' AND {_MSG_OPEN}")


def unrelated_messages_open(
    store: Store, received_from: str, received_to: str
) -> list[OpenMessage]:
    """Messages taken as not about the call, received in the span, nobody cleared."""
    return _open_messages(
        store,
        f"m.disposition = 'unrelated' AND m.received_at >= ? AND m.received_at <= ? "
        f"AND {_MSG_OPEN}",
        [received_from, received_to],
    )


def failed_replies_open(store: Store) -> list[FailedReply]:
    """Replies refused by the mail server or bounced, nobody cleared, in queue order."""
    return [
        FailedReply(*row)
        for row in store.db.execute(
            "SELECT r.id, r.message_pk, r.queued_at, r.to_addr, r.subject, r.last_error, "
            "r.bounce_reason, r.state, p.reference, r.bounced_at FROM replies r "
            "LEFT JOIN applications p ON p.id = r.application_pk "
            "WHERE r.state IN ('failed', 'bounced') AND NOT EXISTS "
            "(SELECT 1 FROM handled h WHERE h.item = 'reply:' || r.id) "
            "ORDER BY r.id"
        ).fetchall()
    ]


# --- stored files ----------------------------------------------------------------------------


class StoredAttachment(NamedTuple):
    filename: str | None
    kind: str | None
    file: str | None  # inside the file store; None when the file was not kept
    sha256: str | None


def stored_attachment(store: Store, attachment_pk: int) -> StoredAttachment | None:
    row = store.db.execute(
        "SELECT filename, kind, file, sha256 FROM attachments WHERE id = ?", [attachment_pk]
    ).fetchone()
    return StoredAttachment(*row) if row else None


# --- an applicant's history ------------------------------------------------------------------


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def messages_from(store: Store, senders: Sequence[str]) -> list[dict[str, Any]]:
    """Messages from these addresses (lower case), in the order they arrived."""
    return list(
        store.db.query(
            f"SELECT id, received_at, subject, disposition, reason FROM messages "
            f"WHERE lower(sender) IN ({_marks(senders)}) ORDER BY received_at, id",
            list(senders),
        )
    )


def applications_of(store: Store, addresses: Sequence[str]) -> list[dict[str, Any]]:
    """Applications sent from, or naming, these addresses (lower case), oldest first."""
    marks = _marks(addresses)
    return list(
        store.db.query(
            f"SELECT id, reference, status, superseded, received_at, decided_by, decided_at "
            f"FROM applications WHERE sender_key IN ({marks}) OR applicant_email IN ({marks}) "
            f"ORDER BY received_at, id",
            [*addresses, *addresses],
        )
    )


def replies_to(store: Store, addresses: Sequence[str]) -> list[dict[str, Any]]:
    """Letters to these addresses (lower case) with their bytes (``raw``), in queue order."""
    return list(
        store.db.query(
            f"SELECT id, template, subject, state, queued_at, sent_at, raw FROM replies "
            f"WHERE lower(to_addr) IN ({_marks(addresses)}) ORDER BY id",
            list(addresses),
        )
    )


def events_of_messages(store: Store, message_pks: Sequence[int]) -> list[dict[str, Any]]:
    """What happened to these messages (and by whom), in order."""
    return list(
        store.db.query(
            f"SELECT at, kind, detail, actor, message_pk FROM events WHERE message_pk IN "
            f"({_marks(message_pks)}) ORDER BY id",
            list(message_pks),
        )
    )
