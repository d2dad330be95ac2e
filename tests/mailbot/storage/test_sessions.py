"""mailbot/storage/sessions.py: sessions, failed-login counters and successful logins on a
real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.storage import sessions as rows
from mailbot.storage.sessions import FailureCount, SessionRow
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def test_a_session_is_found_touched_and_ended(store):
    rows.insert_session(store, "s1", "anna", "coordinator", "2024-05-10T08:00:00Z", 100)
    rows.insert_session(store, "s2", "anna", "coordinator", "2024-05-10T09:00:00Z", 200)
    rows.insert_session(store, "s3", "zofia", "viewer", "2024-05-10T09:00:00Z", 300)
    assert rows.find_session(store, "s1") == SessionRow("anna", "coordinator", 100)
    assert rows.find_session(store, "missing") is None
    rows.touch_session(store, "s1", 150)
    assert rows.find_session(store, "s1").seen_at == 150
    assert rows.count_sessions(store, "anna") == 2
    rows.delete_session(store, "s2")
    assert rows.count_sessions(store, "anna") == 1
    assert rows.delete_sessions_of(store, "anna") == 1
    assert rows.delete_sessions_of(store, "anna") == 0
    assert rows.find_session(store, "s3") is not None


def test_idle_sessions_are_dropped_by_when_they_were_last_seen(store):
    rows.insert_session(store, "old", "anna", "coordinator", "2024-05-10T08:00:00Z", 100)
    rows.insert_session(store, "new", "anna", "coordinator", "2024-05-10T08:00:00Z", 500)
    rows.delete_idle_sessions(store, seen_before=500)
    assert rows.find_session(store, "old") is None
    assert rows.find_session(store, "new") is not None


def test_failure_counts_are_kept_per_key_and_replaced(store):
    assert rows.failure_counts(store, ["k1", "k2"]) == {}
    rows.set_failure_count(store, "k1", FailureCount(1, 10.0, 0.0))
    rows.set_failure_count(store, "k1", FailureCount(2, 20.0, 80.0))
    rows.set_failure_count(store, "k2", FailureCount(1, 5.0, 0.0))
    assert rows.failure_counts(store, ["k1", "k3"]) == {"k1": FailureCount(2, 20.0, 80.0)}
    rows.forget_old_failures(store, before=10.0)
    assert set(rows.failure_counts(store, ["k1", "k2"])) == {"k1"}
    rows.delete_failure_count(store, "k1")
    assert rows.failure_counts(store, ["k1"]) == {}


def test_the_last_success_is_remembered_and_forgotten_when_old(store):
    assert rows.success_at(store, "k") is None
    rows.record_success(store, "k", 10.0)
    rows.record_success(store, "k", 30.0)
    assert rows.success_at(store, "k") == 30.0
    rows.forget_old_successes(store, before=31.0)
    assert rows.success_at(store, "k") is None
