"""Typed rows of applications and their letters (mailbot.storage.applications), read from the
demo's database: both layers of values, the status a person set, the outbox's letters."""

from __future__ import annotations

import email
import email.policy
import json

import pytest
from web.workspace_data import demo_copy, open_store

from mailbot.ops import review
from mailbot.stamp import HEADER
from mailbot.storage import applications

SCAN = "DKRES-2024-0004"  # the scanned form, needs a person
ANNA = "DKRES-2024-0001"  # accepted by machine


@pytest.fixture
def config(tmp_path):
    return demo_copy(tmp_path)


@pytest.fixture
def store(config):
    s = open_store(config)
    yield s
    s.close()


def test_an_application_reads_as_the_workspace_reads_it(config, store):
    app = applications.find(store, ANNA)
    assert app is not None and app.reference == ANNA
    row = review.application_row(store, ANNA)
    assert app.id == row["id"] and app.status == row["status"] == "accepted"
    assert app.fields(config.form) == review.effective_fields(row, config.form)
    assert app.machine_fields(config.form) == review.machine_fields(row, config.form)
    assert app.live and not app.decided
    assert applications.find(store, str(app.id)) == app  # by id as well
    assert applications.find(store, "DKRES-2024-9999") is None


def test_a_correction_is_a_layer_over_the_machine_values(config, store):
    before = applications.find(store, ANNA)
    assert before is not None
    key = config.form.email_key
    assert key
    review.correct(store, ANNA, {key: "poprawiony@example.org"}, actor="anna", call=config.call)
    after = applications.find(store, ANNA)
    assert after is not None
    assert after.fields(config.form)[key] == "poprawiony@example.org"
    assert after.machine == before.machine  # what the machine read stays
    assert after.corrected == {key: "poprawiony@example.org"}
    machine_json = json.dumps(dict(after.machine))
    values = applications.effective_values(
        machine_json, json.dumps(dict(after.corrected)), config.form
    )
    assert values == after.fields(config.form)


def test_a_decision_with_its_notice_and_the_letter_in_the_outbox(config, store):
    app = applications.find(store, SCAN)
    assert app is not None and not app.decided
    before = applications.letters_of(store, app.id)
    result = review.decide(config, store, SCAN, "accepted", actor="anna", notify=True)
    decided = applications.find(store, SCAN)
    assert decided is not None
    assert decided.status == "accepted" and decided.decided and decided.decided_by == "anna"
    assert decided.machine_status == app.status
    letters = applications.letters_of(store, app.id)
    assert len(letters) == len(before) + 1
    letter = letters[-1]
    assert letter.id == result.notice_reply_id
    assert letter.state == "queued" and letter.template == "review_accepted"
    raw = store.conn.execute("SELECT raw FROM replies WHERE id = ?", [letter.id]).fetchone()[0]
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert msg["Message-ID"] == letter.message_id
    assert msg[HEADER] == "review_accepted"
    assert msg["From"].addresses[0].addr_spec == config.call.address
    assert "Auto-Submitted" not in msg  # a person's letter


def test_the_digests_lists_read_typed_rows_in_order_of_receipt(config, store):
    from datetime import datetime

    review.correct(
        store,
        ANNA,
        {config.form.email_key: "poprawiony@example.org"},
        actor="anna",
        call=config.call,
    )
    waiting = applications.live_waiting(store)
    assert waiting and all(a.live and a.status in applications.WAITING for a in waiting)
    assert [a.received_at for a in waiting] == sorted(a.received_at for a in waiting)
    rows = {r["reference"]: r for r in store.db.query("SELECT * FROM applications")}
    expected = [
        ref
        for ref, r in sorted(rows.items(), key=lambda kv: (kv[1]["received_at"], kv[1]["id"]))
        if not r["superseded"] and r["status"] in ("accepted", "incomplete", "needs_review")
    ]
    assert [a.reference for a in waiting] == expected
    anna = next(a for a in waiting if a.reference == ANNA)
    assert anna.fields(config.form)[config.form.email_key] == "poprawiony@example.org"
    every = applications.arrived_since(store, None)
    assert {a.reference for a in every} == set(rows)
    assert applications.arrived_since(store, datetime(2999, 1, 1).astimezone()) == []
    late = next(a for a in every if a.status == "late")
    assert late.problems == ("late",)


def test_the_four_verbs_on_a_fresh_store(tmp_path):
    from mailbot.storage.review import Correction
    from mailbot.storage.store import Store
    from parsers import DEFAULT_FORM

    with Store(tmp_path / "db.sqlite", tmp_path / "files") as s, s.transaction():
        message = s.insert(
            "messages",
            {
                "message_id": "<m1@example.pl>",
                "sha256": "1" * 64,
                "received_at": "2024-05-14T10:00:00+00:00",
                "disposition": "application",
            },
        )
        values = {"full_name": "Anna  Kowalska", "organisation": "CIS Oława", "email": "a@x.pl"}
        pk = applications.record(
            s,
            applications.NewApplication(
                message_pk=message,
                reference="DKRES-2024-0001",
                status="incomplete",
                received_at="2024-05-14T10:00:00+00:00",
                created_at="2024-05-14T10:00:01+00:00",
                applicant_key="email:a@x.pl",
                problems=("missing_phone",),
                notes=("Uwaga.",),
                fields=values,
                sender="A@X.pl",
            ),
            DEFAULT_FORM,
        )
        app = applications.find(s, "DKRES-2024-0001")
        assert app is not None and app.id == pk and app.live
        assert app.person_key == "person:anna kowalska|cis olawa"  # as migration 11 computes it
        assert app.problems == ("missing_phone",) and app.notes == ("Uwaga.",)
        assert app.machine_fields(DEFAULT_FORM)["full_name"] == "Anna  Kowalska"
        fix = Correction("phone", None, "601 234 567", "anna", "2024-05-15T08:00:00+00:00")
        applications.correct(s, app, [fix])
        app = applications.find(s, str(pk))
        assert app is not None and app.corrected == {"phone": "601 234 567"}
        assert app.machine == values  # what the machine read stays
        applications.decide(
            s, app, "accepted", [], by="anna", at="2024-05-15T08:01:00+00:00", note=None
        )
        decided = applications.find(s, str(pk))
        assert decided is not None and decided.status == "accepted"
        assert decided.machine_status == "incomplete" and decided.decided_by == "anna"
        letter = applications.queue_letter(
            s,
            message_pk=message,
            application_pk=pk,
            template="review_accepted",
            to_addr="a@x.pl",
            subject="Zgłoszenie przyjęte",
            message_id="<r1@example.pl>",
            raw=b"x",
            queued_at="2024-05-15T08:01:00+00:00",
        )
        (queued,) = applications.letters_of(s, pk)
        assert (queued.id, queued.state, queued.message_id) == (letter, "queued", "<r1@example.pl>")
