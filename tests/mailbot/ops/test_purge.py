"""mailbot/ops/purge.py (``mailbot purge``) on the demo's real database: everything about mail
received before the date goes, with the stored files nothing refers to any more, and the purge
is recorded; a purge before the first message removes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from web.workspace_data import demo_copy, open_store

from mailbot.ops.purge import purge


def count(store, table: str) -> int:
    return int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def stored_files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file())


def test_nothing_before_the_first_message(tmp_path: Path) -> None:
    config = demo_copy(tmp_path)
    with open_store(config) as store:
        messages, files = count(store, "messages"), stored_files(config.storage.files)
        report = purge(store, datetime(2000, 1, 1, tzinfo=UTC))
        assert (report.messages, report.applications, report.files) == (0, 0, 0)
        assert count(store, "messages") == messages
        assert stored_files(config.storage.files) == files


def test_everything_before_the_date_goes_with_its_files(tmp_path: Path) -> None:
    config = demo_copy(tmp_path)
    with open_store(config) as store:
        messages = count(store, "messages")
        applications = count(store, "applications")
        assert messages and applications and stored_files(config.storage.files)
        report = purge(store, datetime(2100, 1, 1, tzinfo=UTC))
        assert report.messages == messages
        assert report.applications == applications
        assert report.files > 0
        assert count(store, "messages") == 0
        assert count(store, "applications") == 0
        assert count(store, "attachments") == 0
        assert stored_files(config.storage.files) == 0
        (detail,) = [
            r[0] for r in store.db.execute("SELECT detail FROM events WHERE kind = 'purge'")
        ]
        assert detail == f"before 2100-01-01T00:00:00+00:00: {messages} message(s)"
    assert report.summary().startswith(f"removed {messages} message(s), {applications} app")
