"""The private file store: raw messages and attachments under ``storage.files``, named by
their SHA-256, written atomically (a temporary file renamed into place when whole), readable by
the owner only."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from mailbot.errors import StorageError

TMP_DIR = ".tmp"  # under storage.files: files being written, renamed into place when whole


def private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


class FileStore:
    """The file store's part of :class:`~mailbot.storage.store.Store`: ``files`` is its folder,
    ``conn`` the database that says which files are still referred to."""

    files: Path
    conn: sqlite3.Connection

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
            private_dir(target.parent)
            private_dir(self.files / TMP_DIR)
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
