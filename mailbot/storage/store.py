"""Store stage: SQLite (through sqlite-utils) and the private file store.

The database holds messages, attachments, applications, the reply outbox, an event log and
small state values (the IMAP high-water mark, the last digest). Its schema is created and
migrated on opening (``PRAGMA user_version``; the migrations in order:
:mod:`mailbot.storage.migrations`). Files — raw messages and attachments — live under
``storage.files`` named by their SHA-256 (:mod:`mailbot.storage.files`).

Every write of one message's outcome happens in one transaction (:meth:`Store.transaction`),
so a crash leaves either all of it or none of it. Write transactions begin with ``BEGIN
IMMEDIATE`` and wait their turn; the worker, cron runs and the workspace share one file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mailbot.errors import StorageError
from mailbot.sanitize import clean_values
from mailbot.storage import search
from mailbot.storage.files import TMP_DIR, FileStore, private_dir
from mailbot.storage.migrations import MIGRATIONS, SCHEMA_VERSION, stored_object

if TYPE_CHECKING:  # imported when first used: a pass with nothing new never needs it
    import sqlite_utils

    from parsers import FormSpec

__all__ = [
    "SCHEMA_VERSION",
    "TMP_DIR",
    "Store",
    "dumps",
    "dumps_clean",
    "iso",
    "loads",
    "parse_iso",
    "stored_object",
    "utcnow",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


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


class Store(FileStore):
    """The database and the file store of one mailbot installation."""

    def __init__(
        self,
        database: Path,
        files: Path,
        *,
        timeout: float = 30.0,
        form: FormSpec | None = None,
    ):
        """``form``: the call's form spec, which a migration computing values from stored
        forms needs (:attr:`mailbot.storage.migrations.Migration.backfill`); every command
        opening the installation's database gives it."""
        self.path = database
        self.files = files
        self.form = form
        try:
            private_dir(database.parent)
            private_dir(files)
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
        """Apply the migrations this database has not had, in order, each in a transaction of
        its own: a failure leaves the database at the last one finished."""
        version = self._version()
        for migration in MIGRATIONS:
            if not version < migration.number <= SCHEMA_VERSION:
                continue
            with self.transaction():
                # another process may have migrated while this one waited for the write lock
                if self._version() >= migration.number:
                    continue
                migration.apply(self.db)
                if migration.backfill is not None:
                    migration.backfill(self.db, self.form)
                self.db.execute(f"PRAGMA user_version = {migration.number}")

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

    # --- state -------------------------------------------------------------------------------

    def get_state(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def get_states(self, keys: Collection[str]) -> dict[str, str]:
        """The values of these keys that are set, in one statement (``get_state`` of each)."""
        marks = ", ".join("?" for _ in keys) or "NULL"
        return dict(
            self.conn.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", list(keys))
        )

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
