"""The storage behind the coordinator's work, on a real SQLite file: the look-ups with a rule in
them (reference or id, the applicant's latest message, who is still open in the attention
queue) and the overview's counts (groups from the trigger-kept key, quarters of an hour)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailbot.storage import overview as counts
from mailbot.storage import review as rows
from mailbot.storage.store import Store, iso, utcnow


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def message(
    store: Store,
    sender: str = "anna@example.pl",
    received_at: str = "2024-05-10T10:00:00+00:00",
    disposition: str = "application",
) -> int:
    with store.transaction():
        return store.insert(
            "messages",
            {
                "message_id": f"<m{utcnow().timestamp()}-{received_at}-{sender}@example.pl>",
                "origin": "file",
                "sha256": "0" * 64,
                "received_at": received_at,
                "sender": sender,
                "subject": "Zgłoszenie",
                "disposition": disposition,
            },
        )


def application(
    store: Store,
    message_pk: int,
    reference: str,
    *,
    status: str = "accepted",
    groups: tuple[int, ...] = (),
    superseded: int = 0,
    sender: str = "anna@example.pl",
    received_at: str = "2024-05-10T10:00:00+00:00",
    **extra: object,
) -> int:
    with store.transaction():
        return store.insert(
            "applications",
            {
                "message_pk": message_pk,
                "reference": reference,
                "status": status,
                "problems": "[]",
                "fields": json.dumps({"full_name": "Anna Nowak", "groups": list(groups)}),
                "sources": "{}",
                "sender": sender,
                "sender_key": sender.lower(),
                "received_at": received_at,
                "superseded": superseded,
                "created_at": iso(utcnow()),
                **extra,
            },
        )


def test_an_application_is_found_by_reference_then_by_id_only_for_digits(store):
    first = application(store, message(store), "DKRES-2024-0001")
    second = application(store, message(store), str(first))  # a reference that looks like an id
    assert rows.find_application(store, "DKRES-2024-0001")["id"] == first
    assert rows.find_application(store, str(first))["id"] == second  # the reference wins
    assert rows.find_application(store, str(second))["id"] == second  # else the id
    assert rows.find_application(store, "DKRES-2024-9999") is None
    assert rows.find_application(store, "999") is None


def test_the_latest_message_of_a_sender_since_a_moment(store):
    since = "2024-05-10T10:00:00+00:00"
    message(store, "anna@example.pl", "2024-05-09T10:00:00+00:00")  # before: never
    own = message(store, "Anna@Example.pl", since)
    later = message(store, "ANNA@example.pl", "2024-05-12T08:00:00+00:00")
    same_moment = message(store, "anna@example.pl", "2024-05-12T08:00:00+00:00")
    message(store, "jan@example.pl", "2024-05-20T08:00:00+00:00")  # someone else
    assert later < same_moment  # of two at the same moment, the one stored last
    assert rows.latest_message_from(store, "anna@example.pl", since) == same_moment
    assert rows.latest_message_from(store, "anna@example.pl", "2024-05-11T00:00:00+00:00") == (
        same_moment
    )
    with store.transaction():
        store.db.execute("DELETE FROM messages WHERE id IN (?, ?)", [later, same_moment])
    assert rows.latest_message_from(store, "anna@example.pl", since) == own
    assert rows.latest_message_from(store, "ewa@example.pl", since) is None


def test_decided_handled_and_superseded_applications_leave_the_queue(store):
    open_pk = application(store, message(store), "R-1", status="needs_review")
    decided = application(store, message(store), "R-2", status="needs_review")
    handled = application(store, message(store), "R-3", status="needs_review")
    application(store, message(store), "R-4", status="needs_review", superseded=1)
    with store.transaction():
        rows.decide_application(
            store,
            decided,
            "accepted",
            [],
            by="k",
            at=iso(utcnow()),
            note=None,
            machine_status="needs_review",
        )
        rows.record_handled(store, f"application:{handled}", "k", "done")
    assert [a.id for a in rows.unread_forms_open(store)] == [open_pk]


def test_an_application_without_a_letter_is_unconfirmed_until_one_is_queued(store):
    pk = application(store, message(store), "R-1")
    assert [a.id for a in rows.unconfirmed_applications_open(store)] == [pk]
    with store.transaction():
        store.insert("replies", {"message_pk": rows.find_application(store, "R-1")["message_pk"]})
    assert rows.unconfirmed_applications_open(store) == []


def test_a_formless_message_is_a_possible_correction_only_beside_a_form_of_the_sender(store):
    lone = application(
        store, message(store, "jan@example.pl"), "R-1", status="no_form", sender="jan@example.pl"
    )
    application(store, message(store), "R-2")
    formless = application(store, message(store), "R-3", status="no_form")
    assert [a.id for a in rows.formless_messages_of_applicants_open(store)] == [formless]
    assert lone not in [a.id for a in rows.formless_messages_of_applicants_open(store)]


def test_unrelated_messages_are_listed_only_within_the_span(store):
    inside = message(store, received_at="2024-05-10T10:00:00+00:00", disposition="unrelated")
    message(store, received_at="2024-06-10T10:00:00+00:00", disposition="unrelated")
    cleared = message(store, received_at="2024-05-11T10:00:00+00:00", disposition="unrelated")
    with store.transaction():
        rows.record_handled(store, f"message:{cleared}", "k", "done")
    found = rows.unrelated_messages_open(
        store, "2024-05-06T00:00:00+00:00", "2024-05-24T23:59:59+00:00"
    )
    assert [m.message_pk for m in found] == [inside]


def test_corrections_are_kept_in_order_and_the_layer_feeds_the_group_counts(store):
    pk = application(store, message(store), "R-1", groups=(1,))
    application(store, message(store), "R-2", groups=(1, 4), status="incomplete")
    application(store, message(store), "R-3", groups=(4,), superseded=1)
    application(store, message(store), "R-4", groups=(4,), status="rejected")
    assert counts.live_applications_by_group(store, [1, 4]) == {
        (1, "accepted"): 1,
        (4, "accepted"): 0,
        (1, "incomplete"): 1,
        (4, "incomplete"): 1,
    }
    made = [
        rows.Correction("groups", [1], [4], "k", "2024-05-11T10:00:00+00:00"),
        rows.Correction("phone", None, "123 456 789", "k", "2024-05-11T10:00:00+00:00"),
    ]
    with store.transaction():
        rows.record_corrections(store, pk, made, {"groups": [4], "phone": "123 456 789"})
    assert rows.corrections(store, pk) == made
    assert counts.live_applications_by_group(store, [1, 4])[(4, "accepted")] == 1
    assert counts.live_applications_by_group(store, [1, 4])[(1, "accepted")] == 0


def test_a_decision_keeps_the_status_the_machine_gave_first(store):
    pk = application(store, message(store), "R-1", status="needs_review")
    for status in ("incomplete", "accepted"):
        with store.transaction():
            rows.decide_application(
                store,
                pk,
                status,
                ["other"],
                by="k",
                at="2024-05-11T10:00:00+00:00",
                note="brak podpisu",
                machine_status=rows.find_application(store, "R-1")["status"],
            )
    row = rows.find_application(store, "R-1")
    assert (row["status"], row["machine_status"], json.loads(row["problems"])) == (
        "accepted",
        "needs_review",
        ["other"],
    )


def test_applications_are_counted_per_quarter_of_an_hour(store):
    for moment in (
        "2024-05-10T21:50:00+00:00",
        "2024-05-10T21:59:59+00:00",
        "2024-05-10T22:00:00+00:00",
    ):
        application(store, message(store), f"R-{moment}", received_at=moment)
    application(
        store, message(store), "R-x", status="no_form", received_at="2024-05-10T21:51:00+00:00"
    )
    assert sorted(counts.applications_per_quarter_hour(store)) == [
        ("2024-05-10T21", 3, 2),
        ("2024-05-10T22", 0, 1),
    ]


def test_the_history_finds_applications_by_sender_or_by_the_address_in_the_form(store):
    first = message(store)
    by_sender = application(store, first, "R-1")
    by_form = application(
        store,
        message(store, "sekretariat@example.pl"),
        "R-2",
        sender="sekretariat@example.pl",
        applicant_email="anna@example.pl",
    )
    application(store, message(store, "jan@example.pl"), "R-3", sender="jan@example.pl")
    found = rows.applications_of(store, ["anna@example.pl"])
    assert [a["id"] for a in found] == [by_sender, by_form]
    assert [m["id"] for m in rows.messages_from(store, ["anna@example.pl"])] == [first]
