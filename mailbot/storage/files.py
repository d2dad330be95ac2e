"""The private file store: raw messages and attachments under ``storage.files``, named by
their SHA-256, written atomically (a temporary file renamed into place when whole), readable by
the owner only."""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import secrets
import sqlite3
import time
from pathlib import Path

from mailbot.errors import StorageError

TMP_DIR = ".tmp"  # under storage.files: files being written, renamed into place when whole


def private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_written = itertools.count()


def _temporary_name() -> str:
    """A name no other writer uses: this process's id, a counter and a random part (a process
    that reuses a dead one's id still never meets its leftovers, which ``O_EXCL`` refuses)."""
    return f"{os.getpid()}-{next(_written)}-{secrets.token_hex(4)}.tmp"


def _write_atomically(tmp_dir: str, target: str, data: bytes) -> None:
    """``data`` into a new private file in ``tmp_dir``, renamed to ``target`` when whole."""
    tmp = f"{tmp_dir}/{_temporary_name()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)  # whatever the umask: the owner reads and writes it
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class FileStore:
    """The file store's part of :class:`~mailbot.storage.store.Store`: ``files`` is its folder,
    ``conn`` the database that says which files are still referred to."""

    files: Path
    conn: sqlite3.Connection

    @functools.cached_property
    def _made_dirs(self) -> set[str]:
        """The folders this store object has made (each made once, not for every file)."""
        return set()

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
        """Store bytes under their hash (idempotent, atomic, 0600); return the relative path.

        The folders are made once per store object, not for every file (made again if they
        went away meanwhile); the temporary file is created 0600 with ``O_EXCL``."""
        rel = f"{sha256[:2]}/{sha256}{suffix}"
        folder = f"{self.files}/{sha256[:2]}"
        target = f"{folder}/{sha256}{suffix}"
        if os.path.exists(target):
            return rel
        try:
            try:
                if folder not in self._made_dirs:
                    self._make_dirs(folder)
                _write_atomically(f"{self.files}/{TMP_DIR}", target, data)
            except FileNotFoundError:
                self._made_dirs.clear()  # a folder was removed while this process ran
                self._make_dirs(folder)
                _write_atomically(f"{self.files}/{TMP_DIR}", target, data)
        except OSError as exc:
            raise StorageError(
                f"cannot write to the file store {self.files}: {exc.strerror}"
            ) from exc
        return rel

    def _make_dirs(self, folder: str) -> None:
        private_dir(Path(folder))
        private_dir(self.files / TMP_DIR)
        self._made_dirs.add(folder)

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
