"""mailbot/ops/mail_list.py: Wiadomości — days of receipt in the call's time zone, the sender
and the text folded, pages kept within range, bad filters refused by their code."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from stored_rows import message

from mailbot.config.loading import parse_config
from mailbot.errors import ActionRefused
from mailbot.ops.mail_list import MailQuery, message_list
from mailbot.storage.store import Store

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def config(tmp_path: Path):
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    return parse_config(data, base=tmp_path)


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def test_a_day_is_the_calls_day_not_utcs(config, store):
    before = message(store, received_at="2024-05-09T21:59:00+00:00")  # 23:59 in Warsaw, 9 May
    after_midnight = message(store, received_at="2024-05-09T22:30:00+00:00")  # 00:30, 10 May
    evening = message(store, received_at="2024-05-10T21:30:00+00:00")  # 23:30, 10 May
    message(store, received_at="2024-05-10T22:00:00+00:00")  # midnight: 11 May
    page = message_list(
        config, store, MailQuery(day_from=date(2024, 5, 10), day_to=date(2024, 5, 10))
    )
    assert [m.id for m in page.rows] == [evening, after_midnight]
    assert page.total == 2 and page.counts == {"application": 4}
    only_from = message_list(config, store, MailQuery(day_to=date(2024, 5, 9)))
    assert [m.id for m in only_from.rows] == [before]


def test_sender_and_text_are_folded_and_blank_ones_ignored(config, store):
    lodz = message(store, sender="Biuro@Lodz.example.pl", subject="Pytanie o GRUPĘ")
    message(store, sender="anna@example.pl", subject="Zgłoszenie")
    assert [m.id for m in message_list(config, store, MailQuery(sender="BIURO@lodz")).rows] == [
        lodz
    ]
    assert [m.id for m in message_list(config, store, MailQuery(text="grupe")).rows] == [lodz]
    assert message_list(config, store, MailQuery(sender="  ", text=" ")).total == 2


def test_pages_stay_in_range(config, store):
    for _ in range(5):
        message(store)
    assert message_list(config, store, MailQuery(page=7), per_page=2).page == 3
    assert message_list(config, store, MailQuery(page=-1), per_page=2).page == 1
    assert len(message_list(config, store, MailQuery(page=3), per_page=2).rows) == 1
    assert message_list(config, store, MailQuery(), per_page=2).pages == 3


def test_a_disposition_that_does_not_exist_or_days_reversed_are_refused(config, store):
    with pytest.raises(ActionRefused) as caught:
        message_list(config, store, MailQuery(disposition="spam"))
    assert (
        caught.value.code == "unknown_disposition" and "unrelated" in caught.value.params["choices"]
    )
    with pytest.raises(ActionRefused) as caught:
        message_list(config, store, MailQuery(day_from=date(2024, 5, 10), day_to=date(2024, 5, 9)))
    assert caught.value.code == "days_reversed"
