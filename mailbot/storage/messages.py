"""What the pipeline reads and writes about messages, their applications and failed attempts.

The statements behind :mod:`mailbot.pipeline.record` (one message's outcome), the thread and
superseding look-ups of the reading stages, the retry list and the archive step of a pass. All
of them run on the plain connection (``store.conn``): a pass with nothing new reads its state
without loading sqlite-utils.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from mailbot.names import REFERENCE_COUNTER_KEY
from mailbot.storage.store import Store, parse_iso

if TYPE_CHECKING:
    from mailbot.models import RawMessage


def _marks(values: Collection[object]) -> str:
    return ", ".join("?" for _ in values) or "NULL"


# --- the reference counter ------------------------------------------------------------------


def last_reference_number(store: Store) -> int:
    """The number of the last reference given (0 before the first)."""
    return int(store.get_state(REFERENCE_COUNTER_KEY) or 0)


def reference_number_in(state: Mapping[str, str]) -> int:
    """:func:`last_reference_number` in values read with ``Store.get_states`` (its key:
    :data:`~mailbot.names.REFERENCE_COUNTER_KEY`)."""
    return int(state.get(REFERENCE_COUNTER_KEY) or 0)


def set_last_reference_number(store: Store, number: int) -> None:
    store.set_state(REFERENCE_COUNTER_KEY, str(number))


# --- which application a message refers to ---------------------------------------------------


def application_of_reply(store: Store, message_ids: Sequence[str]) -> tuple[str, int] | None:
    """(our reply's Message-ID, its application) for the latest of our replies among these."""
    if not message_ids:
        return None
    row = store.conn.execute(
        f"SELECT reply_message_id, application_pk FROM replies WHERE reply_message_id IN "
        f"({_marks(message_ids)}) ORDER BY id DESC LIMIT 1",
        list(message_ids),
    ).fetchone()
    return (row[0], row[1]) if row else None


def application_with_reference(store: Store, reference: str) -> int | None:
    row = store.conn.execute(
        "SELECT id FROM applications WHERE reference = ? COLLATE NOCASE", [reference]
    ).fetchone()
    return int(row[0]) if row else None


def latest_application_of_sender(store: Store, sender_key: str) -> int | None:
    row = store.conn.execute(
        "SELECT id FROM applications WHERE sender_key = ? "
        "ORDER BY received_at DESC, id DESC LIMIT 1",
        [sender_key],
    ).fetchone()
    return int(row[0]) if row else None


def application_exists(store: Store, app_pk: int) -> bool:
    row = store.conn.execute("SELECT 1 FROM applications WHERE id = ?", [app_pk]).fetchone()
    return row is not None


# --- superseding -----------------------------------------------------------------------------


class ApplicantRow(NamedTuple):
    """What superseding needs of one application (a row as it is read: each message reads
    every application of its applicant, so a row costs no more than the tuple it is)."""

    id: int
    applicant_key: str
    sender_key: str | None
    received_at: str
    status: str
    fields: str | None  # the form's JSON
    superseded: int
    supersede_note: str | None
    person_key: str | None  # the person its form names ('' for none)


_APPLICANT_COLUMNS = (
    "id, applicant_key, sender_key, received_at, status, fields, superseded, supersede_note, "
    "person_key"
)


def _applicant_rows(store: Store, where: str, params: Sequence[object]) -> list[ApplicantRow]:
    return list(
        map(
            ApplicantRow._make,
            store.conn.execute(
                f"SELECT {_APPLICANT_COLUMNS} FROM applications WHERE {where}", list(params)
            ),
        )
    )


def applications_of_applicants(
    store: Store, keys: Collection[str], senders: Collection[str] = ()
) -> list[ApplicantRow]:
    """Applications whose applicant key is one of ``keys`` or whose sender is one of ``senders``."""
    return _applicant_rows(
        store,
        f"applicant_key IN ({_marks(keys)}) OR sender_key IN ({_marks(senders)})",
        [*keys, *senders],
    )


def applications_with_ids(store: Store, ids: Collection[int]) -> list[ApplicantRow]:
    """These applications (superseding reads the rows it does not hold yet)."""
    return _applicant_rows(store, f"id IN ({_marks(ids)})", list(ids))


class SentBy(NamedTuple):
    """An application of a sender: its id and applicant key, and what that key says (by
    SQLite's LIKE, as the applications table is queried everywhere)."""

    id: int
    sender_key: str
    applicant_key: str | None
    names_person: bool  # a form naming a person: known neither by its sender nor its message
    sender_only: bool  # known by its sender only (no form read: a scan, no form)


def sent_by(store: Store, sender_keys: Collection[str]) -> list[SentBy]:
    """Every application of these senders, in one index read."""
    return [
        SentBy(row[0], row[1], row[2], bool(row[3]), bool(row[4]))
        for row in store.conn.execute(
            "SELECT id, sender_key, applicant_key, applicant_key NOT LIKE 'sender:%' AND "
            "applicant_key NOT LIKE 'message:%', applicant_key LIKE 'sender:%' "
            f"FROM applications WHERE sender_key IN ({_marks(sender_keys)})",
            list(sender_keys),
        )
    ]


def people_of(sent: Iterable[SentBy]) -> dict[str, set[str]]:
    """Sender → the applicant keys of the forms it sent (persons, not senders or messages)."""
    people: dict[str, set[str]] = {}
    for a in sent:
        if a.names_person and a.applicant_key is not None:
            people.setdefault(a.sender_key, set()).add(a.applicant_key)
    return people


def persons_of(store: Store, keys: Collection[str]) -> dict[str, str]:
    """Applicant key → the person its first application names, for these keys (keys whose
    first form names nobody are left out)."""
    return _first_persons(store, f"applicant_key IN ({_marks(keys)})", list(keys))


def applicants_naming(store: Store, persons: Collection[str]) -> dict[str, str]:
    """Applicant key → person, for every applicant whose first application names one of
    ``persons``."""
    return _first_persons(store, f"person_key IN ({_marks(persons)})", list(persons))


def _first_persons(store: Store, where: str, params: list[object]) -> dict[str, str]:
    return {
        row[0]: row[1]
        for row in store.conn.execute(
            f"SELECT a.applicant_key, a.person_key FROM applications a WHERE {where} "
            "AND a.person_key != '' AND a.id = (SELECT min(b.id) FROM applications b "
            "WHERE b.applicant_key = a.applicant_key)",
            params,
        )
    }


def mark_superseded(store: Store, app_pk: int, superseded: bool, note: str | None) -> None:
    """Set an application's live/superseded mark."""
    store.conn.execute(
        "UPDATE applications SET superseded = ?, supersede_note = ? WHERE id = ?",
        [int(superseded), note, app_pk],
    )


def mark_superseded_all(store: Store, marks: list[tuple[int, bool, str | None]]) -> None:
    """Set the live/superseded marks of several applications at once: (id, superseded, note)."""
    store.conn.executemany(
        "UPDATE applications SET superseded = ?, supersede_note = ? WHERE id = ?",
        [(int(superseded), note, app_pk) for app_pk, superseded, note in marks],
    )


# --- messages --------------------------------------------------------------------------------


def rewrite_message(store: Store, message_pk: int, values: dict[str, object]) -> None:
    """Replace what is known of a stored message (reprocessing): the given columns only."""
    sets = ", ".join(f"{column} = ?" for column in values)
    store.conn.execute(f"UPDATE messages SET {sets} WHERE id = ?", [*values.values(), message_pk])


def move_message_uid(store: Store, message_pk: int, uidvalidity: int, uid: int) -> None:
    """The folder's UIDVALIDITY changed: the stored message has a new UID."""
    store.conn.execute(
        "UPDATE messages SET uidvalidity = ?, uid = ? WHERE id = ?",
        [uidvalidity, uid, message_pk],
    )


def messages_to_archive(store: Store, mailbox: str, uidvalidity: int) -> list[tuple[int, int]]:
    """(message, UID) of the call's mail in this folder that is stored and answered (or needs no
    answer) and not yet moved to the archive — never a colleague's or unrelated mail."""
    return [
        (row[0], row[1])
        for row in store.conn.execute(
            "SELECT m.id, m.uid FROM messages m WHERE m.mailbox = ? AND m.uidvalidity = ? "
            "AND m.disposition IN ('application', 'correspondence') "
            "AND m.archived = 0 AND m.uid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM replies r "
            "WHERE r.message_pk = m.id AND r.state IN ('queued', 'sending')) ORDER BY m.uid",
            [mailbox, uidvalidity],
        )
    ]


def mark_archived(store: Store, message_pks: Collection[int]) -> None:
    store.conn.execute(
        f"UPDATE messages SET archived = 1 WHERE id IN ({_marks(message_pks)})",
        list(message_pks),
    )


# --- failed attempts -------------------------------------------------------------------------


@dataclass(frozen=True)
class FailedMessage:
    """A message whose processing failed, kept to be tried again."""

    id: int
    origin: str
    mailbox: str
    uidvalidity: int | None
    uid: int | None
    internaldate: str | None
    sha256: str
    raw_file: str
    attempts: int


_FAILURE_COLUMNS = "id, origin, mailbox, uidvalidity, uid, internaldate, sha256, raw_file, attempts"


def failed_messages(store: Store) -> list[FailedMessage]:
    """Every message waiting to be tried again, oldest first."""
    return [
        FailedMessage(*row)
        for row in store.conn.execute(f"SELECT {_FAILURE_COLUMNS} FROM failures ORDER BY id")
    ]


def messages_to_retry(store: Store) -> list[RawMessage]:
    """The messages whose processing failed on an earlier pass, as fetched, to be tried again."""
    failed = failed_messages(store)
    if not failed:
        return []
    from mailbot.models import RawMessage  # loaded when there is something to retry

    return [
        RawMessage(
            raw=store.read_file(f.raw_file),
            origin="imap" if f.origin == "imap" else "file",
            mailbox=f.mailbox,
            uidvalidity=f.uidvalidity,
            uid=f.uid,
            internaldate=parse_iso(f.internaldate) if f.internaldate else None,
            retry=True,
        )
        for f in failed
    ]


def failure_of(store: Store, sha256: str, mailbox: str) -> FailedMessage | None:
    row = store.conn.execute(
        f"SELECT {_FAILURE_COLUMNS} FROM failures WHERE sha256 = ? AND mailbox = ?",
        [sha256, mailbox],
    ).fetchone()
    return FailedMessage(*row) if row else None


def failed_before(store: Store, sha256: str) -> bool:
    row = store.conn.execute("SELECT 1 FROM failures WHERE sha256 = ?", [sha256]).fetchone()
    return row is not None


def count_failure(store: Store, failure_pk: int, attempts: int, error: str, at: str) -> None:
    store.conn.execute(
        "UPDATE failures SET attempts = ?, last_error = ?, last_at = ? WHERE id = ?",
        [attempts, error, at, failure_pk],
    )


def drop_failure(store: Store, failure_pk: int) -> None:
    store.conn.execute("DELETE FROM failures WHERE id = ?", [failure_pk])


def forget_failures(store: Store, sha256: str, mailbox: str) -> None:
    store.conn.execute("DELETE FROM failures WHERE sha256 = ? AND mailbox = ?", [sha256, mailbox])
