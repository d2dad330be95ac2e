"""mailbot/storage/notes.py: the coordinator's notes on an application, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.errors import StorageError
from mailbot.storage import notes
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def test_notes_are_listed_oldest_first_with_who_and_when(store):
    app = application(store, message(store), "DKRES-2024-0001")
    other = application(store, message(store), "DKRES-2024-0002")
    with store.transaction():
        late = notes.add_note(store, app, "Dzwoniłam, prześle skan.", "anna", "2024-05-12T10:00Z")
        early = notes.add_note(store, app, "Brak podpisu.", "zofia", "2024-05-11T09:00Z")
        notes.add_note(store, other, "Inna sprawa.", "anna", "2024-05-11T08:00Z")
    found = notes.notes_of(store, app)
    assert [(n.id, n.text, n.by) for n in found] == [
        (early, "Brak podpisu.", "zofia"),
        (late, "Dzwoniłam, prześle skan.", "anna"),
    ]
    assert notes.notes_of(store, 999) == []


def test_a_note_goes_with_its_application(store):
    app = application(store, message(store), "DKRES-2024-0001")
    with store.transaction():
        notes.add_note(store, app, "Notatka.", "anna", "2024-05-12T10:00Z")
        store.conn.execute("DELETE FROM applications WHERE id = ?", [app])
    assert notes.notes_of(store, app) == []
    assert store.conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0


def test_a_note_needs_an_application_that_exists(store):
    with pytest.raises(StorageError), store.transaction():
        notes.add_note(store, 12345, "Notatka.", "anna", "2024-05-12T10:00Z")
