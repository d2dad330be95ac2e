"""Store transactions on a real SQLite file: writers wait their turn, readers never wait."""

from __future__ import annotations

import threading
import time

from mailbot.storage.store import SCHEMA_VERSION, Store


def _store(tmp_path, timeout: float = 10.0) -> Store:
    return Store(tmp_path / "mailbot.db", tmp_path / "files", timeout=timeout)


def test_a_transaction_that_reads_first_waits_for_another_writer_instead_of_failing(tmp_path):
    """Two Store objects, as the worker and the workspace hold them. The first reads, then
    writes; the second commits a write in between. With a deferred BEGIN the first one's write
    failed at once with "database is locked" (the busy timeout does not apply to upgrading a
    read snapshot); with BEGIN IMMEDIATE the second waits until the first commits."""
    worker = _store(tmp_path)
    read_done = threading.Event()
    errors: list[BaseException] = []
    order: list[str] = []

    def other_writer() -> None:
        workspace = _store(tmp_path)  # its own connection, in its own thread
        read_done.wait(5)
        try:
            with workspace.transaction():
                workspace.set_state("decision", "accepted")
            order.append("workspace")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            workspace.close()

    thread = threading.Thread(target=other_writer)
    thread.start()
    with worker.transaction():
        counter = worker.get_state("counter")  # the read first
        read_done.set()
        time.sleep(0.3)  # the workspace tries to commit now
        worker.set_state("counter", str(int(counter or 0) + 1))
        order.append("worker")
    thread.join(10)
    assert errors == []
    assert order == ["worker", "workspace"]
    assert worker.get_state("counter") == "1" and worker.get_state("decision") == "accepted"
    worker.close()


def test_readers_do_not_wait_for_a_writer(tmp_path):
    writer, reader = _store(tmp_path), _store(tmp_path, timeout=0.1)
    writer.set_state("k", "before")
    with writer.transaction():
        writer.set_state("k", "during")
        started = time.monotonic()
        assert reader.get_state("k") == "before"  # the last committed value, at once
        assert time.monotonic() - started < 0.1
    assert reader.get_state("k") == "during"
    writer.close()
    reader.close()


def _open_at_once(folder, count: int = 3) -> tuple[list[int], list[BaseException]]:
    """``count`` Stores opened on one new database at the same moment, each in its thread."""
    versions: list[int] = []
    errors: list[BaseException] = []
    go = threading.Event()

    def open_one() -> None:
        go.wait(5)
        try:
            with _store(folder) as store:
                versions.append(store.conn.execute("PRAGMA user_version").fetchone()[0])
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(count)]
    for t in threads:
        t.start()
    go.set()
    for t in threads:
        t.join(30)
    return versions, errors


def test_stores_opening_a_new_database_at_once_migrate_it_once(tmp_path):
    """Two processes starting together on a new database (the worker and a cron poll): each
    migration runs once; the one that waited for the write lock finds it done."""
    for attempt in range(5):
        folder = tmp_path / str(attempt)
        folder.mkdir()
        versions, errors = _open_at_once(folder)
        assert errors == []
        assert versions == [SCHEMA_VERSION] * 3


#: the summary triggers and name index a database before migration 17 holds (the DKRES form's
#: fields named in SQL)
OLD_SUMMARY = (
    "json_object('full_name', coalesce(json_extract(NEW.corrected, '$.full_name'), "
    "json_extract(NEW.fields, '$.full_name')), 'groups', json(coalesce(json_extract("
    "NEW.corrected, '$.groups'), json_extract(NEW.fields, '$.groups'), '[]')))"
)
OLD_GROUPS_KEY = (
    "(SELECT '|' || coalesce(group_concat(value, '|'), '') || '|' FROM json_each("
    "coalesce(json_extract(NEW.corrected, '$.groups'), json_extract(NEW.fields, "
    "'$.groups'), '[]')))"
)


def _insert_application(store: Store, n: int, fields: str, corrected: str | None = None) -> None:
    with store.transaction():
        message = store.insert(
            "messages",
            {
                "message_id": f"<{n}@x.pl>",
                "sha256": f"{n:064x}",
                "disposition": "application",
                "received_at": "2026-03-03T10:00:00+00:00",
                "stored_at": "2026-03-03T10:00:00+00:00",
            },
        )
        store.insert(
            "applications",
            {
                "message_pk": message,
                "reference": f"R-{n}",
                "status": "accepted",
                "superseded": 0,
                "fields": fields,
                "corrected": corrected,
                "received_at": "2026-03-03T10:00:00+00:00",
            },
        )


def test_migration_17_makes_the_summary_and_choice_key_of_any_form(tmp_path, monkeypatch):
    """A database of version 16 whose triggers read one form's keys: after migration 17 every
    stored application's summary and choice key are made again from its values, the old name
    index is gone, and new rows of another form are summarised."""
    from mailbot.storage import store as store_module

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 16)  # a database made by version 16
    store = _store(tmp_path)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION)
    for name in ("applications_summary_insert", "applications_summary_update"):
        store.conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    store.conn.execute(
        f"CREATE TRIGGER applications_summary_insert AFTER INSERT ON applications BEGIN "
        f"UPDATE applications SET summary = {OLD_SUMMARY}, groups_key = {OLD_GROUPS_KEY} "
        f"WHERE id = NEW.id; END"
    )
    store.conn.execute(
        "CREATE INDEX idx_applications_name ON applications("
        "lower(coalesce(json_extract(summary, '$.full_name'), '')))"
    )
    _insert_application(store, 1, '{"imie_nazwisko": "Zofia W", "komisja": [2, 5]}')
    _insert_application(store, 2, '{"full_name": "Anna K", "groups": [4]}', '{"groups": [1]}')
    assert store.conn.execute("SELECT groups_key FROM applications").fetchall() == [
        ("||",),
        ("|1|",),
    ]
    store.conn.execute("PRAGMA user_version = 16")
    store.close()

    store = _store(tmp_path)
    assert store._version() == SCHEMA_VERSION
    rows = store.conn.execute("SELECT summary, groups_key FROM applications ORDER BY id").fetchall()
    assert rows == [
        ('{"imie_nazwisko":"Zofia W","komisja":[2,5]}', "|2|5|"),
        ('{"full_name":"Anna K","groups":[1]}', "|1|"),
    ]
    assert not store.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'idx_applications_name'"
    ).fetchall()
    _insert_application(store, 3, '{"imie": "Jan", "obszary": [3]}')
    assert store.conn.execute("SELECT groups_key FROM applications WHERE id = 3").fetchone() == (
        "|3|",
    )
    store.close()
