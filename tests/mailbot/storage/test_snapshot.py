"""mailbot/storage/snapshot.py: consistent copies of a live database and writing them back,
on real SQLite files."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.errors import StorageError
from mailbot.names import REFERENCE_COUNTER_KEY
from mailbot.storage import snapshot
from mailbot.storage.store import SCHEMA_VERSION, Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def test_a_copy_is_private_whole_and_counts_what_it_holds(store, tmp_path):
    first = message(store, raw_file="aa/raw.eml")
    application(store, first, "DKRES-2024-0001")
    message(store)
    with store.transaction():
        store.set_state(REFERENCE_COUNTER_KEY, "1")
    copy = tmp_path / "snap.db"
    snapshot.copy_database(store.path, copy)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert snapshot.integrity(copy) == "ok"
    assert snapshot.contents(copy) == snapshot.Contents(SCHEMA_VERSION, 2, 1, 0, 1)
    assert snapshot.referenced_files(copy) == ["aa/raw.eml"]
    mode = sqlite3.connect(copy).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "delete"  # one file, no WAL beside it


def test_there_is_no_copy_of_a_database_that_is_not_there(tmp_path):
    with pytest.raises(StorageError, match=r"storage\.database"):
        snapshot.copy_database(tmp_path / "none.db", tmp_path / "snap.db")
    assert not (tmp_path / "snap.db").exists()


def test_a_restore_writes_the_snapshot_into_the_live_database_seen_by_an_open_store(
    store, tmp_path
):
    message(store)
    copy = tmp_path / "snap.db"
    snapshot.copy_database(store.path, copy)
    message(store)
    message(store)
    assert snapshot.contents(store.path).messages == 3
    snapshot.restore_database(copy, store.path)
    assert store.conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_restore_onto_nothing_creates_a_private_database(store, tmp_path):
    copy = tmp_path / "snap.db"
    snapshot.copy_database(store.path, copy)
    live = tmp_path / "new" / "mailbot.db"
    live.parent.mkdir()
    snapshot.restore_database(copy, live)
    assert stat.S_IMODE(live.stat().st_mode) == 0o600
    assert snapshot.contents(live).schema_version == SCHEMA_VERSION


def test_set_meta_writes_one_value_into_a_snapshot(store, tmp_path):
    before = store.get_state(REFERENCE_COUNTER_KEY)
    copy = tmp_path / "snap.db"
    snapshot.copy_database(store.path, copy)
    snapshot.set_meta(copy, REFERENCE_COUNTER_KEY, "41")
    snapshot.set_meta(copy, REFERENCE_COUNTER_KEY, "42")
    assert snapshot.contents(copy).reference_counter == 42
    assert store.get_state(REFERENCE_COUNTER_KEY) == before != "42"  # the live one untouched


def test_a_damaged_file_is_not_ok(tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(StorageError):
        snapshot.integrity(broken)
