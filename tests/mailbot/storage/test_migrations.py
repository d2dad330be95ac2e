"""The schema's migrations: an ordered list, each applied whole in a transaction of its own."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from mailbot.errors import StorageError
from mailbot.storage import store as store_module
from mailbot.storage.migrations import MIGRATIONS, SCHEMA_VERSION, Migration
from mailbot.storage.store import Store, dumps, iso
from parsers import DEFAULT_FORM


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
        m._replace(apply=lambda db, m=m: (applied.append(m.number), m.apply(db))[1])
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


# --- migration 11: the person each stored form names ------------------------------------------

NOW = datetime(2024, 5, 14, 10, 0, tzinfo=UTC)


def _old_application(store: Store, n: int, applicant_key: str, fields: dict[str, str]) -> int:
    message = store.insert(
        "messages",
        {
            "message_id": f"<m{n}@test>",
            "sha256": f"{n:064x}",
            "sender": f"nadawca{n}@example.pl",
            "received_at": iso(NOW + timedelta(days=n)),
            "disposition": "application",
        },
    )
    return store.insert(
        "applications",
        {
            "message_pk": message,
            "reference": f"DKRES-2024-{n:04d}",
            "status": "accepted",
            "applicant_key": applicant_key,
            "sender_key": f"nadawca{n}@example.pl",
            "received_at": iso(NOW + timedelta(days=n)),
            "superseded": 0,
            "fields": dumps(fields),
        },
    )


def _old_database(tmp_path, monkeypatch) -> tuple:
    """A database of schema 10 (before ``person_key``) holding applications of every kind."""
    database, files = tmp_path / "mailbot.db", tmp_path / "files"
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 10)
    anna = {"full_name": "Anna  Kowalska", "organisation": "CIS Oława", "email": "anna@cis.pl"}
    with Store(database, files) as old, old.transaction():
        _old_application(old, 1, "email:anna@cis.pl", anna)
        _old_application(old, 2, "person:ewa nowak|", {"full_name": "Ewa Nowak"})
        _old_application(old, 3, "sender:kto@wp.pl", {})
        _old_application(old, 4, "email:pusty@wp.pl", {"email": "pusty@wp.pl"})
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION)
    return database, files


def _person_keys(store: Store) -> list[tuple[str, str | None]]:
    return store.conn.execute(
        "SELECT applicant_key, person_key FROM applications ORDER BY id"
    ).fetchall()


def test_migration_11_names_the_person_of_every_stored_form_in_its_own_transaction(
    tmp_path, monkeypatch
):
    database, files = _old_database(tmp_path, monkeypatch)
    with Store(database, files, form=DEFAULT_FORM) as store:
        assert _person_keys(store) == [
            ("email:anna@cis.pl", "person:anna kowalska|cis olawa"),
            ("person:ewa nowak|", "person:ewa nowak|"),
            ("sender:kto@wp.pl", ""),
            ("email:pusty@wp.pl", ""),  # a form naming nobody
        ]
    assert _version(database) == SCHEMA_VERSION


def test_migration_11_without_the_form_spec_stops_and_leaves_the_database_as_it_was(
    tmp_path, monkeypatch
):
    database, files = _old_database(tmp_path, monkeypatch)
    with pytest.raises(StorageError, match="configuration"):
        Store(database, files)
    assert _version(database) == 10  # migration 11 rolled back whole: no column half filled
    with sqlite3.connect(database) as conn:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(applications)")}
    assert "person_key" not in columns
    with Store(database, files, form=DEFAULT_FORM) as store:  # opened as mailbot opens it
        assert _person_keys(store)[0] == ("email:anna@cis.pl", "person:anna kowalska|cis olawa")


def test_a_restored_old_database_supersedes_by_the_person_its_forms_name(tmp_path, monkeypatch):
    """Anna applied by e-mail before the upgrade; her later form gives no address: after the
    migration the later form is hers, and it supersedes the earlier one."""
    from mailbot.pipeline.superseding import resupersede

    database, files = _old_database(tmp_path, monkeypatch)
    with Store(database, files, form=DEFAULT_FORM) as store, store.transaction():
        later = _old_application(
            store, 5, "person:anna kowalska|cis olawa", {"full_name": "Anna Kowalska"}
        )
        store.conn.execute(
            "UPDATE applications SET person_key = applicant_key WHERE id = ?", [later]
        )
        resupersede(store, {"person:anna kowalska|cis olawa"}, set(), DEFAULT_FORM)
        marks = dict(store.conn.execute("SELECT id, superseded FROM applications").fetchall())
    assert marks == {1: 1, 2: 0, 3: 0, 4: 0, later: 0}
