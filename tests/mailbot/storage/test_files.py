"""mailbot/storage/files.py: the private file store on a real folder — files named by their
hash, written whole or not at all, readable by the owner only, swept when nobody needs them."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

import pytest
from stored_rows import message

from mailbot.errors import StorageError
from mailbot.storage.files import TMP_DIR, private_dir
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_file_is_kept_under_its_hash_private_and_once(store):
    data = b"%PDF-1.5 formularz"
    rel = store.save_file(data, sha(data), ".pdf")
    assert rel == f"{sha(data)[:2]}/{sha(data)}.pdf"
    path = store.files / rel
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    mtime = path.stat().st_mtime_ns
    assert store.save_file(b"other bytes, same name", sha(data), ".pdf") == rel  # idempotent
    assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime
    assert store.read_file(rel) == data
    assert list((store.files / TMP_DIR).iterdir()) == []  # nothing half-written left


def test_reading_a_missing_file_is_a_storage_error_naming_it(store):
    with pytest.raises(StorageError, match="ab/missing"):
        store.read_file("ab/missing")


def test_a_store_that_cannot_be_written_says_so(store):
    (store.files / "cd").write_bytes(b"")  # a file where the hash's folder must go
    with pytest.raises(StorageError, match="cannot write to the file store"):
        store.save_file(b"x", "cd" + "0" * 62)


def test_files_no_row_refers_to_are_removed_and_referred_ones_stay(store):
    kept = store.save_file(b"raw message", sha(b"raw message"), ".eml")
    gone = store.save_file(b"old attachment", sha(b"old attachment"))
    message(store, raw_file=kept)
    assert store.remove_unreferenced_files() == 1
    assert (store.files / kept).exists() and not (store.files / gone).exists()
    assert store.remove_unreferenced_files() == 0


def test_only_old_half_written_files_are_swept(store):
    tmp = store.files / TMP_DIR
    private_dir(tmp)
    old, fresh = tmp / "old", tmp / "fresh"
    old.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    store._sweep_temporary_files()
    assert not old.exists() and fresh.exists()
