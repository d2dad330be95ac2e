"""The reports' queries on a real SQLite file: the application filter and its order and page
(built from pieces), the group sizes, the Committee's accepted applications, what arrived since
the last digest, and the digest sent once a day."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mailbot.storage import applications, reports
from mailbot.storage.reports import ApplicationFilter
from mailbot.storage.store import Store, dumps


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "mailbot.db", tmp_path / "files") as opened:
        yield opened


def _application(
    store: Store,
    n: int,
    *,
    status: str = "accepted",
    groups: list[int],
    full_name: str,
    superseded: int = 0,
    corrected: dict[str, Any] | None = None,
    stored_at: str = "2024-05-10T10:00:00+00:00",
    sender: str = "osoba@example.pl",
) -> int:
    received = f"2024-05-{10 + n:02d}T08:00:00+00:00"
    message = store.insert(
        "messages",
        {
            "message_id": f"<{n}@example.pl>",
            "sha256": f"{n:064x}",
            "disposition": "application",
            "received_at": received,
            "stored_at": stored_at,
        },
    )
    return store.insert(
        "applications",
        {
            "message_pk": message,
            "reference": f"DKRES/{n:04d}",
            "status": status,
            "superseded": superseded,
            "fields": dumps({"full_name": full_name, "groups": groups}),
            "corrected": dumps(corrected) if corrected else None,
            "received_at": received,
            "sender": sender,
        },
    )


@pytest.fixture
def three(store: Store) -> Store:
    with store.transaction():
        _application(store, 1, groups=[1, 4], full_name="Anna Zielińska")
        _application(store, 2, groups=[4], full_name="Bartosz Łoś", status="incomplete")
        _application(
            store,
            3,
            groups=[2],
            full_name="Celina Nowak",
            corrected={"groups": [1, 14]},
            sender="Celina@Firma.pl",
        )
        _application(store, 4, groups=[1], full_name="Anna Zielińska", superseded=1)
    return store


def _references(store: Store, flt: ApplicationFilter) -> list[str]:
    return [r["reference"] for r in reports.application_rows(store, flt)]


def test_the_filter_selects_by_status_group_text_and_liveness(three: Store) -> None:
    every = ApplicationFilter()
    assert _references(three, every) == ["DKRES/0001", "DKRES/0002", "DKRES/0003", "DKRES/0004"]
    assert reports.count_applications(three, every) == 4
    accepted_live = ApplicationFilter(status="accepted", live_only=True)
    assert _references(three, accepted_live) == ["DKRES/0001", "DKRES/0003"]
    # group 1 by the corrected groups (Celina's 2 -> 1, 14), not group 14 nor 11
    group_1 = ApplicationFilter(group=1)
    assert _references(three, group_1) == ["DKRES/0001", "DKRES/0003", "DKRES/0004"]
    assert reports.count_applications(three, ApplicationFilter(group=2)) == 0
    # text: in any case, in the sender or the form's values
    assert _references(three, ApplicationFilter(text=" firma.PL ")) == ["DKRES/0003"]
    assert _references(three, ApplicationFilter(text="zielińska", live_only=True)) == ["DKRES/0001"]


def test_the_filter_orders_and_pages(three: Store) -> None:
    by_name = ApplicationFilter(order="name", name_key="full_name", live_only=True)
    assert _references(three, by_name) == ["DKRES/0001", "DKRES/0002", "DKRES/0003"]
    by_name = ApplicationFilter(order="name", name_key="full_name", live_only=True, descending=True)
    assert _references(three, by_name) == ["DKRES/0003", "DKRES/0002", "DKRES/0001"]
    # a page of the name order: its parameter comes before the page's
    paged = ApplicationFilter(order="name", name_key="full_name", limit=1, offset=1, status=None)
    assert _references(three, paged) == ["DKRES/0004"]
    # no name field in the form: in order of receipt
    nameless = ApplicationFilter(order="name", descending=True)
    assert _references(three, nameless)[0] == "DKRES/0004"
    by_status = ApplicationFilter(order="status")
    assert _references(three, by_status) == ["DKRES/0001", "DKRES/0003", "DKRES/0004", "DKRES/0002"]
    newest_first = ApplicationFilter(descending=True, limit=2, offset=1)
    assert _references(three, newest_first) == ["DKRES/0003", "DKRES/0002"]
    assert reports.count_applications(three, newest_first) == 4  # the page aside
    unknown_order = ApplicationFilter(order="; DROP TABLE applications")
    assert _references(three, unknown_order)[0] == "DKRES/0001"


def test_group_sizes_and_the_committees_list_count_live_accepted_ones(three: Store) -> None:
    assert reports.accepted_group_sizes(three, [1, 2, 4, 14]) == {1: 2, 2: 0, 4: 1, 14: 1}
    assert reports.accepted_group_sizes(three, []) == {}
    everyone = reports.accepted_values(three, ["full_name"])
    assert sorted(a.reference or "" for a in everyone) == ["DKRES/0001", "DKRES/0003"]
    (celina,) = reports.accepted_values(three, ["full_name", "nowhere"], group=14)
    assert celina.values == ("Celina Nowak", None) and celina.groups == (1, 14)


def test_the_summary_and_the_choice_key_follow_any_form(store: Store) -> None:
    """Another call's form: the choice under its own key, corrections laid over the values, a
    long free text kept out of the summary (never out of the lists)."""
    long_text = "x" * 1500
    with store.transaction():
        message = store.insert(
            "messages",
            {
                "message_id": "<k@x.pl>",
                "sha256": "f" * 64,
                "disposition": "application",
                "received_at": "2026-03-03T10:00:00+00:00",
                "stored_at": "2026-03-03T10:00:00+00:00",
            },
        )
        pk = store.insert(
            "applications",
            {
                "message_pk": message,
                "reference": "MRM-1",
                "status": "accepted",
                "superseded": 0,
                "fields": dumps(
                    {
                        "imie_nazwisko": "Zofia Wiśniewska",
                        "szkola": "SP 3",
                        "komisja": [3],
                        "uzasadnienie": long_text,
                        "zgoda": True,
                        "opiekun": None,
                    }
                ),
                "received_at": "2026-03-03T10:00:00+00:00",
            },
        )
    row = store.db.execute("SELECT summary, groups_key FROM applications").fetchone()
    summary = json.loads(row[0])
    assert row[1] == "|3|" and summary["komisja"] == [3] and summary["zgoda"] is True
    assert "uzasadnienie" not in summary and summary["imie_nazwisko"] == "Zofia Wiśniewska"
    assert reports.accepted_group_sizes(store, [1, 3]) == {1: 0, 3: 1}
    # a person moves her to commission 1 and clears the school
    with store.transaction():
        store.db.execute(
            "UPDATE applications SET corrected = ? WHERE id = ?",
            [dumps({"komisja": [1], "szkola": None}), pk],
        )
    (zofia,) = reports.accepted_values(store, ["imie_nazwisko", "szkola", "uzasadnienie"], 1)
    assert zofia.values == ("Zofia Wiśniewska", None, long_text) and zofia.groups == (1,)
    assert reports.accepted_values(store, ["imie_nazwisko"], 3) == []


def test_arrivals_since_the_last_digest_and_the_digest_once_a_day(store: Store) -> None:
    with store.transaction():
        _application(store, 1, groups=[1], full_name="A", stored_at="2024-05-11T07:00:00+00:00")
        _application(store, 2, groups=[1], full_name="B", stored_at="2024-05-12T07:00:00+00:00")
    assert reports.last_digest_sent_at(store) is None
    assert [a.reference for a in applications.arrived_since(store, None)] == [
        "DKRES/0001",
        "DKRES/0002",
    ]
    sent = datetime(2024, 5, 11, 8, 0, tzinfo=UTC)
    with store.transaction():
        reports.record_digest(store, "2024-05-11", sent, 2)
    assert reports.digest_sent_on(store, "2024-05-11")
    assert not reports.digest_sent_on(store, "2024-05-12")
    since = reports.last_digest_sent_at(store)
    assert since == sent
    assert [a.reference for a in applications.arrived_since(store, since)] == ["DKRES/0002"]
    assert reports.total_applications(store) == 2
    assert reports.unrelated_messages_since(store, since) == 0


def test_odd_stored_choices_give_the_numbers_in_them() -> None:
    assert reports._numbers("|1|4|") == (1, 4)
    # what an older version or an odd reader stored: a superscript digit is no number
    assert reports._numbers("|²|3|x|") == (3,)
    assert reports._numbers(None) == ()
