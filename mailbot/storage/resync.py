"""The mailbox as the second memory: the letters found in Sent, and what the database adopts.

``sent_letters`` indexes mailbot's own letters in the mailbox's Sent folder (by their
``X-Mailbot-Reply``), refreshed by UID on every pass (:mod:`mailbot.ops.resync`). A letter is
*known* when a reply row has its Message-ID; an unknown one was sent by a state of the database
that is gone (a restored backup, a reinstall). The functions here find, for a message or a
queued reply, the unknown letter that stands for it, and record it as sent instead of sending
it again; they keep the reference counter at or above every number found.

Each function runs on the store's connection and opens no transaction of its own, except where
its name says so. The few that ``mailbot check`` needs take a plain read-only connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from mailbot.names import (
    AUTOMATIC_LETTERS,
    PURGED_BEFORE_KEY,
    REFERENCE_COUNTER_KEY,
    RESTORE_DOUBT_KEY,
    ReplyState,
    SentCopy,
    last_uid_key,
    read_back_key,
    uidvalidity_key,
)
from mailbot.storage.replies import queue_reply
from mailbot.storage.store import Store, iso, parse_iso, utcnow

#: why a message read back from the archive folder gets no new automatic letter (Polish: the
#: coordinator reads it)
READ_BACK_REASON = (
    "wiadomość odczytana ponownie z folderu archiwum, do którego trafiła po obsłużeniu; "
    "kopii odpowiedzi nie ma w folderze wysłanych – sprawdź, czy zgłaszający otrzymał "
    "potwierdzenie"
)
#: why mail received before a restore gets none when the mailbox keeps no copies of letters
DOUBT_REASON = (
    "wiadomość wpłynęła przed odtworzeniem bazy z kopii zapasowej, a skrzynka nie zachowuje "
    "kopii wysłanych odpowiedzi – mogła już otrzymać odpowiedź; sprawdź i w razie potrzeby "
    "odpowiedz ręcznie"
)

#: how the event of an application whose letter was found in Sent says so
FOUND_IN_SENT = "its letter found in Sent"

_LETTER_COLUMNS = (
    "folder, uidvalidity, uid, message_id, in_reply_to, reference, kind, sent_at, to_addr, "
    "subject, raw"
)
_UNKNOWN = "NOT EXISTS (SELECT 1 FROM replies x WHERE x.reply_message_id = s.message_id)"


@dataclass(frozen=True)
class SentLetter:
    """One of mailbot's letters as found in the Sent folder."""

    folder: str  # the folder as the server names it
    uidvalidity: int
    uid: int
    message_id: str | None
    in_reply_to: str | None  # the Message-ID of the message it answers
    reference: str | None
    kind: str  # the template: a status, "limit_reached", "answer", "review_accepted" …
    sent_at: str | None  # ISO time (its Date header, else when the server got it)
    to_addr: str | None = None
    subject: str | None = None
    raw: bytes | None = None  # kept only while the database does not know the letter


def _marks(values: Collection[object]) -> str:
    return ", ".join("?" for _ in values) or "NULL"


def number_of(reference: str | None, prefix: str) -> int | None:
    """The number in ``PREFIX-0007`` (7), or None for another call's or no reference."""
    if not reference or not reference.upper().startswith(prefix.upper() + "-"):
        return None
    digits = reference[len(prefix) + 1 :]
    return int(digits) if digits.isdigit() else None


def _letter(row: Iterable[object]) -> SentLetter:
    return SentLetter(*row)  # type: ignore[arg-type]


# --- the index of Sent, refreshed by UID -----------------------------------------------------


def folder_mark(store: Store, mailbox: str) -> tuple[int | None, int]:
    """(UIDVALIDITY, highest UID read) of a folder read by UID (Sent, the archive folder)."""
    validity = store.get_state(uidvalidity_key(mailbox))
    return (int(validity) if validity else None, int(store.get_state(last_uid_key(mailbox)) or 0))


def set_folder_mark(store: Store, mailbox: str, uidvalidity: int, last_uid: int) -> None:
    store.set_state(uidvalidity_key(mailbox), str(uidvalidity))
    store.set_state(last_uid_key(mailbox), str(last_uid))


def forget_letters(store: Store, folder: str, uidvalidity: int) -> None:
    """The folder's UIDVALIDITY changed: its copies are read again under their new UIDs."""
    store.conn.execute(
        "DELETE FROM sent_letters WHERE folder = ? AND uidvalidity != ?", [folder, uidvalidity]
    )


