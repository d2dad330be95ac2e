"""``mailbot backup DEST`` and ``mailbot restore SRC``: a snapshot taken while the worker runs,
checked, and put back with the mailbox read again.

A snapshot is a folder ``DEST/mailbot-YYYYMMDD-HHMMSS`` (0700) holding

- ``mailbot.db``: the database, copied with SQLite's online backup API in one read transaction
  (consistent while the worker and the workspace write), checked with
  SQLite's integrity check;
- ``files/``: every file of the file store the database refers to (raw messages, attachments);
  a file the previous snapshot in DEST holds with the same hash is hard-linked, not copied;
- ``manifest.json``: when it was taken, the schema version, what it holds, and the SHA-256 of
  the database file and of every file.

Everything is private (files 0600, folders 0700). The snapshot is written under a hidden
``.…partial`` name and renamed when whole, so a crash never leaves a half snapshot that looks
whole; ``--keep N`` then removes all but the newest N snapshots in DEST.

``restore`` verifies a snapshot (manifest, every hash, integrity check, a schema this mailbot
can open; given the folder of snapshots, the newest) before it touches anything; refuses while
a pass holds the pipeline lock; keeps the database it replaces beside it
(``before-restore-…``); writes the snapshot back through the backup API (a workspace that has
the database open sees the restored pages); puts back the files that are missing or damaged;
and then reads the mailbox back (:mod:`mailbot.ops.resync`): the letters in Sent and the
archive folder, so the next pass sends nothing twice and gives no number twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from mailbot import __version__
from mailbot.config import Config
from mailbot.errors import LockedError, MailboxError, SnapshotError
from mailbot.names import BACKUP_TAKEN_KEY, RESTORED_AT_KEY, RESYNC_PENDING_KEY
from mailbot.ops.lock import pipeline_lock
from mailbot.storage import snapshot as db
from mailbot.storage.resync import set_doubt
from mailbot.storage.store import SCHEMA_VERSION, TMP_DIR, Store, iso, parse_iso, utcnow

log = logging.getLogger(__name__)

FORMAT = "mailbot-snapshot 1"
PREFIX = "mailbot-"
MANIFEST = "manifest.json"
DATABASE = "mailbot.db"
FILES = "files"
STALE_PARTIAL_SECONDS = 86_400  # a partial snapshot older than this was left by a crash
RESTORE_LOCK_WAIT = 10.0


# --- backup ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupReport:
    path: Path
    taken_at: str
    database_bytes: int
    files: int
    files_bytes: int
    linked: int  # files hard-linked from the previous snapshot
    missing: tuple[str, ...]  # files the database refers to that the store lacks
    contents: db.Contents
    removed: tuple[Path, ...]  # older snapshots removed (--keep)

    def text(self) -> str:
        lines = [
            f"snapshot {self.path}: database {_size(self.database_bytes)} (integrity ok), "
            f"{self.files} file(s) {_size(self.files_bytes)} ({self.linked} unchanged, linked "
            f"to the previous snapshot); {self.contents.applications} application(s), "
            f"{self.contents.replies} reply(ies), last number {self.contents.reference_counter}"
        ]
        lines += [f"removed the older snapshot {p}" for p in self.removed]
        return "\n".join(lines)


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    value = n / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _private_dir(path: Path) -> None:
    """The folder and any parent it needs, created 0700 (a parent made on the way too)."""
    if not path.is_dir():
        old = os.umask(0o077)
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        finally:
            os.umask(old)
    os.chmod(path, 0o700)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_private(source: Path, target: Path) -> str:
    """Copy a file (0600, parents 0700) and return the SHA-256 of what was copied."""
    _private_dir(target.parent)
    digest = hashlib.sha256()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(source, "rb") as src, os.fdopen(fd, "wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            digest.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return digest.hexdigest()


def snapshots(dest: Path) -> list[Path]:
    """The whole snapshots in a folder, oldest first."""
    if not dest.is_dir():
        return []
    return sorted(
        p for p in dest.iterdir() if p.name.startswith(PREFIX) and (p / MANIFEST).is_file()
    )


def _load_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SnapshotError(f"{path / MANIFEST} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SnapshotError(f"{path} is not a mailbot snapshot ({MANIFEST} of another format)")
    return data


def backup(config: Config, dest: Path, *, keep: int | None = None) -> BackupReport:
    """Take a snapshot into a new folder under ``dest`` (see the module's text)."""
    if keep is not None and keep < 1:
        raise SnapshotError("--keep must be at least 1 (the snapshot just taken)")
    taken = datetime.now().astimezone()
    _private_dir(dest)
    _sweep_partials(dest)
    name = PREFIX + taken.strftime("%Y%m%d-%H%M%S")
    while (dest / name).exists():
        name += "b"
    partial = dest / f".{name}.partial"
    previous = snapshots(dest)
    _private_dir(partial)
    try:
        report = _write_snapshot(config, partial, taken, previous[-1] if previous else None)
        os.replace(partial, dest / name)
        _fsync_dir(dest)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    removed: list[Path] = []
    if keep is not None:
        for old in snapshots(dest)[:-keep]:
            shutil.rmtree(old)
            removed.append(old)
    log.info("snapshot %s written", dest / name)
    return BackupReport(
        path=dest / name,
        taken_at=report["taken_at"],
        database_bytes=report["database"]["bytes"],
        files=len(report["files"]),
        files_bytes=report["files_bytes"],
        linked=report["linked"],
        missing=tuple(report["missing"]),
        contents=db.contents(dest / name / DATABASE),
        removed=tuple(removed),
    )


def _write_snapshot(
    config: Config, folder: Path, taken: datetime, previous: Path | None
) -> dict[str, Any]:
    database = folder / DATABASE
    db.copy_database(config.storage.database, database)
    db.set_meta(database, BACKUP_TAKEN_KEY, iso(taken))
    checked = db.integrity(database)
    if checked != "ok":
        raise SnapshotError(
            f"the copy of {config.storage.database} fails SQLite's integrity check ({checked}): "
            "the live database is damaged; restore the last good snapshot"
        )
    earlier = _load_manifest(previous).get("files", {}) if previous else {}
    files: dict[str, str] = {}
    missing: list[str] = []
    total = linked = 0
    for rel in db.referenced_files(database):
        source = config.storage.files / rel
        target = folder / FILES / rel
        if not source.is_file():
            missing.append(rel)
            continue
        before = previous / FILES / rel if previous is not None else None
        files[rel] = _link_or_copy(source, target, before, earlier.get(rel))
        linked += target.stat().st_nlink > 1
        total += target.stat().st_size
    if missing:
        log.warning(
            "the file store lacks %d file(s) the database refers to (e.g. %s)",
            len(missing),
            missing[0],
        )
    manifest = {
        "format": FORMAT,
        "mailbot": __version__,
        "taken_at": iso(taken),
        "schema_version": db.contents(database).schema_version,
        "database": {
            "file": DATABASE,
            "sha256": _sha256(database),
            "bytes": database.stat().st_size,
            "integrity_check": checked,
        },
        "files": files,
        "missing": missing,
    }
    fd = os.open(folder / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    return {**manifest, "files_bytes": total, "linked": linked}


def _link_or_copy(source: Path, target: Path, earlier: Path | None, known: str | None) -> str:
    """The previous snapshot's copy, hard-linked when it is whole (same hash); else a copy."""
    if earlier is not None and known:
        try:
            if _sha256(earlier) == known:
                _private_dir(target.parent)
                os.link(earlier, target)
                return known
        except OSError:
            pass  # not there, another file system: copy
    return _copy_private(source, target)


def _sweep_partials(dest: Path) -> None:
    cutoff = time.time() - STALE_PARTIAL_SECONDS
    for stale in dest.glob(f".{PREFIX}*.partial"):
        if stale.stat().st_mtime < cutoff:
            shutil.rmtree(stale, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- verify ------------------------------------------------------------------------------------


def verify(src: Path) -> dict[str, Any]:
    """The snapshot's manifest, once every part of it checks out; else :class:`SnapshotError`
    naming what is wrong."""
    if not (src / MANIFEST).is_file():
        raise SnapshotError(f"{src} is not a mailbot snapshot (no {MANIFEST})")
    manifest = _load_manifest(src)
    database = src / DATABASE
    if not database.is_file() or _sha256(database) != manifest["database"]["sha256"]:
        raise SnapshotError(f"{database} is missing or not the file the manifest names")
    checked = db.integrity(database)
    if checked != "ok":
        raise SnapshotError(f"{database} fails SQLite's integrity check: {checked}")
    version = db.contents(database).schema_version
    if version > SCHEMA_VERSION:
        raise SnapshotError(
            f"{src} was taken by a newer mailbot (schema {version}, this one knows "
            f"{SCHEMA_VERSION}): install that version to restore it"
        )
    bad = [
        rel
        for rel, digest in manifest["files"].items()
        if not (src / FILES / rel).is_file() or _sha256(src / FILES / rel) != digest
    ]
    if bad:
        raise SnapshotError(
            f"{len(bad)} file(s) of {src} are missing or damaged (e.g. {FILES}/{bad[0]}): "
            "use another snapshot"
        )
    return manifest


# --- restore -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreReport:
    source: Path
    taken_at: str
    contents: db.Contents
    kept_aside: Path | None  # the database that was replaced, kept here
    files_put_back: int
    resync: Any | None  # the mailbox read back (mailbot.ops.resync.ResyncReport)
    resync_error: str | None  # why the mailbox could not be read (the next pass will)
    reference_counter: int

    def text(self, tz: Any = None) -> str:
        taken = parse_iso(self.taken_at)
        when = (taken.astimezone(tz) if tz else taken).strftime("%Y-%m-%d %H:%M")
        lines = [
            f"restored {self.source} (taken {when}): {self.contents.applications} "
            f"application(s), {self.contents.replies} reply(ies), last number "
            f"{self.contents.reference_counter}; {self.files_put_back} file(s) put back",
        ]
        if self.kept_aside:
            lines.append(f"the database it replaced is kept in {self.kept_aside}")
        if self.resync_error:
            lines.append(
                f"the mailbox could not be read ({self.resync_error}): the next `mailbot poll` "
                "reads it back before it sends anything"
            )
        elif self.resync is not None:
            lines.append(f"re-synchronised with the mailbox: {self.resync.text()}")
            lines.append(f"the last number is now {self.reference_counter}; nothing was sent")
        else:
            lines.append(
                "the mailbox was not read: the next `mailbot poll` reads it back before it "
                "sends anything"
            )
        return "\n".join(lines)


def chosen(src: Path) -> Path:
    """The snapshot SRC names: itself, or the newest in a folder of snapshots (``DEST`` of
    ``mailbot backup``)."""
    if (src / MANIFEST).is_file():
        return src
    found = snapshots(src)
    return found[-1] if found else src


def restore(config: Config, src: Path, *, read_mailbox: bool = True) -> RestoreReport:
    """Put a verified snapshot back, then read the mailbox back (see the module's text). A
    folder of snapshots stands for the newest of them."""
    src = chosen(src)
    manifest = verify(src)
    try:
        with pipeline_lock(config.storage.lock, wait_seconds=RESTORE_LOCK_WAIT):
            return _restore(config, src, manifest, read_mailbox)
    except LockedError as exc:
        raise LockedError(
            f"{exc.message}: a pass of the worker or of cron is running; stop the worker "
            "(e.g. systemctl stop mailbot) or wait for the pass to end, then restore again"
        ) from exc


def _restore(
    config: Config, src: Path, manifest: dict[str, Any], read_mailbox: bool
) -> RestoreReport:
    live = config.storage.database
    _private_dir(live.parent)
    kept = None
    if live.exists():
        kept = live.parent / ("before-restore-" + datetime.now().strftime("%Y%m%d-%H%M%S"))
        _private_dir(kept)
        db.copy_database(live, kept / DATABASE)
    db.restore_database(src / DATABASE, live)
    put_back = _put_files_back(config.storage.files, src, manifest["files"])
    now = utcnow()
    with Store(live, config.storage.files, form=config.form) as store:  # migrated if older
        with store.transaction():
            store.set_state(RESTORED_AT_KEY, iso(now))
            store.set_state(RESYNC_PENDING_KEY, "1")
            if config.imap is not None and not config.imap.save_sent:
                # no copies of the letters in the mailbox: mail it does not know that came
                # before now may have been answered since the snapshot, and nothing can tell
                set_doubt(store, now)
        synced, error = None, None
        if read_mailbox and config.imap is not None:
            try:
                synced = _read_mailbox(config, store)
            except MailboxError as exc:
                error = exc.message
        from mailbot.storage.messages import last_reference_number

        counter = last_reference_number(store)
    return RestoreReport(
        source=src,
        taken_at=manifest["taken_at"],
        contents=db.contents(src / DATABASE),
        kept_aside=kept,
        files_put_back=put_back,
        resync=synced,
        resync_error=error,
        reference_counter=counter,
    )


def _put_files_back(store_dir: Path, src: Path, files: dict[str, str]) -> int:
    """Copy the snapshot's files that the store lacks or holds damaged; return how many."""
    _private_dir(store_dir)
    count = 0
    for rel, digest in files.items():
        target = store_dir / rel
        if target.is_file() and _sha256(target) == digest:
            continue
        _private_dir(store_dir / TMP_DIR)
        fd, tmp = tempfile.mkstemp(dir=store_dir / TMP_DIR)
        os.close(fd)
        os.unlink(tmp)
        _copy_private(src / FILES / rel, Path(tmp))
        _private_dir(target.parent)
        os.replace(tmp, target)
        count += 1
    return count


def _read_mailbox(config: Config, store: Store) -> Any:
    """The re-synchronisation of a pass, without processing INBOX or sending anything."""
    from mailbot.mail import imap
    from mailbot.ops import jobs, resync
    from mailbot.pipeline.report import PassReport

    report = PassReport()
    client = imap.connect(config.require_imap())
    try:
        synced = resync.refresh(
            client,
            config,
            store,
            lambda batch: jobs.run_messages(batch, config, store, None, report),
            config.mail_since(),
        )
        resync.settle(client, config, store, synced)
    finally:
        imap.logout(client)
    return synced
