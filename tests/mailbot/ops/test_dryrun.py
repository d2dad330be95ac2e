"""mailbot/ops/dryrun.py: --dry-run works on a scratch copy of the database — the real one is
never changed, the copy is gone afterwards — and reads back one line per new message, the
sender masked, what would be sent said."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.config.loading import parse_config
from mailbot.ops.dryrun import dry_run, scratch_store
from mailbot.pipeline.report import PassReport
from mailbot.storage.store import Store

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def config(tmp_path: Path):
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    data["storage"] = {"database": "state/mailbot.db", "files": "state/files"}
    return parse_config(data, base=tmp_path)


def live_count(config) -> int:
    with Store(config.storage.database, config.storage.files) as store:
        return store.conn.execute("SELECT count(*) FROM messages").fetchone()[0]


def test_the_scratch_copy_holds_the_real_data_changes_nothing_and_is_removed(config):
    with Store(config.storage.database, config.storage.files) as store:
        message(store, subject="Stara wiadomość")
    with scratch_store(config) as scratch:
        folder = scratch.path.parent
        assert scratch.path != config.storage.database
        assert scratch.conn.execute("SELECT subject FROM messages").fetchone()[0] == (
            "Stara wiadomość"
        )
        message(scratch)
    assert not folder.exists()
    assert live_count(config) == 1


def test_with_no_database_yet_the_scratch_copy_starts_empty(config):
    assert not config.storage.database.exists()
    with scratch_store(config) as scratch:
        assert scratch.conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 0
    assert not config.storage.database.exists()


def test_the_report_has_a_line_per_new_message_only_and_says_what_would_be_sent(config):
    with Store(config.storage.database, config.storage.files) as store:
        message(store, subject="Przed przebiegiem")

    def work(store: Store) -> PassReport:
        m = message(
            store,
            sender="anna.kowalska@example.pl",
            subject="Zgłoszenie",
            received_at="2024-05-10T08:00:00+00:00",
        )
        app = application(store, m, "DKRES-2024-0001")
        with store.transaction():
            store.insert(
                "replies",
                {"message_pk": m, "application_pk": app, "template": "accepted", "state": "queued"},
            )
        message(
            store,
            sender="news@owes.example.pl",
            subject="Newsletter",
            disposition="unrelated",
            received_at="2024-05-10T09:00:00+00:00",
        )
        return PassReport(processed=2)

    report = dry_run(config, work)
    assert report.messages.processed == 2
    assert [(line.subject, line.disposition, line.reply) for line in report.lines] == [
        ("Zgłoszenie", "application", "reply: accepted"),
        ("Newsletter", "unrelated", "no reply"),
    ]
    assert report.lines[0].received_at == "2024-05-10 10:00"  # the call's time zone
    text = report.text()
    assert "anna.kowalska@example.pl" not in text  # senders masked
    assert "dry run: 2 message(s) (1 application, 1 unrelated); 1 reply(ies) would be sent" in text
    assert live_count(config) == 1
