"""mailbot/ops/notes.py: a note on an application kept with who wrote it and when, cleaned and
bounded, and logged without its text — on a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.errors import ActionRefused, MailbotError
from mailbot.ops import notes
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def test_a_note_is_kept_cleaned_with_its_author_and_logged_without_its_text(store):
    m = message(store)
    app = application(store, m, "DKRES-2024-0001")
    note = notes.add_note(
        store, " DKRES-2024-0001 ", "  Dzwoniłam:\x00 prześle skan.  ", actor="anna"
    )
    assert (note.text, note.by) == ("Dzwoniłam: prześle skan.", "anna")
    assert notes.notes_of(store, app) == [note]
    event = store.conn.execute("SELECT kind, message_pk, detail, actor FROM events").fetchall()
    assert [tuple(e) for e in event] == [("note", m, f"DKRES-2024-0001 nr {note.id}", "anna")]


def test_an_empty_or_too_long_note_or_no_application_is_refused(store):
    application(store, message(store), "DKRES-2024-0001")
    with pytest.raises(ActionRefused) as caught:
        notes.add_note(store, "DKRES-2024-0001", " \n ", actor="anna")
    assert caught.value.code == "note_empty"
    with pytest.raises(ActionRefused) as caught:
        notes.add_note(store, "DKRES-2024-0001", "x" * (notes.MAX_NOTE + 1), actor="anna")
    assert caught.value.code == "note_too_long" and caught.value.params["limit"] == notes.MAX_NOTE
    with pytest.raises(MailbotError):
        notes.add_note(store, "DKRES-2024-0999", "Notatka.", actor="anna")
    assert store.conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
