"""The coordinator's notes on an application: each with who wrote it and when, oldest first.

A note is removed with its application (``ON DELETE CASCADE``: a purge takes it too). Writes run
inside the caller's transaction, so a note and its event commit together.
"""

from __future__ import annotations

from typing import NamedTuple

from mailbot.storage.store import Store


class Note(NamedTuple):
    id: int
    text: str
    by: str
    at: str


def add_note(store: Store, application_pk: int, text: str, by: str, at: str) -> int:
    cursor = store.conn.execute(
        "INSERT INTO notes(application_pk, text, by, at) VALUES (?, ?, ?, ?)",
        [application_pk, text, by, at],
    )
    return int(cursor.lastrowid or 0)


def notes_of(store: Store, application_pk: int) -> list[Note]:
    return [
        Note(int(r[0]), r[1], r[2], r[3])
        for r in store.conn.execute(
            "SELECT id, text, by, at FROM notes WHERE application_pk = ? ORDER BY at, id",
            [application_pk],
        )
    ]
