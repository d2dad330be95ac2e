"""Backup and restore on real SQLite files, without a mail server: a snapshot is consistent
while another process writes, a restore is refused while a pass runs, a process that has the
database open sees what was restored, missing files come back, nothing half-done stays."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from mailbot.config import Config, load_config
from mailbot.errors import LockedError, SnapshotError
from mailbot.names import BACKUP_TAKEN_KEY, RESTORED_AT_KEY, RESYNC_PENDING_KEY
from mailbot.ops import backup as ops
from mailbot.ops.lock import pipeline_lock
from mailbot.storage import snapshot
from mailbot.storage.store import SCHEMA_VERSION, Store

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def config(tmp_path: Path) -> Config:
    path = tmp_path / "config.toml"
    shutil.copy(REPO / "config.toml", path)  # storage under tmp_path/data
    return load_config(path)


def _fill(config: Config, messages: int) -> None:
    with Store(config.storage.database, config.storage.files) as store, store.transaction():
        for n in range(messages):
            data = f"message {n}".encode()
            raw = store.save_file(data, f"{n:064x}", ".eml")
            store.insert(
                "messages",
                {
                    "message_id": f"<m{n}@example.pl>",
                    "sha256": f"{n:064x}",
                    "received_at": "2024-05-10T10:00:00+00:00",
                    "disposition": "application",
                    "raw_file": raw,
                },
            )


def test_a_snapshot_is_consistent_while_another_process_writes(config: Config, tmp_path: Path):
    _fill(config, 3)
    stop = threading.Event()
    written = 0

    def writer() -> None:  # as the worker does: one transaction per message, a counter beside
        nonlocal written
        with Store(config.storage.database, config.storage.files) as store:
            while not stop.is_set():
                with store.transaction():
                    store.event("tick", None, "")
                    count = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
                    store.set_state("ticks", str(count))
                written += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while written < 20:
            time.sleep(0.01)
        reports = [ops.backup(config, tmp_path / "backups") for _ in range(3)]
    finally:
        stop.set()
        thread.join()
    assert written > 20
    for report in reports:
        database = report.path / ops.DATABASE
        assert snapshot.integrity(database) == "ok"
        with sqlite3.connect(database) as conn:
            events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
            ticks = conn.execute("SELECT value FROM meta WHERE key = 'ticks'").fetchone()
            taken = conn.execute(
                "SELECT value FROM meta WHERE key = ?", [BACKUP_TAKEN_KEY]
            ).fetchone()
        assert ticks is None or int(ticks[0]) == events  # never half a transaction
        assert taken is not None and taken[0] == report.taken_at
        assert len(ops.verify(report.path)["files"]) == 3
    assert not list((tmp_path / "backups").glob(".*"))  # no partial snapshot left


def test_restore_waits_for_no_pass_and_is_refused_while_one_runs(
    config: Config, tmp_path: Path, monkeypatch
):
    _fill(config, 1)
    taken = ops.backup(config, tmp_path / "b").path
    monkeypatch.setattr(ops, "RESTORE_LOCK_WAIT", 0.2)
    with pipeline_lock(config.storage.lock), pytest.raises(LockedError) as refused:
        ops.restore(config, taken, read_mailbox=False)
    assert "stop the worker" in str(refused.value)
    assert refused.value.exit_code == 75


def test_restore_puts_the_snapshot_back_under_an_open_connection(config: Config, tmp_path: Path):
    _fill(config, 2)
    taken = ops.backup(config, tmp_path / "b").path
    with Store(config.storage.database, config.storage.files) as store, store.transaction():
        for n in range(2, 5):
            store.insert(
                "messages",
                {
                    "message_id": f"<later{n}@example.pl>",
                    "sha256": f"{n:064x}",
                    "received_at": "2024-05-11T10:00:00+00:00",
                    "disposition": "application",
                },
            )
    # the disk lost a stored file; the workspace holds the database open
    lost = (
        config.storage.files / json.loads((taken / ops.MANIFEST).read_text())["files"].popitem()[0]
    )
    lost.unlink()
    workspace = sqlite3.connect(config.storage.database)
    assert workspace.execute("SELECT count(*) FROM messages").fetchone()[0] == 5

    report = ops.restore(config, taken, read_mailbox=False)

    assert workspace.execute("SELECT count(*) FROM messages").fetchone()[0] == 2
    workspace.close()
    assert report.files_put_back == 1 and lost.read_bytes().startswith(b"message ")
    assert report.kept_aside is not None
    with sqlite3.connect(report.kept_aside / ops.DATABASE) as kept:
        assert kept.execute("SELECT count(*) FROM messages").fetchone()[0] == 5
    with Store(config.storage.database, config.storage.files) as store:
        assert store.get_state(RESYNC_PENDING_KEY) == "1"  # the next pass reads the mailbox
        assert store.get_state(RESTORED_AT_KEY)
    assert "the next `mailbot poll` reads it back" in report.text()


def test_a_snapshot_that_is_not_whole_is_refused(config: Config, tmp_path: Path) -> None:
    _fill(config, 1)
    taken = ops.backup(config, tmp_path / "b").path
    assert ops.chosen(tmp_path / "b") == taken  # the folder of snapshots: the newest
    with pytest.raises(SnapshotError, match="not a mailbot snapshot"):
        ops.verify(tmp_path)
    newer = tmp_path / "newer"
    shutil.copytree(taken, newer)
    with sqlite3.connect(newer / ops.DATABASE) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    manifest = json.loads((newer / ops.MANIFEST).read_text())
    manifest["database"]["sha256"] = ops._sha256(newer / ops.DATABASE)
    (newer / ops.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(SnapshotError, match="newer mailbot"):
        ops.verify(newer)
    (taken / ops.DATABASE).write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    with pytest.raises(SnapshotError, match="not the file the manifest names"):
        ops.verify(taken)


def test_a_snapshot_from_before_person_keys_is_restored_with_them(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A snapshot of schema 10 (no ``person_key``): restored, migration 11 names the person of
    each form known by e-mail with the configured form, so superseding finds them."""
    from mailbot.storage import store as store_module
    from mailbot.storage.store import dumps

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 10)
    with Store(config.storage.database, config.storage.files) as old, old.transaction():
        for n, key, fields in (
            (1, "email:anna@cis.pl", {"full_name": "Anna Kowalska", "organisation": "CIS"}),
            (2, "sender:kto@wp.pl", {}),
        ):
            message = old.insert(
                "messages",
                {
                    "message_id": f"<m{n}@example.pl>",
                    "sha256": f"{n:064x}",
                    "received_at": "2024-05-10T10:00:00+00:00",
                    "disposition": "application",
                },
            )
            old.insert(
                "applications",
                {
                    "message_pk": message,
                    "reference": f"DKRES-2024-000{n}",
                    "status": "accepted",
                    "applicant_key": key,
                    "received_at": "2024-05-10T10:00:00+00:00",
                    "superseded": 0,
                    "fields": dumps(fields),
                },
            )
    taken = ops.backup(config, tmp_path / "b").path
    monkeypatch.undo()
    ops.restore(config, taken, read_mailbox=False)
    with sqlite3.connect(config.storage.database) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = conn.execute("SELECT reference, person_key FROM applications ORDER BY id").fetchall()
    assert rows == [("DKRES-2024-0001", "person:anna kowalska|cis"), ("DKRES-2024-0002", "")]
