"""Store stage: SQLite (through sqlite-utils) and the private file store.

The database holds messages, attachments, applications, the reply outbox, an event log and
small state values (the IMAP high-water mark, the last digest). Its schema is created and
migrated here (``PRAGMA user_version``). Files — raw messages and attachments — live under
``storage.files`` named by their SHA-256, written atomically, readable by the owner only.

Every write of one message's outcome happens in one transaction (:meth:`Store.transaction`),
so a crash leaves either all of it or none of it. Write transactions begin with ``BEGIN
IMMEDIATE`` and wait their turn; the worker, cron runs and the workspace share one file.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mailbot.errors import StorageError
from mailbot.names import REFERENCE_COUNTER_KEY, last_uid_key, uidvalidity_key
from mailbot.sanitize import clean_values
from mailbot.storage import search

if TYPE_CHECKING:  # imported when first used: a pass with nothing new never needs it
    import sqlite_utils

SCHEMA_VERSION = 18
#: a text value longer than this stays out of ``applications.summary`` (a free text)
SUMMARY_MAX_TEXT = 1000
TMP_DIR = ".tmp"  # under storage.files: files being written, renamed into place when whole


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _migrate_1(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("messages").create(
        {
            "id": int,
            "message_id": str,
            "origin": str,
            "mailbox": str,
            "uidvalidity": int,
            "uid": int,
            "sha256": str,
            "size": int,
            "received_at": str,
            "received_at_source": str,
            "sender": str,
            "subject": str,
            "disposition": str,
            "reason": str,
            "raw_file": str,
            "stored_at": str,
        },
        pk="id",
        not_null={"message_id", "sha256", "disposition", "received_at"},
    )
    db.table("messages").create_index(["message_id"])
    db.table("messages").create_index(["sha256"])
    db.table("messages").create_index(["mailbox", "uidvalidity", "uid"], unique=True)
    db.table("attachments").create(
        {
            "id": int,
            "message_pk": int,
            "part": str,
            "filename": str,
            "declared_type": str,
            "kind": str,
            "size": int,
            "sha256": str,
            "file": str,
            "is_form": int,
            "readable": int,
            "reason": str,
        },
        pk="id",
        foreign_keys=[("message_pk", "messages", "id")],
    )
    db.table("attachments").create_index(["message_pk"])
    db.table("applications").create(
        {
            "id": int,
            "message_pk": int,
            "reference": str,
            "status": str,
            "problems": str,
            "fields": str,
            "sources": str,
            "attachment_pk": int,
            "sender": str,
            "applicant_email": str,
            "received_at": str,
            "superseded": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("message_pk", "messages", "id"), ("attachment_pk", "attachments", "id")],
    )
    db.table("applications").create_index(["message_pk"], unique=True)
    db.table("applications").create_index(["sender"])
    db.table("applications").create_index(["applicant_email"])
    db.table("replies").create(
        {
            "id": int,
            "message_pk": int,
            "application_pk": int,
            "template": str,
            "to_addr": str,
            "subject": str,
            "reply_message_id": str,
            "raw": bytes,
            "state": str,
            "attempts": int,
            "next_attempt_at": str,
            "last_error": str,
            "queued_at": str,
            "sent_at": str,
        },
        pk="id",
        foreign_keys=[("message_pk", "messages", "id")],
        defaults={"state": "queued", "attempts": 0},
    )
    db.table("replies").create_index(["state", "next_attempt_at"])
    db.table("replies").create_index(["to_addr", "queued_at"])
    db.table("events").create(
        {"id": int, "at": str, "kind": str, "message_pk": int, "detail": str}, pk="id"
    )
    db.table("digests").create({"day": str, "sent_at": str, "recipients": int}, pk="day")


def _migrate_2(db: sqlite_utils.Database) -> None:
    """Messages whose processing failed, waiting to be retried (poison-message counter)."""
    db.table("failures").create(
        {
            "id": int,
            "origin": str,
            "mailbox": str,
            "uidvalidity": int,
            "uid": int,
            "internaldate": str,
            "sha256": str,
            "raw_file": str,
            "attempts": int,
            "last_error": str,
            "first_at": str,
            "last_at": str,
        },
        pk="id",
        not_null={"sha256", "raw_file"},
    )
    db.table("failures").create_index(["sha256", "mailbox"], unique=True)


def _migrate_3(db: sqlite_utils.Database) -> None:
    """Messages moved to imap.archive_folder after they were stored and answered."""
    db.table("messages").add_column("archived", int, not_null_default=0)


def _migrate_4(db: sqlite_utils.Database) -> None:
    """The sender's address folded to lower case, indexed: finding an applicant's earlier
    applications must not scan the table."""
    db.table("applications").add_column("sender_key", str)
    db.execute("UPDATE applications SET sender_key = lower(sender)")
    db.table("applications").create_index(["sender_key"])


def _migrate_9(db: sqlite_utils.Database) -> None:
    """Notes for the coordinator about an application (unusual, not wrong: never sent to the
    applicant), a JSON list of Polish sentences."""
    db.table("applications").add_column("notes", str)


def _migrate_5(db: sqlite_utils.Database) -> None:
    """Mail that is not an application; several applications in one message; who the
    applicant is (the person in the form), why a reply was withheld, why an application is not
    live, the first lines of correspondence and the application it relates to; a reference
    counter that survives purge."""
    # one message may hold several applicants' forms (a secretariat sending two candidates)
    db.execute("DROP INDEX IF EXISTS idx_applications_message_pk")
    db.table("applications").create_index(["message_pk"])
    db.table("applications").add_column("applicant_key", str)
    db.table("applications").add_column("supersede_note", str)
    db.table("applications").add_column("reply_withheld", str)
    db.execute(
        "UPDATE applications SET applicant_key = CASE WHEN applicant_email IS NOT NULL "
        "THEN 'email:' || applicant_email ELSE 'sender:' || sender_key END"
    )
    db.table("applications").create_index(["applicant_key"])
    db.table("messages").add_column("excerpt", str)
    db.table("messages").add_column("signals", str)
    db.table("messages").add_column("related_application_pk", int)
    db.table("messages").create_index(["disposition"])
    db.table("replies").create_index(["queued_at"])
    db.execute(
        "INSERT OR REPLACE INTO meta(key, value) SELECT ?, CAST(coalesce(max(id), 0) "
        "AS TEXT) FROM applications",
        [REFERENCE_COUNTER_KEY],
    )


def _migrate_7(db: sqlite_utils.Database) -> None:
    """Replies refused after the SMTP server took them: state ``bounced``, the remote reason,
    when the bounce arrived and which message it was."""
    db.table("replies").add_column("bounce_reason", str)
    db.table("replies").add_column("bounced_at", str)
    db.table("replies").add_column("bounce_message_pk", int)
    db.table("replies").create_index(["reply_message_id"])


def _migrate_8(db: sqlite_utils.Database) -> None:
    """The coordinator's workspace: users, decisions, corrections, handled entries, who did it."""
    db.table("users").create(
        {"login": str, "role": str, "password_hash": str, "created_at": str},
        pk="login",
        not_null={"role", "password_hash"},
    )
    db.table("events").add_column("actor", str)
    db.table("applications").add_column("decided_by", str)
    db.table("applications").add_column("decided_at", str)
    db.table("applications").add_column("decision_note", str)
    db.table("applications").add_column("machine_status", str)
    db.table("applications").add_column("corrected", str)  # JSON {field: value}: the current layer
    db.table("applications").create_index(["reference"])
    db.table("applications").create_index(["status", "superseded"])
    # the values lists filter and sort by, with corrections applied, kept small by triggers
    # (the form's JSON is large; reading it for every row of a 10,000-row list is slow): the
    # triggers that keep them are migration 17's
    db.table("applications").add_column("summary", str)
    db.table("applications").add_column("groups_key", str)  # "|1|4|": a group filter without JSON
    db.table("corrections").create(
        {
            "id": int,
            "application_pk": int,
            "field": str,
            "old": str,
            "new": str,
            "by": str,
            "at": str,
        },
        pk="id",
        foreign_keys=[("application_pk", "applications", "id")],
    )
    db.table("corrections").create_index(["application_pk"])
    # an entry of the attention queue someone dealt with (a message, an application, a reply)
    db.table("handled").create({"item": str, "by": str, "at": str, "how": str}, pk="item")
    db.table("messages").create_index(["disposition"], if_not_exists=True)
    db.table("replies").create_index(["application_pk"])
    db.table("replies").create_index(["message_pk"])


