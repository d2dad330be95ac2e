"""The database's side of a backup and a restore (:mod:`mailbot.ops.backup`).

A snapshot of the live database is taken with SQLite's online backup API: the pages are read
in one step inside one read transaction, so the copy is consistent while the worker and the
workspace go on writing (WAL: readers never wait for writers). The copy is a single file
(``journal_mode = DELETE``), private (0600), and checked with ``PRAGMA integrity_check``. A
restore writes a snapshot back through the same API into the live database, so a process
that has it open (the workspace) sees the restored pages, never a half-replaced file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from mailbot.errors import StorageError
from mailbot.names import REFERENCE_COUNTER_KEY

BUSY_MS = 30_000


@contextlib.contextmanager
def _open(path: Path, mode: str) -> Iterator[sqlite3.Connection]:
    """A connection to ``path``: ``ro`` (never writes), ``rw`` (never creates), ``rwc``."""
    old = os.umask(0o077)
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode={mode}", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise StorageError(f"cannot open the database {path}: {exc}") from exc
    finally:
        os.umask(old)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        yield conn
    except sqlite3.Error as exc:
        raise StorageError(f"database {path}: {exc}") from exc
    finally:
        conn.close()


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of the (live) database ``source`` into the new file ``target``."""
    if not source.exists():
        raise StorageError(f"there is no database at {source} (storage.database)")
    with _open(source, "rw") as src, _open(target, "rwc") as dst:
        src.backup(dst)  # every page in one step: one read transaction, one consistent state
        dst.execute("PRAGMA journal_mode = DELETE")
    os.chmod(target, 0o600)


def restore_database(snapshot: Path, live: Path) -> None:
    """Write the snapshot's pages into the live database (created, private, when missing)."""
    fresh = not live.exists()
    with _open(snapshot, "ro") as src, _open(live, "rwc") as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = WAL")
    if fresh:
        os.chmod(live, 0o600)


def integrity(path: Path) -> str:
    """``ok``, or what ``PRAGMA integrity_check`` found wrong (its first lines)."""
    with _open(path, "ro") as conn:
        rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchmany(5)]
    return "ok" if rows == ["ok"] else "; ".join(rows)


@dataclass(frozen=True)
class Contents:
    """What a snapshot holds, in numbers."""

    schema_version: int
    messages: int
    applications: int
    replies: int
    reference_counter: int


def contents(path: Path) -> Contents:
    with _open(path, "ro") as conn:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        counts = [
            int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("messages", "applications", "replies")
        ]
        row = conn.execute(
            "SELECT value FROM meta WHERE key = ?", [REFERENCE_COUNTER_KEY]
        ).fetchone()
    messages, applications, replies = counts
    counter = int(row[0]) if row and row[0] else 0
    return Contents(version, messages, applications, replies, counter)


def referenced_files(path: Path) -> list[str]:
    """The file store's files the database refers to (relative paths)."""
    with _open(path, "ro") as conn:
        return sorted(
            str(r[0])
            for r in conn.execute(
                "SELECT raw_file FROM messages UNION SELECT file FROM attachments "
                "UNION SELECT raw_file FROM failures"
            )
            if r[0]
        )


def set_meta(path: Path, key: str, value: str) -> None:
    """One state value written into a database file that nothing else has open (a snapshot)."""
    with _open(path, "rw") as conn:
        conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
        conn.commit()
