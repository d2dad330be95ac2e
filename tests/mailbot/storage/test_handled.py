"""mailbot/storage/handled.py: the archive of handled entries, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.storage import handled
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def test_an_entry_says_what_it_was_about_whatever_its_kind(store):
    question = message(
        store, sender="ewa@example.pl", subject="Pytanie", disposition="correspondence"
    )
    form = message(store, subject="Zgłoszenie")
    app = application(store, form, "DKRES-2024-0007")
    with store.transaction():
        handled.mark_many(store, [f"message:{question}", f"application:{app}"], "anna", "done")
    assert handled.count_handled(store) == 2
    row = handled.handled_row(store, f"message:{question}")
    assert (row.kind, row.by, row.how, row.message_pk) == ("message", "anna", "done", question)
    assert (row.sender, row.subject, row.reference) == ("ewa@example.pl", "Pytanie", None)
    row = handled.handled_row(store, f"application:{app}")
    assert (row.kind, row.message_pk, row.reference, row.subject) == (
        "application",
        form,
        "DKRES-2024-0007",
        "Zgłoszenie",
    )
    assert handled.handled_row(store, "application:1234") is None


def test_marking_again_replaces_and_unmarking_says_whether_there_was_a_mark(store):
    m = message(store)
    with store.transaction():
        handled.mark_many(store, [f"message:{m}"], "anna", "done")
        handled.mark_many(store, [f"message:{m}"], "zofia", "answered")
    assert handled.count_handled(store) == 1
    assert handled.handled_row(store, f"message:{m}").by == "zofia"
    assert handled.unmark(store, f"message:{m}")
    assert not handled.unmark(store, f"message:{m}")
    assert handled.count_handled(store) == 0


def test_pages_list_the_latest_first(store):
    items = [f"message:{message(store)}" for _ in range(3)]
    for n, item in enumerate(items):
        with store.transaction():
            store.conn.execute(
                "INSERT INTO handled(item, by, at, how) VALUES (?, ?, ?, ?)",
                [item, "anna", f"2024-05-1{n}T10:00:00Z", "done"],
            )
    page = handled.handled_page(store, limit=2, offset=0)
    assert [r.item for r in page] == [items[2], items[1]]
    assert [r.item for r in handled.handled_page(store, limit=2, offset=2)] == [items[0]]