def _mailbox_without_host(mailbox: str) -> str:
    """``user@host/folder`` (the old key) -> ``user/folder``."""
    account, slash, folder = mailbox.partition("/")
    if not slash or "@" not in account:
        return mailbox
    return f"{account.rsplit('@', 1)[0]}/{folder}"


def _migrate_6(db: sqlite_utils.Database) -> None:
    """The IMAP high-water mark and message keys by user + folder (+ UIDVALIDITY), no longer by
    how the host is spelt; replies get the state of their copy in the Sent folder."""
    db.table("replies").add_column("sent_copy", str)  # NULL: to save; saving; saved; not_saved
    db.table("replies").create_index(["sent_copy", "state"])  # the few still to save, found fast
    db.execute("UPDATE replies SET sent_copy = 'not_saved' WHERE state = 'sent'")
    for table in ("messages", "failures"):
        for (old,) in db.execute(
            f"SELECT DISTINCT mailbox FROM {table} WHERE origin = 'imap' AND mailbox IS NOT NULL"
        ).fetchall():
            new = _mailbox_without_host(old)
            if new != old:
                db.execute(
                    f"UPDATE OR IGNORE {table} SET mailbox = ? WHERE mailbox = ?", [new, old]
                )
    marks: dict[str, tuple[int, int]] = {}  # new key -> (uidvalidity, last_uid)
    olds = db.execute("SELECT key, value FROM meta WHERE key LIKE 'imap:%:uidvalidity'").fetchall()
    for key, value in olds:
        mailbox = key[len("imap:") : -len(":uidvalidity")]
        last = db.execute(
            "SELECT value FROM meta WHERE key = ?", [last_uid_key(mailbox)]
        ).fetchone()
        candidate = (int(value), int(last[0]) if last else 0)
        new = _mailbox_without_host(mailbox)
        kept = marks.get(new)
        if kept is None or candidate[1] > kept[1]:
            marks[new] = candidate
        db.execute("DELETE FROM meta WHERE key IN (?, ?)", [key, last_uid_key(mailbox)])
    for mailbox, (uidvalidity, last_uid) in marks.items():
        db.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?), (?, ?)",
            [
                uidvalidity_key(mailbox),
                str(uidvalidity),
                last_uid_key(mailbox),
                str(last_uid),
            ],
        )


