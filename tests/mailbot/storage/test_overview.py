"""mailbot/storage/overview.py: the counts behind the call's overview, on a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.storage import overview
from mailbot.storage.overview import QuarterCount
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def app(store, status: str, groups: list[int], at: str, superseded: int = 0) -> int:
    fields = json.dumps({"full_name": "Anna Nowak", "groups": groups})
    return application(
        store,
        message(store),
        f"R-{at}-{status}",
        status=status,
        superseded=superseded,
        received_at=at,
        fields=fields,
    )


def test_live_applications_by_status_and_by_group(store):
    app(store, "accepted", [1, 4], "2024-05-06T10:05:00+00:00")
    app(store, "accepted", [4], "2024-05-06T10:20:00+00:00")
    app(store, "incomplete", [1, 11], "2024-05-06T10:50:00+00:00")
    app(store, "accepted", [1], "2024-05-06T11:00:00+00:00", superseded=1)
    app(store, "late", [1], "2024-05-25T10:00:00+00:00")
    assert overview.live_applications_by_status(store) == {
        "accepted": 2,
        "incomplete": 1,
        "late": 1,
    }
    by_group = overview.live_applications_by_group(store, [1, 4, 11])
    assert by_group[(1, "accepted")] == 1 and by_group[(4, "accepted")] == 2
    assert by_group[(1, "incomplete")] == 1 and by_group[(11, "incomplete")] == 1
    assert by_group[(4, "incomplete")] == 0  # group 1 in "|1|11|" does not count for 11's 1
    assert (1, "late") not in by_group
    assert overview.live_applications_by_group(store, []) == {}


def test_applications_per_quarter_hour_leave_out_formless_and_not_applications(store):
    app(store, "accepted", [1], "2024-05-06T10:05:00+00:00")
    app(store, "accepted", [1], "2024-05-06T10:14:59+00:00")
    app(store, "incomplete", [1], "2024-05-06T10:45:00+00:00")
    app(store, "no_form", [], "2024-05-06T10:05:00+00:00")
    app(store, "not_application", [], "2024-05-06T10:05:00+00:00")
    assert sorted(overview.applications_per_quarter_hour(store)) == [
        QuarterCount("2024-05-06T10", 0, 2),
        QuarterCount("2024-05-06T10", 3, 1),
    ]


def test_replies_by_state_and_the_message_count(store):
    m = message(store)
    message(store)
    with store.transaction():
        for state in ("sent", "sent", "queued"):
            store.insert(
                "replies",
                {
                    "message_pk": m,
                    "template": "accepted",
                    "state": state,
                    "to_addr": "anna@example.pl",
                },
            )
    assert overview.replies_by_state(store) == {"sent": 2, "queued": 1}
    assert overview.message_count(store) == 2
