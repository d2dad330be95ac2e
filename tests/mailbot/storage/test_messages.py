"""Look-ups the pipeline runs for every message, on a real SQLite file: they answer the same
and stay indexed as the store grows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from mailbot.storage import messages as sql
from mailbot.storage.store import Store, iso

NOW = datetime(2024, 5, 14, 10, 0, tzinfo=UTC)


def _store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db.sqlite", tmp_path / "files")


def _application(
    store: Store, n: int, applicant_key: str, sender_key: str, person_key: str | None = None
) -> int:
    message = store.insert(
        "messages",
        {
            "message_id": f"<m{n}@test>",
            "sha256": f"{n:064x}",
            "received_at": iso(NOW),
            "disposition": "application",
        },
    )
    return store.insert(
        "applications",
        {
            "message_pk": message,
            "reference": f"DKRES-2024-{n:04d}",
            "status": "accepted",
            "applicant_key": applicant_key,
            "sender_key": sender_key,
            "received_at": iso(NOW + timedelta(minutes=n)),
            "superseded": 0,
            "fields": "{}",
            "person_key": person_key,
        },
    )


def test_the_per_sender_reply_cap_is_counted_through_an_index(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        plan = store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM replies "
            "WHERE lower(to_addr) = lower(?) AND queued_at >= ?",
            ["A@example.pl", iso(NOW)],
        ).fetchall()
        assert any("idx_replies_to_lower" in str(row[-1]) for row in plan), plan
        assert store.replies_since("a@example.pl", NOW) == 0


def test_the_applications_sent_by_give_the_persons_of_each_sender_in_one_query(
    tmp_path: Path,
) -> None:
    with _store(tmp_path) as store, store.transaction():
        _application(store, 1, "email:anna@cis.pl", "sekretariat@cis.pl")
        _application(store, 2, "email:jan@cis.pl", "sekretariat@cis.pl")
        _application(store, 3, "sender:sekretariat@cis.pl", "sekretariat@cis.pl")
        _application(store, 4, "person:ewa nowak|", "ewa@wp.pl")
        _application(store, 5, "message:abc", "kto@wp.pl")
        sent = sql.sent_by(store, {"sekretariat@cis.pl", "ewa@wp.pl", "kto@wp.pl"})
        people = sql.people_of(sent)
    assert [a.id for a in sent if a.sender_only] == [3]
    assert people == {
        "sekretariat@cis.pl": {"email:anna@cis.pl", "email:jan@cis.pl"},
        "ewa@wp.pl": {"person:ewa nowak|"},
    }


def test_superseding_reads_the_current_mark_so_unchanged_rows_are_not_written(
    tmp_path: Path,
) -> None:
    with _store(tmp_path) as store, store.transaction():
        app = _application(store, 1, "email:anna@cis.pl", "anna@cis.pl")
        sql.mark_superseded(store, app, True, "late_correction")
        (row,) = sql.applications_of_applicants(store, {"email:anna@cis.pl"})
    assert (row.superseded, row.supersede_note) == (1, "late_correction")


def test_the_first_application_of_an_applicant_says_who_it_names(tmp_path: Path) -> None:
    with _store(tmp_path) as store, store.transaction():
        anna, jan = "person:anna kowalska|cis", "person:jan nowak|cis"
        _application(store, 1, "email:biuro@cis.pl", "biuro@cis.pl", anna)
        _application(store, 2, "email:biuro@cis.pl", "biuro@cis.pl", jan)
        _application(store, 3, "person:anna kowalska|cis", "anna@wp.pl", anna)
        assert sql.persons_of(store, {"email:biuro@cis.pl", "sender:x"}) == {
            "email:biuro@cis.pl": "person:anna kowalska|cis"
        }
        assert sql.applicants_naming(store, {"person:anna kowalska|cis"}) == {
            "email:biuro@cis.pl": "person:anna kowalska|cis",
            "person:anna kowalska|cis": "person:anna kowalska|cis",
        }
        # the second form at the same address names another person: not the address's first
        assert sql.applicants_naming(store, {"person:jan nowak|cis"}) == {}