def _migrate_10(db: sqlite_utils.Database) -> None:
    """The per-sender reply cap counts replies by lower(to_addr): an index on that expression
    (the plain to_addr index cannot serve it, so every message scanned every reply)."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_replies_to_lower ON replies(lower(to_addr), queued_at)"
    )


def _migrate_11(db: sqlite_utils.Database) -> None:
    """The person each application's form names (``person:name|organisation``; '' for none),
    indexed, so superseding looks up the forms of the persons in question instead of reading
    every stored form for every message. Forms known by e-mail keep NULL here until the record
    stage fills them in (the person is derived from the form by the pipeline's rules)."""
    db.table("applications").add_column("person_key", str)
    db.execute(
        "UPDATE applications SET person_key = applicant_key WHERE applicant_key LIKE 'person:%'"
    )
    db.execute(
        "UPDATE applications SET person_key = '' WHERE applicant_key NOT LIKE 'person:%' "
        "AND applicant_key NOT LIKE 'email:%'"
    )
    db.execute("CREATE INDEX idx_applications_person_key ON applications(person_key)")


def _migrate_12(db: sqlite_utils.Database) -> None:
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


def _migrate_13(db: sqlite_utils.Database) -> None:
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


def _migrate_14(db: sqlite_utils.Database) -> None:
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


def _migrate_15(db: sqlite_utils.Database) -> None:
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


def _migrate_16(db: sqlite_utils.Database) -> None:
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


def _migrate_17(db: sqlite_utils.Database) -> None:
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


def _migrate_18(db: sqlite_utils.Database) -> None:
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


MIGRATIONS = {
    1: _migrate_1,
    2: _migrate_2,
    3: _migrate_3,
    4: _migrate_4,
    5: _migrate_5,
    6: _migrate_6,
    7: _migrate_7,
    8: _migrate_8,
    9: _migrate_9,
    10: _migrate_10,
    11: _migrate_11,
    12: _migrate_12,
    13: _migrate_13,
    14: _migrate_14,
    15: _migrate_15,
    16: _migrate_16,
    17: _migrate_17,
    18: _migrate_18,
}


def _use_wal(conn: sqlite3.Connection, timeout: float) -> None:
    """Put the database in WAL mode (persistent: a database already in it is left as it is).
    Switching a new database's journal fails at once with "database is locked", without the
    busy handler, while another process is opening it too (the worker and a cron poll started
    together): that is retried until ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class Store:
    """The database and the file store of one mailbot installation."""

    def __init__(self, database: Path, files: Path, *, timeout: float = 30.0):
        self.path = database
        self.files = files
        try:
            _private_dir(database.parent)
            _private_dir(files)
            fresh = not database.exists()
            old_umask = os.umask(0o077)
            try:
                conn = sqlite3.connect(str(database), timeout=timeout, isolation_level=None)
            finally:
                os.umask(old_umask)
            if fresh:
                os.chmod(database, 0o600)
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            _use_wal(conn, timeout)
            # WAL + NORMAL: a commit survives the process being killed (the OS has it); only a
            # power cut may roll back the last transactions — whole, never half
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite-utils sets it
            search.register(conn)  # the folded search text the triggers keep
            self.conn = conn
            self._savepoints = 0
            self._migrate()
            self._sweep_temporary_files()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the database {database}: {exc}") from exc
        except OSError as exc:
            raise StorageError(f"cannot prepare {exc.filename}: {exc.strerror}") from exc

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection (imported on first use)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self._version()
        for target in sorted(n for n in MIGRATIONS if version < n <= SCHEMA_VERSION):
            with self.transaction():
                # another process may have migrated while this one waited for the write lock
                if self._version() >= target:
                    continue
                MIGRATIONS[target](self.db)
                self.db.execute(f"PRAGMA user_version = {target}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all; a nested one is a savepoint.

        It begins with ``BEGIN IMMEDIATE``: the write lock is taken at the start, waiting (up to
        the busy timeout) while another process writes. A deferred ``BEGIN`` that reads first
        could not be upgraded to a writer once another process had committed meanwhile, and
        SQLite fails that at once ("database is locked"), whatever the timeout. Reads outside a
        transaction take no lock at all (WAL): the workspace reads while the worker writes."""
        try:
            with self._atomic():
                yield
        except sqlite3.Error as exc:
            raise StorageError(f"database write failed: {exc}") from exc

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Reads that a pass depends on: a database error (busy, locked) stops the pass as a
        write error does, rather than counting against the message being read."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StorageError(f"database read failed: {exc}") from exc

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        conn = self.conn
        if conn.in_transaction:
            self._savepoints += 1
            name = f"mailbot_{self._savepoints}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if conn.in_transaction:  # an error may have ended the whole transaction
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # --- files -------------------------------------------------------------------------------

    def _sweep_temporary_files(self, older_than: float = 600.0) -> None:
        """Remove half-written files a killed process left behind (never a finished one).

        They live in one folder of their own, so this costs nothing as the store grows.
        """
        cutoff = time.time() - older_than
        for tmp in (self.files / TMP_DIR).glob("*"):
            with contextlib.suppress(OSError):
                if tmp.stat().st_mtime < cutoff:
                    tmp.unlink()

    def save_file(self, data: bytes, sha256: str, suffix: str = "") -> str:
        """Store bytes under their hash (idempotent, atomic, 0600); return the relative path."""
        rel = f"{sha256[:2]}/{sha256}{suffix}"
        target = self.files / rel
        if target.exists():
            return rel
        try:
            _private_dir(target.parent)
            _private_dir(self.files / TMP_DIR)
            fd, tmp = tempfile.mkstemp(dir=self.files / TMP_DIR)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.chmod(tmp, 0o600)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StorageError(
                f"cannot write to the file store {self.files}: {exc.strerror}"
            ) from exc
        return rel

    def read_file(self, rel: str) -> bytes:
        try:
            return (self.files / rel).read_bytes()
        except OSError as exc:
            raise StorageError(f"cannot read {rel} from the file store: {exc.strerror}") from exc

    def remove_unreferenced_files(self) -> int:
        """Delete stored files no row refers to any more (after a purge); return the count."""
        keep = {
            r[0]
            for r in self.conn.execute(
                "SELECT raw_file FROM messages UNION SELECT file FROM attachments "
                "UNION SELECT raw_file FROM failures UNION SELECT j.value FROM prefills p, "
                "json_each(coalesce(p.page_files, '[]')) j"
            )
            if r[0]
        }
        removed = 0
        for path in self.files.glob("[0-9a-f][0-9a-f]/*"):
            if path.is_file() and str(path.relative_to(self.files)) not in keep:
                path.unlink()
                removed += 1
        return removed

    # --- state -------------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def event(
        self, kind: str, message_pk: int | None = None, detail: str = "", actor: str | None = None
    ) -> None:
        self.conn.execute(
            "INSERT INTO events(at, kind, message_pk, detail, actor) VALUES (?, ?, ?, ?, ?)",
            [iso(utcnow()), kind, message_pk, detail[:500], actor],
        )

    # --- look-ups used by the pipeline -------------------------------------------------------

    def message_id_known(self, message_id: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM messages WHERE message_id = ? LIMIT 1", [message_id]
        ).fetchone()
        return row is not None

    def seen_hash(self, sha256: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT id, mailbox, uidvalidity, uid FROM messages WHERE sha256 = ? "
            "ORDER BY id LIMIT 1",
            [sha256],
        ).fetchone()
        return dict(zip(("id", "mailbox", "uidvalidity", "uid"), row, strict=True)) if row else None

    def seen_uid(self, mailbox: str, uidvalidity: int, uid: int) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM messages WHERE mailbox = ? AND uidvalidity = ? AND uid = ?",
            [mailbox, uidvalidity, uid],
        ).fetchone()
        return row is not None

    def replies_since(self, to_addr: str, since: datetime) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM replies WHERE lower(to_addr) = lower(?) AND queued_at >= ?",
            [to_addr, iso(since)],
        ).fetchone()
        return int(row[0])

    # --- writes used by the pipeline ---------------------------------------------------------

    def insert(self, table: str, row: dict[str, Any]) -> int:
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur = self.conn.execute(
            f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values())
        )
        assert cur.lastrowid is not None
        return cur.lastrowid


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def dumps_clean(value: Any) -> str:
    """JSON of values entering the store from outside — a form's fields as a reader found them,
    a person's corrections — with every string made XML-safe first
    (:func:`mailbot.sanitize.clean_values`: a soft line break becomes a line break, other
    control characters go), so no export can be broken by one record."""
    return dumps(clean_values(value))


def loads(text: str | None, default: Any = None) -> Any:
    return json.loads(text) if text else default
