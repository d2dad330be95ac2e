"""The coordinator's notes on an application: each kept with who wrote it and when, and an
event in the log (which names the note, never its text)."""

from __future__ import annotations

from mailbot.errors import ActionRefused
from mailbot.ops.review import read_application
from mailbot.sanitize import clean_text
from mailbot.storage import notes as sql
from mailbot.storage.notes import Note
from mailbot.storage.store import Store, iso, utcnow

#: the longest note kept (characters)
MAX_NOTE = 4000


def add_note(store: Store, ref: str, text: str, *, actor: str) -> Note:
    """Keep a note on the application ``ref``; ActionRefused when it is empty or too long."""
    app = read_application(store, ref)
    text = clean_text(text).strip()
    if not text:
        raise ActionRefused("note_empty")
    if len(text) > MAX_NOTE:
        raise ActionRefused("note_too_long", limit=MAX_NOTE)
    at = iso(utcnow())
    with store.transaction():
        note_id = sql.add_note(store, app.id, text, actor, at)
        store.event("note", app.message_pk, f"{app.reference} nr {note_id}", actor=actor)
    return Note(note_id, text, actor, at)


def notes_of(store: Store, application_pk: int) -> list[Note]:
    return sql.notes_of(store, application_pk)
