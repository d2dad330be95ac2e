"""mailbot/ops/handled.py: marking entries handled (all or none), the archive a page at a
time, taking a mark off again — each change logged with who made it — on a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.errors import ActionRefused, MailbotError
from mailbot.ops import handled
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def logged(store) -> list[tuple]:
    return [
        tuple(r) for r in store.conn.execute("SELECT kind, message_pk, detail, actor FROM events")
    ]


def test_several_entries_are_marked_at_once_and_logged(store):
    m = message(store, disposition="correspondence")
    app = application(store, message(store), "DKRES-2024-0001")
    items = [f"message:{m}", f"application:{app}", f"message:{m}", ""]
    assert handled.mark_many(store, items, actor="anna", how="answered") == 2
    assert logged(store) == [
        ("handled", m, f"message:{m} answered", "anna"),
        ("handled", None, f"application:{app} answered", "anna"),
    ]
    page = handled.archive(store)
    assert (page.total, page.pages, page.page) == (2, 1, 1)
    assert {r.item for r in page.rows} == {f"message:{m}", f"application:{app}"}


def test_nothing_is_marked_when_one_entry_is_not_an_entry(store):
    m = message(store)
    with pytest.raises(MailbotError):
        handled.mark_many(store, [f"message:{m}", "message:abc"], actor="anna")
    with pytest.raises(ActionRefused) as caught:
        handled.mark_many(store, ["", ""], actor="anna")
    assert caught.value.code == "nothing_chosen"
    assert handled.archive(store).total == 0 and logged(store) == []


def test_taking_the_mark_off_brings_the_entry_back_and_says_what_it_was(store):
    m = message(store)
    handled.mark_many(store, [f"message:{m}"], actor="anna", how="done")
    row = handled.restore(store, f"message:{m}", actor="zofia")
    assert (row.item, row.how) == (f"message:{m}", "done")
    assert logged(store)[-1] == ("restored", m, f"message:{m} (było: done)", "zofia")
    with pytest.raises(ActionRefused) as caught:
        handled.restore(store, f"message:{m}", actor="zofia")
    assert caught.value.code == "not_handled"


def test_the_archive_pages_stay_within_their_range(store):
    items = [f"message:{message(store)}" for _ in range(5)]
    handled.mark_many(store, items, actor="anna")
    first = handled.archive(store, page=1, per_page=2)
    assert (first.total, first.pages, len(first.rows)) == (5, 3, 2)
    assert handled.archive(store, page=9, per_page=2).page == 3
    assert handled.archive(store, page=0, per_page=2).page == 1
    assert len(handled.archive(store, page=3, per_page=2).rows) == 1