def known_replies(conn: sqlite3.Connection, message_ids: Collection[str]) -> set[str]:
    """Which of these Message-IDs are replies the database holds."""
    found: set[str] = set()
    ids = list(message_ids)
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        found.update(
            r[0]
            for r in conn.execute(
                f"SELECT reply_message_id FROM replies WHERE reply_message_id IN ({_marks(batch)})",
                batch,
            )
        )
    return found


def known_messages(conn: sqlite3.Connection, message_ids: Collection[str]) -> set[str]:
    """Which of these Message-IDs are messages the database holds."""
    found: set[str] = set()
    ids = list(message_ids)
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        found.update(
            r[0]
            for r in conn.execute(
                f"SELECT message_id FROM messages WHERE message_id IN ({_marks(batch)})", batch
            )
        )
    return found


def add_letters(store: Store, letters: Iterable[SentLetter]) -> int:
    """Index these copies (a copy indexed before is left as it is); return how many are new."""
    added = 0
    for letter in letters:
        cursor = store.conn.execute(
            f"INSERT OR IGNORE INTO sent_letters ({_LETTER_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                letter.folder,
                letter.uidvalidity,
                letter.uid,
                letter.message_id,
                letter.in_reply_to,
                letter.reference,
                letter.kind,
                letter.sent_at,
                letter.to_addr,
                letter.subject,
                letter.raw,
            ],
        )
        added += cursor.rowcount
    return added


def in_sent(store: Store, message_id: str | None) -> bool:
    """Whether a copy with this Message-ID is indexed in Sent (saved before a restore)."""
    if not message_id:
        return False
    row = store.conn.execute(
        "SELECT 1 FROM sent_letters WHERE message_id = ? LIMIT 1", [message_id]
    ).fetchone()
    return row is not None


def last_event(store: Store) -> int:
    row = store.conn.execute("SELECT max(id) FROM events").fetchone()
    return int(row[0] or 0)


def letters_found_since(store: Store, event_pk: int) -> int:
    """Letters recorded from the Sent folder after event ``event_pk`` (by their events)."""
    row = store.conn.execute(
        "SELECT count(*) FROM events WHERE id > ? AND (kind = 'reply_found_in_sent' OR "
        "(kind = 'application' AND detail LIKE ?))",
        [event_pk, f"%{FOUND_IN_SENT}%"],
    ).fetchone()
    return int(row[0])


def drop_adopted_bytes(store: Store) -> None:
    """The bytes of copies the database now knows are in its replies: not kept twice."""
    store.conn.execute(
        "UPDATE sent_letters SET raw = NULL, to_addr = NULL, subject = NULL WHERE raw IS NOT "
        "NULL AND EXISTS (SELECT 1 FROM replies x WHERE x.reply_message_id = sent_letters."
        "message_id)"
    )


# --- the reference counter -------------------------------------------------------------------


def counter(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [REFERENCE_COUNTER_KEY]).fetchone()
    return int(row[0]) if row and row[0] else 0


def highest_number(store: Store, prefix: str) -> int:
    """The highest number of this call found in the Sent copies and the applications."""
    best = 0
    head = prefix + "-"
    for (reference,) in store.conn.execute(
        "SELECT reference FROM sent_letters WHERE upper(substr(reference, 1, ?)) = upper(?) "
        "UNION SELECT reference FROM applications WHERE upper(substr(reference, 1, ?)) = upper(?)",
        [len(head), head, len(head), head],
    ):
        best = max(best, number_of(reference, prefix) or 0)
    return best


def raise_counter(store: Store, number: int, why: str) -> bool:
    """The counter never goes below ``number``; True when it moved (with an event)."""
    now = counter(store.conn)
    if number <= now:
        return False
    store.set_state(REFERENCE_COUNTER_KEY, str(number))
    store.event("reference_counter_raised", None, f"{now} -> {number}: {why}")
    return True


# --- the letter that stands for a message or a queued reply ---------------------------------


def letters_for_message(store: Store, message_id: str, prefix: str) -> list[SentLetter]:
    """The unknown automatic letters of this call answering ``message_id``, by number."""
    rows = store.conn.execute(
        f"SELECT {_LETTER_COLUMNS} FROM sent_letters s WHERE s.in_reply_to = ? AND s.kind IN "
        f"({_marks(AUTOMATIC_LETTERS)}) AND {_UNKNOWN} ORDER BY s.uid",
        [message_id, *AUTOMATIC_LETTERS],
    ).fetchall()
    letters = [_letter(r) for r in rows if number_of(r[5], prefix) is not None]
    seen: set[str] = set()
    out = []
    for letter in sorted(letters, key=lambda x: number_of(x.reference, prefix) or 0):
        if letter.reference not in seen:  # two copies of one letter stand for one letter
            seen.add(str(letter.reference))
            out.append(letter)
    return out


