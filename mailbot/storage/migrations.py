"""The schema's migrations in the order they are applied (``PRAGMA user_version`` is the last
one applied): 1–10 in :mod:`mailbot.storage.schema`, the later ones here. Each runs in a
transaction of its own (:meth:`mailbot.storage.store.Store` opens the database and applies
those it has not had yet)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from mailbot import form_roles
from mailbot.errors import StorageError
from mailbot.storage import search
from mailbot.storage.schema import (
    migrate_1,
    migrate_2,
    migrate_3,
    migrate_4,
    migrate_5,
    migrate_6,
    migrate_7,
    migrate_8,
    migrate_9,
    migrate_10,
)

if TYPE_CHECKING:  # imported when first used: a pass with nothing new never needs it
    import sqlite_utils

    from parsers import FormSpec


#: a text value longer than this stays out of ``applications.summary`` (a free text)
SUMMARY_MAX_TEXT = 1000


def migrate_11(db: sqlite_utils.Database) -> None:
    """The person each application's form names (``person:name|organisation``; '' for none),
    indexed, so superseding looks up the forms of the persons in question instead of reading
    every stored form for every message. The applications stored before get theirs in the same
    transaction (:func:`backfill_11`)."""
    db.table("applications").add_column("person_key", str)
    db.execute(
        "UPDATE applications SET person_key = applicant_key WHERE applicant_key LIKE 'person:%'"
    )
    db.execute(
        "UPDATE applications SET person_key = '' WHERE applicant_key NOT LIKE 'person:%' "
        "AND applicant_key NOT LIKE 'email:%'"
    )
    db.execute("CREATE INDEX idx_applications_person_key ON applications(person_key)")


def backfill_11(db: sqlite_utils.Database, form: FormSpec | None) -> None:
    """The person named by each form known by e-mail, as the record stage stores it with a new
    application (:func:`mailbot.form_roles.person_of` over the values read by machine); it needs
    the call's form spec, so a database holding such forms is migrated only when opened with
    it (the configuration)."""
    rows = db.execute(
        "SELECT id, applicant_key, fields FROM applications WHERE person_key IS NULL ORDER BY id"
    ).fetchall()
    if not rows:
        return
    if form is None:
        raise StorageError(
            "migration 11 computes the person each stored form names and needs the call's "
            "form: open the database with its configuration"
        )
    db.conn.executemany(
        "UPDATE applications SET person_key = ? WHERE id = ?",
        [
            (form_roles.person_of(key, stored_object(fields), form) or "", pk)
            for pk, key, fields in rows
        ],
    )


def stored_object(text: object) -> dict[str, Any]:
    """A stored JSON object (a form's values, a layer of corrections); {} for none, for a
    damaged one or for another kind of value (here, where the backfills need it; the store
    gives it to everyone else as ``store.stored_object``)."""
    try:
        value = json.loads(str(text)) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def migrate_12(db: sqlite_utils.Database) -> None:
    """What the mailbox has learned: word and phrase statistics (no bodies, addresses or
    subjects) — per term, how many history messages (``mailbot learn``), everyday messages since
    and messages about the call hold it — and a person's teaching by sender (a hash of the
    address) or thread (a hash of a Message-ID); the senders who wrote about the call, found
    through an index."""
    db.execute(
        "CREATE TABLE learned_terms (term TEXT PRIMARY KEY, history INTEGER NOT NULL DEFAULT 0, "
        "everyday INTEGER NOT NULL DEFAULT 0, call INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE taught (kind TEXT NOT NULL, key TEXT NOT NULL, side TEXT NOT NULL, "
        "by TEXT, at TEXT, PRIMARY KEY (kind, key)) WITHOUT ROWID"
    )
    # has this sender written about the call before (an application or correspondence)?
    db.execute(
        "CREATE INDEX idx_messages_about_call_sender ON messages(lower(sender), received_at) "
        "WHERE disposition IN ('application', 'correspondence')"
    )


def migrate_13(db: sqlite_utils.Database) -> None:
    """The OCR pre-fill of applications whose form is a scan: its state (pending, reading,
    done, failed), the values read with their confidence and boxes (JSON, never the
    application's fields), the engine, the upright page images kept in the file store, and why
    a read failed. Removed with its application."""
    db.execute(
        "CREATE TABLE prefills ("
        "application_pk INTEGER PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE, "
        "state TEXT NOT NULL, reason TEXT, detail TEXT, prefill TEXT, engine TEXT, "
        "pages INTEGER, page_files TEXT, attempts INTEGER NOT NULL DEFAULT 0, "
        "queued_at TEXT, started_at TEXT, finished_at TEXT, seconds REAL)"
    )
    db.execute("CREATE INDEX idx_prefills_state ON prefills(state, queued_at)")
    # the scans waiting for OCR are found from the few attachments that are scans
    db.execute("CREATE INDEX idx_attachments_scan ON attachments(message_pk) WHERE reason = 'scan'")
    db.execute("CREATE INDEX idx_applications_attachment ON applications(attachment_pk)")


def migrate_14(db: sqlite_utils.Database) -> None:
    """The workspace's sessions, kept here so that logging out, a new password, a removed user
    or a changed role ends them at once (the cookie holds only a random token, stored hashed);
    failed logins counted per key (hashed: login and address, address, login, all), so the
    slowing survives a restart; the (login, address) pairs that logged in successfully."""
    db.table("sessions").create(
        {"id": str, "login": str, "role": str, "created_at": str, "seen_at": int},
        pk="id",
        not_null={"login", "role", "seen_at"},
    )
    db.table("sessions").create_index(["login"])
    db.table("login_failures").create(
        {"key": str, "failures": int, "last_at": float, "until": float},
        pk="key",
        not_null={"failures", "last_at", "until"},
    )
    db.table("login_successes").create({"key": str, "at": float}, pk="key", not_null={"at"})


def migrate_15(db: sqlite_utils.Database) -> None:
    """The letters found in the mailbox's Sent folder (mailbot's own, by ``X-Mailbot-Reply``):
    the mailbox is the second memory of what was answered. One row per copy, by folder,
    UIDVALIDITY and UID; the bytes only of copies the database does not know (until adopted)."""
    db.table("sent_letters").create(
        {
            "id": int,
            "folder": str,
            "uidvalidity": int,
            "uid": int,
            "message_id": str,
            "in_reply_to": str,
            "reference": str,
            "kind": str,
            "sent_at": str,
            "to_addr": str,
            "subject": str,
            "raw": bytes,
        },
        pk="id",
        not_null={"folder", "uidvalidity", "uid", "kind"},
    )
    db.table("sent_letters").create_index(["folder", "uidvalidity", "uid"], unique=True)
    db.table("sent_letters").create_index(["message_id"])
    db.table("sent_letters").create_index(["in_reply_to"])


def migrate_16(db: sqlite_utils.Database) -> None:
    """Search that folds case and Polish diacritics (``applications.search``, kept by triggers
    through the registered function of :mod:`mailbot.storage.search`); a withdrawal links the
    application to the message that withdrew it (``withdrawal_message_pk``)."""
    db.table("applications").add_column("search", str)
    db.table("applications").add_column("withdrawal_message_pk", int)
    db.execute(
        "CREATE INDEX idx_applications_withdrawal ON applications(withdrawal_message_pk) "
        "WHERE withdrawal_message_pk IS NOT NULL"
    )
    text = f"{search.SQL_FUNCTION}(NEW.reference, NEW.sender, NEW.fields, NEW.corrected)"
    for name, when in (
        ("applications_search_insert", "AFTER INSERT ON applications"),
        (
            "applications_search_update",
            "AFTER UPDATE OF reference, sender, fields, corrected ON applications",
        ),
    ):
        db.execute(
            f"CREATE TRIGGER {name} {when} BEGIN UPDATE applications SET search = {text} "
            f"WHERE id = NEW.id; END"
        )
    db.execute(
        f"UPDATE applications SET search = {search.SQL_FUNCTION}(reference, sender, fields, "
        f"corrected)"
    )


#: the form's values with a person's corrections laid over them (a corrected null clears one)
_CURRENT = "json_patch(coalesce(NEW.fields, '{}'), coalesce(NEW.corrected, '{}'))"


#: ... as a small JSON object: every value but long texts (a free text such as an experience)
_SUMMARY = (
    "(SELECT json_group_object(key, CASE type WHEN 'true' THEN json('true') "
    "WHEN 'false' THEN json('false') WHEN 'array' THEN json(value) "
    f"WHEN 'object' THEN json(value) ELSE value END) FROM json_each({_CURRENT}) "
    f"WHERE NOT (type = 'text' AND length(value) > {SUMMARY_MAX_TEXT}))"
)


#: the numbers of the form's choice, "|1|4|": the one value that is a list
_GROUPS_KEY = (
    "(SELECT '|' || coalesce(group_concat(n.value, '|'), '') || '|' "
    f"FROM json_each({_CURRENT}) AS v, json_each(v.value) AS n WHERE v.type = 'array')"
)


def migrate_17(db: sqlite_utils.Database) -> None:
    """Every call's form in the lists: ``applications.summary`` holds every value of the form
    but long texts (not the fields of one form), ``groups_key`` the numbers of its choice field
    (the form's one value that is a list, whatever its key), both with corrections applied;
    the index of one form's name field goes (the lists sort by the summary)."""
    for name in ("applications_summary_insert", "applications_summary_update"):
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute("DROP INDEX IF EXISTS idx_applications_name")
    for name, when in (
        ("applications_summary_insert", "AFTER INSERT ON applications"),
        ("applications_summary_update", "AFTER UPDATE OF fields, corrected ON applications"),
    ):
        db.execute(
            f"CREATE TRIGGER {name} {when} BEGIN UPDATE applications SET summary = "
            f"{_SUMMARY}, groups_key = {_GROUPS_KEY} WHERE id = NEW.id; END"
        )
    db.execute(
        f"UPDATE applications SET summary = {_SUMMARY.replace('NEW.', '')}, "
        f"groups_key = {_GROUPS_KEY.replace('NEW.', '')}"
    )


def migrate_18(db: sqlite_utils.Database) -> None:
    """The coordinator's notes on an application (who and when; removed with it); the forms
    a person sent after her session had ended, kept for a short while to be completed once
    she has logged in again (named by the SHA-256 of a token only her cookie holds); the
    archive of handled entries listed newest first; the list of all messages by date, and its
    folded search text (``messages.search``: sender and subject, kept by triggers)."""
    db.execute(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, "
        "application_pk INTEGER NOT NULL REFERENCES applications(id) ON DELETE CASCADE, "
        "text TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX idx_notes_application ON notes(application_pk)")
    db.execute(
        "CREATE TABLE kept_forms (id TEXT PRIMARY KEY, login TEXT NOT NULL, "
        "path TEXT NOT NULL, data TEXT NOT NULL, kept_at INTEGER NOT NULL)"
    )
    db.execute("CREATE INDEX idx_handled_at ON handled(at)")
    db.execute("CREATE INDEX idx_messages_received ON messages(received_at)")
    # the sender and the subject folded (case, Polish diacritics), kept by triggers
    db.table("messages").add_column("search", str)
    text = f"{search.MESSAGE_FUNCTION}(NEW.sender, NEW.subject)"
    for name, when in (
        ("messages_search_insert", "AFTER INSERT ON messages"),
        ("messages_search_update", "AFTER UPDATE OF sender, subject ON messages"),
    ):
        db.execute(
            f"CREATE TRIGGER {name} {when} BEGIN UPDATE messages SET search = {text} "
            f"WHERE id = NEW.id; END"
        )
    db.execute(f"UPDATE messages SET search = {search.MESSAGE_FUNCTION}(sender, subject)")


class Migration(NamedTuple):
    """One change of the schema: its number (``PRAGMA user_version`` once it is applied), the
    function that makes it, and the values it computes from stored forms by the call's form
    spec (``backfill``, given the spec the store was opened with) — both whole, inside the one
    transaction they are given."""

    number: int
    apply: Callable[[sqlite_utils.Database], None]
    backfill: Callable[[sqlite_utils.Database, FormSpec | None], None] | None = None


#: every migration, in the order they are applied (each number once, increasing; a new one is
#: added at the end)
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, migrate_1),
    Migration(2, migrate_2),
    Migration(3, migrate_3),
    Migration(4, migrate_4),
    Migration(5, migrate_5),
    Migration(6, migrate_6),
    Migration(7, migrate_7),
    Migration(8, migrate_8),
    Migration(9, migrate_9),
    Migration(10, migrate_10),
    Migration(11, migrate_11, backfill_11),
    Migration(12, migrate_12),
    Migration(13, migrate_13),
    Migration(14, migrate_14),
    Migration(15, migrate_15),
    Migration(16, migrate_16),
    Migration(17, migrate_17),
    Migration(18, migrate_18),
)
#: the schema this version of mailbot writes: the last migration's number
SCHEMA_VERSION = MIGRATIONS[-1].number
