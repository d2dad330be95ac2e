"""mailbot/storage/mail_list.py: every message as the workspace lists it — filtered, searched
without case or Polish diacritics, newest first, a page at a time — on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.storage import mail_list
from mailbot.storage.mail_list import MessageFilter
from mailbot.storage.search import fold
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


@pytest.fixture
def mailbox(store):
    ids = {
        "anna": message(
            store,
            "Anna@Example.pl",
            "2024-05-10T08:00:00+00:00",
            "application",
            "Zgłoszenie – Świdnicka",
        ),
        "ewa": message(
            store,
            "ewa@lodz.example.pl",
            "2024-05-11T08:00:00+00:00",
            "correspondence",
            "Pytanie z Łodzi",
        ),
        "news": message(
            store, "news@owes.example.pl", "2024-05-12T08:00:00+00:00", "unrelated", "Newsletter"
        ),
    }
    application(store, ids["anna"], "DKRES-2024-0002")
    application(store, ids["anna"], "DKRES-2024-0001")
    with store.transaction():
        store.conn.execute(
            "INSERT INTO handled(item, by, at, how) VALUES (?, 'anna', '2024-05-12', 'done')",
            [f"message:{ids['ewa']}"],
        )
    return ids


def listed(store, **flt) -> list[int]:
    return [m.id for m in mail_list.message_page(store, MessageFilter(**flt))]


def test_newest_first_with_references_and_handled_mark(store, mailbox):
    page = mail_list.message_page(store, MessageFilter())
    assert [m.id for m in page] == [mailbox["news"], mailbox["ewa"], mailbox["anna"]]
    anna = page[-1]
    assert anna.references == "DKRES-2024-0001, DKRES-2024-0002"
    assert page[1].handled_how == "done" and page[0].handled_how is None
    assert mail_list.count_messages(store, MessageFilter()) == 3


def test_filters_by_disposition_time_and_sender(store, mailbox):
    assert listed(store, disposition="correspondence") == [mailbox["ewa"]]
    assert listed(store, received_from="2024-05-11T08:00:00+00:00") == [
        mailbox["news"],
        mailbox["ewa"],
    ]
    assert listed(store, received_to="2024-05-11T08:00:00+00:00") == [mailbox["anna"]]
    assert listed(store, sender="anna@") == [mailbox["anna"]]  # the address in any case
    assert mail_list.count_messages(store, MessageFilter(disposition="unrelated")) == 1


def test_text_is_found_without_case_or_diacritics_and_in_references(store, mailbox):
    assert listed(store, text=fold("swidnicka")) == [mailbox["anna"]]
    assert listed(store, text=fold("ŁODZI")) == [mailbox["ewa"]]
    assert listed(store, text="dkres-2024-0001") == [mailbox["anna"]]
    assert listed(store, text="nic takiego") == []


def test_pages_and_counts_by_disposition(store, mailbox):
    assert listed(store, limit=2) == [mailbox["news"], mailbox["ewa"]]
    assert listed(store, limit=2, offset=2) == [mailbox["anna"]]
    assert mail_list.disposition_counts(store) == {
        "application": 1,
        "correspondence": 1,
        "unrelated": 1,
    }