def letter_for_reply(store: Store, reply_pk: int) -> SentLetter | None:
    """The copy in Sent of this queued reply: its own (by Message-ID), or — for an automatic
    letter — an unknown letter answering the same message, of the same application first.

    The statement that reads the reply also says whether Sent holds a copy of either kind: with
    none (an empty index, the usual case) it is the only one; a copy is then looked up as
    before."""
    row = store.conn.execute(
        "SELECT r.reply_message_id, r.template, m.message_id, a.reference, "
        "EXISTS (SELECT 1 FROM sent_letters s WHERE s.message_id = r.reply_message_id), "
        "EXISTS (SELECT 1 FROM sent_letters s WHERE s.in_reply_to = m.message_id AND s.kind IN "
        f"({_marks(AUTOMATIC_LETTERS)}) AND {_UNKNOWN}) "
        "FROM replies r LEFT JOIN messages m ON m.id = r.message_pk "
        "LEFT JOIN applications a ON a.id = r.application_pk WHERE r.id = ?",
        [*AUTOMATIC_LETTERS, reply_pk],
    ).fetchone()
    if row is None:
        return None
    own_id, template, message_id, reference, own_copy, other_copy = row
    if own_id and own_copy:
        own = store.conn.execute(
            f"SELECT {_LETTER_COLUMNS} FROM sent_letters WHERE message_id = ? LIMIT 1", [own_id]
        ).fetchone()
        if own:
            return _letter(own)
    if template not in AUTOMATIC_LETTERS or not message_id or not other_copy:
        return None
    other = store.conn.execute(
        f"SELECT {_LETTER_COLUMNS} FROM sent_letters s WHERE s.in_reply_to = ? AND s.kind IN "
        f"({_marks(AUTOMATIC_LETTERS)}) AND {_UNKNOWN} "
        "ORDER BY coalesce(s.reference = ?, 0) DESC, s.uid LIMIT 1",
        [message_id, *AUTOMATIC_LETTERS, reference],
    ).fetchone()
    return _letter(other) if other else None


def adopt(store: Store, reply_pk: int, letter: SentLetter) -> None:
    """Record a queued reply as the letter found in Sent: sent, its copy saved, never sent
    again. An automatic letter that carried another number of the same call gives the
    application that number (the applicant was told it), unless another application holds it."""
    row = store.conn.execute(
        "SELECT r.application_pk, r.message_pk, a.reference FROM replies r "
        "LEFT JOIN applications a ON a.id = r.application_pk WHERE r.id = ?",
        [reply_pk],
    ).fetchone()
    app_pk, message_pk, reference = row if row else (None, None, None)
    store.conn.execute(
        "UPDATE replies SET state = ?, sent_at = coalesce(?, sent_at, ?), sent_copy = ?, "
        "reply_message_id = coalesce(?, reply_message_id), raw = coalesce(?, raw), "
        "last_error = NULL WHERE id = ?",
        [
            ReplyState.SENT,
            letter.sent_at,
            iso(utcnow()),
            SentCopy.SAVED,
            letter.message_id,
            letter.raw,
            reply_pk,
        ],
    )
    store.event(
        "reply_found_in_sent",
        message_pk,
        f"reply {reply_pk}: {letter.kind} {letter.reference or ''} already in {letter.folder} "
        "(not sent again)",
    )
    prefix = str(reference).rpartition("-")[0]
    if (
        app_pk is not None
        and letter.kind in AUTOMATIC_LETTERS
        and letter.reference
        and reference
        and letter.reference != reference
        and number_of(letter.reference, prefix) is not None
        and not store.conn.execute(
            "SELECT 1 FROM applications WHERE reference = ?", [letter.reference]
        ).fetchone()
    ):
        store.conn.execute(
            "UPDATE applications SET reference = ? WHERE id = ?", [letter.reference, app_pk]
        )
        store.event(
            "reference_from_sent",
            message_pk,
            f"{reference} -> {letter.reference}: the number its letter carried",
        )
        raise_counter(store, number_of(letter.reference, prefix) or 0, "a letter in Sent")


