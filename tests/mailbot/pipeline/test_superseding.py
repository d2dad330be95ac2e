"""mailbot/pipeline/superseding.py: which of a person's stored applications is the live one,
weighed over real rows of a real SQLite file and written back."""

from __future__ import annotations

from pathlib import Path

import pytest
from stored_rows import application, message

from mailbot.form_roles import person_of
from mailbot.pipeline.superseding import resupersede
from mailbot.storage.store import Store
from parsers import DEFAULT_FORM

ANNA = "email:anna@example.pl"


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def app(store: Store, day: int, key: str, status: str = "accepted", **extra: object) -> int:
    sender = str(extra.pop("sender", "anna@example.pl"))
    return application(
        store,
        message(store, sender=sender),
        f"R-{day}-{key}",
        status=status,
        sender=sender,
        applicant_key=key,
        received_at=f"2024-05-{day:02d}T10:00:00+00:00",
        **extra,
    )


def live(store: Store) -> list[int]:
    rows = store.conn.execute("SELECT id FROM applications WHERE superseded = 0 ORDER BY id")
    return [r[0] for r in rows]


def test_a_later_application_of_the_same_person_supersedes_the_earlier(store):
    first = app(store, 8, ANNA, "incomplete")
    second = app(store, 10, ANNA)
    other = app(store, 9, "email:ewa@example.pl", sender="ewa@example.pl")
    with store.transaction():
        resupersede(store, {ANNA}, set(), DEFAULT_FORM)
    assert live(store) == [second, other]
    assert first not in live(store)


def test_weighing_again_changes_nothing_more(store):
    app(store, 8, ANNA)
    second = app(store, 10, ANNA)
    with store.transaction():
        resupersede(store, {ANNA}, set(), DEFAULT_FORM)
    before = store.conn.execute(
        "SELECT id, superseded, supersede_note FROM applications"
    ).fetchall()
    with store.transaction():
        resupersede(store, {ANNA}, set(), DEFAULT_FORM)
    after = store.conn.execute("SELECT id, superseded, supersede_note FROM applications").fetchall()
    assert before == after and live(store) == [second]


def test_a_scan_from_a_sender_of_one_persons_forms_belongs_to_that_person(store):
    form = app(store, 8, ANNA)
    scan = app(store, 10, "sender:anna@example.pl", "needs_review")
    with store.transaction():
        resupersede(store, {"sender:anna@example.pl"}, {"anna@example.pl"}, DEFAULT_FORM)
    # joined to Anna: her machine-read form stays live, the later scan a possible correction
    assert live(store) == [form]
    note = store.conn.execute(
        "SELECT supersede_note FROM applications WHERE id = ?", [scan]
    ).fetchone()[0]
    assert note


def test_a_secretariat_sending_two_peoples_forms_is_not_one_applicant(store):
    office = "sekretariat@gops.pl"
    adam = app(store, 8, "email:adam@gops.pl", sender=office)
    beata = app(store, 8, "email:beata@gops.pl", sender=office)
    scan = app(store, 10, f"sender:{office}", "needs_review", sender=office)
    with store.transaction():
        resupersede(store, {f"sender:{office}"}, {office}, DEFAULT_FORM)
    assert live(store) == [adam, beata, scan]  # the scan is nobody's correction


def test_the_person_of_an_application_is_the_forms_person_for_an_e_mail_key():
    fields = {"full_name": "Anna Kowalska", "organisation": "CIS Oława"}
    assert person_of("person:anna kowalska|cis olawa", fields, DEFAULT_FORM) == (
        "person:anna kowalska|cis olawa"
    )
    found = person_of(ANNA, fields, DEFAULT_FORM)
    assert found is not None and found.startswith("person:anna kowalska|")
    assert person_of("sender:anna@example.pl", fields, DEFAULT_FORM) is None
    assert person_of(ANNA, {}, DEFAULT_FORM) is None
