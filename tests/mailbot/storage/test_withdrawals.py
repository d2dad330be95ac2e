"""mailbot/storage/withdrawals.py: a sender's live applications and marking one withdrawn, on a
real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.names import ApplicationStatus
from mailbot.storage import withdrawals as rows
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def test_final_statuses_cannot_be_withdrawn_from():
    assert ApplicationStatus.ACCEPTED in rows.WITHDRAWABLE
    assert ApplicationStatus.INCOMPLETE in rows.WITHDRAWABLE
    for final in ("withdrawn", "not_application", "rejected"):
        assert final not in rows.WITHDRAWABLE


def test_live_applications_are_the_senders_or_naming_her_oldest_first(store):
    later = application(store, message(store), "R-2", received_at="2024-05-12T10:00:00+00:00")
    first = application(store, message(store), "R-1", received_at="2024-05-10T10:00:00+00:00")
    named = application(
        store,
        message(store, sender="sekretariat@gops.pl"),
        "R-3",
        sender="sekretariat@gops.pl",
        applicant_email="anna@example.pl",
        received_at="2024-05-13T10:00:00+00:00",
    )
    application(store, message(store), "R-4", superseded=1)
    application(store, message(store), "R-5", status="rejected")
    application(store, message(store, sender="ewa@example.pl"), "R-6", sender="ewa@example.pl")
    found = rows.live_applications_of(store, "anna@example.pl")
    assert [a.id for a in found] == [first, later, named]
    assert found[0].reference == "R-1" and found[0].status == "accepted"
    assert rows.live_applications_of(store, "nobody@example.pl") == []


def test_marking_withdrawn_keeps_the_machines_status_once_and_links_the_message(store):
    app = application(store, message(store), "R-1", status="incomplete")
    withdrawal = message(store, subject="Rezygnacja", disposition="correspondence")
    assert rows.is_live(store, app)
    with store.transaction():
        rows.mark_withdrawn(
            store,
            app,
            by="anna",
            at="2024-05-14T10:00Z",
            message_pk=withdrawal,
            machine_status="incomplete",
        )
    row = store.conn.execute(
        "SELECT status, decided_by, machine_status FROM applications WHERE id = ?", [app]
    ).fetchone()
    assert row == ("withdrawn", "anna", "incomplete")
    assert rows.withdrawn_by_message(store, withdrawal) == ["R-1"]
    assert rows.withdrawn_by_message(store, app + 1000) == []
    assert rows.live_applications_of(store, "anna@example.pl") == []
    with store.transaction():  # a second change keeps the first machine status
        rows.mark_withdrawn(
            store,
            app,
            by="zofia",
            at="2024-05-15T10:00Z",
            message_pk=withdrawal,
            machine_status="withdrawn",
        )
    assert store.conn.execute(
        "SELECT machine_status FROM applications WHERE id = ?", [app]
    ).fetchone() == ("incomplete",)


def test_a_superseded_or_missing_application_is_not_live(store):
    old = application(store, message(store), "R-1", superseded=1)
    assert not rows.is_live(store, old)
    assert not rows.is_live(store, 4242)