def unsent_replies(store: Store) -> list[int]:
    """Ids of the replies still to go out (queued, or caught while sending)."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM replies WHERE state IN (?, ?) ORDER BY id",
            [ReplyState.QUEUED, ReplyState.SENDING],
        )
    ]


@dataclass(frozen=True)
class Orphan:
    """An unknown letter in Sent answering a message the database holds."""

    letter: SentLetter
    message_pk: int
    application_pk: int | None


def orphans(store: Store) -> list[Orphan]:
    """Unknown letters answering stored messages that have no reply waiting to go (those are
    adopted by the outbox's check instead)."""
    out = []
    rows = store.conn.execute(
        f"SELECT {', '.join('s.' + c.strip() for c in _LETTER_COLUMNS.split(','))}, m.id, "
        "(SELECT a.id FROM applications a WHERE a.message_pk = m.id AND a.reference = "
        "s.reference LIMIT 1) FROM sent_letters s JOIN messages m ON m.id = (SELECT min(x.id) "
        "FROM messages x WHERE x.message_id = s.in_reply_to) "
        f"WHERE s.message_id IS NOT NULL AND {_UNKNOWN} AND NOT EXISTS (SELECT 1 FROM replies q "
        "WHERE q.message_pk = m.id AND q.state IN (?, ?)) ORDER BY s.uid",
        [ReplyState.QUEUED, ReplyState.SENDING],
    ).fetchall()
    seen: set[str] = set()
    for row in rows:
        letter = _letter(row[:11])
        if letter.message_id in seen:
            continue
        seen.add(str(letter.message_id))
        out.append(Orphan(letter, int(row[11]), row[12]))
    return out


def record_orphan(store: Store, orphan: Orphan, raw: bytes | None, to_addr: str | None) -> None:
    """A letter found in Sent recorded as a sent reply of its message (history the database
    lost); an automatic letter clears the application's "no letter went out"."""
    letter = orphan.letter
    when = letter.sent_at or iso(utcnow())
    queue_reply(
        store,
        message_pk=orphan.message_pk,
        application_pk=orphan.application_pk,
        template=letter.kind,
        to_addr=to_addr or letter.to_addr or "",
        subject=letter.subject or "",
        message_id=letter.message_id,
        raw=raw if raw is not None else (letter.raw or b""),
        queued_at=when,
        sent_at=when,
    )
    if orphan.application_pk is not None and letter.kind in AUTOMATIC_LETTERS:
        store.conn.execute(
            "UPDATE applications SET reply_withheld = NULL WHERE id = ?", [orphan.application_pk]
        )
    store.event(
        "reply_found_in_sent",
        orphan.message_pk,
        f"{letter.kind} {letter.reference or ''} found in {letter.folder}: recorded as sent",
    )


# --- mail read back from the archive folder ---------------------------------------------------


def mark_read_back(store: Store, mailbox: str) -> None:
    store.set_state(read_back_key(mailbox), "1")


def archive_read_back(store: Store, mailbox: str) -> int:
    """Messages read back from the archive folder are where archiving would put them."""
    return store.conn.execute(
        "UPDATE messages SET archived = 1 WHERE mailbox = ? AND archived = 0", [mailbox]
    ).rowcount


def read_back_since(conn: sqlite3.Connection, since: datetime | None) -> datetime | None:
    """The first receipt time worth reading back: ``since``, or the last purge day when later
    (purged mail stays out of the database)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [PURGED_BEFORE_KEY]).fetchone()
    purged = parse_iso(row[0]) if row and row[0] else None
    if purged is None:
        return since
    return purged if since is None or purged > since else since


def set_doubt(store: Store, until: datetime) -> None:
    """Mail received before ``until`` that the database does not know may have been answered
    already, with no copy kept (a restore while the mailbox keeps no copies of the letters)."""
    store.set_state(RESTORE_DOUBT_KEY, iso(until))


def handled_keys(mailbox: str) -> tuple[str, str]:
    """The state :func:`handled_before` reads for a message of this folder."""
    return read_back_key(mailbox), RESTORE_DOUBT_KEY


def handled_before(
    store: Store,
    mailbox: str,
    received_at: datetime,
    state: Mapping[str, str] | None = None,
) -> str | None:
    """Why a message must not get a new automatic letter (it may have had one), or None.
    ``state``: the values of :func:`handled_keys` read already (with others, in one
    statement); read here when not given."""
    values = store.get_states(handled_keys(mailbox)) if state is None else state
    if values.get(read_back_key(mailbox)):
        return READ_BACK_REASON
    doubt = values.get(RESTORE_DOUBT_KEY)
    if doubt and received_at <= parse_iso(doubt):
        return DOUBT_REASON
    return None


# --- a look without writing (mailbot check) --------------------------------------------------


def open_read_only(path: Path) -> sqlite3.Connection | None:
    """The database opened read-only (nothing created or migrated); None when it is missing."""
    if not path.exists():
        return None
    return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)


def state(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None
