"""The schema's migrations: an ordered list, each applied whole in a transaction of its own."""

from __future__ import annotations

import sqlite3

import pytest

from mailbot.errors import StorageError
from mailbot.storage import store as store_module
from mailbot.storage.migrations import MIGRATIONS, SCHEMA_VERSION, Migration
from mailbot.storage.store import Store


def test_the_migrations_are_one_ordered_list_ending_at_the_schema_version():
    numbers = [m.number for m in MIGRATIONS]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1
    assert SCHEMA_VERSION == numbers[-1] == store_module.SCHEMA_VERSION
    # each function is the migration of its own number
    assert all(m.apply.__name__ == f"migrate_{m.number}" for m in MIGRATIONS)


def _version(path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_a_failing_migration_leaves_the_ones_before_it_applied(tmp_path, monkeypatch):
    def half_done(db) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk I/O error")

    failing = Migration(SCHEMA_VERSION + 1, half_done)
    monkeypatch.setattr(store_module, "MIGRATIONS", (*MIGRATIONS, failing))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", failing.number)
    database = tmp_path / "db" / "mailbot.db"
    with pytest.raises(StorageError):
        Store(database, tmp_path / "files")
    assert _version(database) == SCHEMA_VERSION  # every earlier migration committed
    assert "half_done" not in _tables(database)  # the failing one rolled back whole
    assert "applications" in _tables(database)


def test_an_older_database_gets_only_the_later_migrations(tmp_path, monkeypatch):
    applied: list[int] = []
    counted = tuple(
        Migration(m.number, lambda db, m=m: (applied.append(m.number), m.apply(db))[1])
        for m in MIGRATIONS
    )
    database, files = tmp_path / "mailbot.db", tmp_path / "files"
    monkeypatch.setattr(store_module, "MIGRATIONS", counted)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 10)
    Store(database, files).close()
    assert applied == list(range(1, 11)) and _version(database) == 10
    applied.clear()
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION)
    Store(database, files).close()
    assert applied == [m.number for m in MIGRATIONS if m.number > 10]
    assert _version(database) == SCHEMA_VERSION
